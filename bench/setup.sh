#!/usr/bin/env bash
# Installs what `make bench` needs beyond the project's own venv, once; a second run does nothing.
#   wrk, libsqlite3-mod-spatialite - the load generator and SpatiaLite (Debian, via scripts/system-packages.sh)
#   bench/.venv-pygeoapi        - pygeoapi 0.24 (needs Python >= 3.12) in its own venv, never the project's
#   bench/.venv-tipg            - tipg 1.6.1, the PostGIS peer, only with WITH_TIPG=1 (run.py --backend postgis
#                                 passes it)
set -euo pipefail
cd "$(dirname "$0")"

# The Debian packages (wrk, SpatiaLite, and the test suite's PostgreSQL + PostGIS) come from the project's
# one set-up step; without root it names them and the run below stops where one is needed.
bash ../scripts/system-packages.sh bench

# pygeoapi 0.24 needs Python 3.12; pyenv's build lacks sqlite3.enable_load_extension, hence pysqlite3-binary.
# pyenv's shim named python3.12 may exist without working, so prefer the interpreter itself.
PY312=${PY312:-/root/.pyenv/versions/3.12.1/bin/python3.12}
[ -x "$PY312" ] || PY312=$(command -v python3.12 || true)
if [ ! -x .venv-pygeoapi/bin/pygeoapi ]; then
  if [ ! -x "$PY312" ]; then
    echo "bench/setup.sh: pygeoapi needs Python >= 3.12 (set PY312=/path/to/python3.12)" >&2
    exit 1
  fi
  "$PY312" -m venv .venv-pygeoapi
  .venv-pygeoapi/bin/pip install --quiet --upgrade pip
  .venv-pygeoapi/bin/pip install --quiet "pygeoapi==0.24.0" "pysqlite3-binary" "starlette" "uvicorn[standard]"
  site=$(.venv-pygeoapi/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  # Alias pysqlite3 (built with load_extension) as sqlite3 for every process of this venv.
  printf 'import sys\nimport pysqlite3\nsys.modules["sqlite3"] = pysqlite3\n' > "$site/sitecustomize.py"
fi

# Checked by importing, so that an install cut short is completed by the next run.
if [ "${WITH_TIPG:-0}" = 1 ] && ! .venv-tipg/bin/python -c 'import tipg, uvicorn' >/dev/null 2>&1; then
  python3 -m venv .venv-tipg
  .venv-tipg/bin/pip install --quiet --upgrade pip
  .venv-tipg/bin/pip install --quiet "tipg==1.6.1" "uvicorn[standard]"
fi
echo "bench tools ready"
