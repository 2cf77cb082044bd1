"""Fixtures: a fresh database per test, cloned from migrated and loaded templates, on SQLite or PostgreSQL."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import REPO_ROOT, Settings
from gi_registry.http.app import create_app
from tests.backends import PostgresBackend, SQLiteBackend, make_backend
from tests.figures import FIGURES
from tests.live import live_server  # noqa: F401 - a fixture shared by browser and GIS-client tests

DATA_DIR = REPO_ROOT / "data"


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SQLiteBackend | PostgresBackend]:
    """The test database backend (GI_TEST_BACKEND: sqlite, or postgis for a throwaway PostgreSQL)."""
    chosen = make_backend(tmp_path_factory.mktemp("databases"))
    yield chosen
    chosen.close()


def _settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=url, data_dir=DATA_DIR, upload_dir=tmp_path / "uploads")


@pytest.fixture
def empty_settings(tmp_path: Path, backend: SQLiteBackend | PostgresBackend) -> Iterator[Settings]:
    """Settings of a fresh, migrated, empty database for this test."""
    url = backend.new_database(loaded=False)
    yield _settings_for(url, tmp_path)
    backend.drop(url)


@pytest.fixture
def settings(tmp_path: Path, backend: SQLiteBackend | PostgresBackend) -> Iterator[Settings]:
    """Settings of a fresh database holding the dataset, for this test only."""
    url = backend.new_database(loaded=True)
    yield _settings_for(url, tmp_path)
    backend.drop(url)


@pytest.fixture
def blank_database_url(backend: SQLiteBackend | PostgresBackend) -> Iterator[str]:
    """A database with no schema at all (for migrations and `db upgrade`)."""
    url = backend.empty_database()
    yield url
    backend.drop(url)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ to change or break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """Engine of this test's loaded database."""
    engine = make_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(empty_settings: Settings) -> Iterator[Engine]:
    """Engine of this test's empty database."""
    engine = make_engine(empty_settings)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on this test's loaded database."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def client(settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """An API client on this test's loaded database."""
    with TestClient(create_app(settings, engine)) as client:
        yield client


# Under CI=true a skipped test is a test that did not run: fail the session instead of passing quietly.
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI") == "true" and _skipped and exitstatus == 0:
        session.exitstatus = 1
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which CI does not allow: {_skipped}")  # noqa: T201


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The figures the reliability tests measured (see tests/figures.py)."""
    if FIGURES:
        terminalreporter.section("R-figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
