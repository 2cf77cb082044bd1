# The two commands: `make run` and `make test`. Everything else is a step they depend on.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

export GI_HOST ?= 127.0.0.1
export GI_PORT ?= 8000

.PHONY: run test test-postgis soak bench install system migrate load check lint format clean

# Which system packages the set-up step makes sure of (scripts/system-packages.sh): `run` needs only
# python3-venv; the test targets add Chromium, PostgreSQL + PostGIS and CJK fonts; bench adds its peers.
# Target-specific values reach the prerequisites, so `make test` runs `system` with SYSTEM_PROFILE=test.
SYSTEM_PROFILE ?= run
test test-postgis soak: SYSTEM_PROFILE = test
bench: SYSTEM_PROFILE = bench

system:  ## Install (as root) or name (otherwise) the missing system packages; costs nothing when none are
	@bash scripts/system-packages.sh $(SYSTEM_PROFILE)

$(STAMP): pyproject.toml | system
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "gi-registry needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: system $(STAMP)  ## Create the virtual environment and install the registry with its test tools

migrate: install  ## Bring the database (GI_DATABASE_URL, default var/gi_registry.db) to the latest schema
	$(BIN)/gi-registry db upgrade

load: migrate  ## Load the Yueyang dataset from data/ (idempotent)
	$(BIN)/gi-registry data load

run: load  ## Set everything up and serve the site and API on http://$(GI_HOST):$(GI_PORT)
	$(BIN)/gi-registry serve

check: install  ## Validate data/ and print the coverage report
	$(BIN)/gi-registry data check

lint: install  ## ruff, and the import contracts that keep the layers (pyproject [tool.importlinter])
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install  ## Lint (ruff and the import contracts), then run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

test-postgis: install  ## The whole suite on a throwaway PostgreSQL + PostGIS server (Debian postgresql-15-postgis-3)
	GI_TEST_BACKEND=postgis $(BIN)/pytest

soak: install  ## The long reliability checks: R3 (20 kill -9 runs) and R18 (10-minute soak, GI_SOAK_SECONDS)
	$(BIN)/pytest tests/reliability/soak_checks.py

bench: install  ## Benchmark against the floor and pygeoapi on synthetic data (BENCH_ARGS="--quick --backend postgis")
	bash bench/setup.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
