"""Fixtures: a fresh database per test, built from migrated (and loaded) templates copied per test."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry import migrate
from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import read_dataset
from gi_registry.db import make_engine
from gi_registry.main import create_app
from gi_registry.settings import REPO_ROOT, Settings
from tests.live import live_server  # noqa: F401 - a fixture shared by browser and GIS-client tests

DATA_DIR = REPO_ROOT / "data"


def sqlite_url(path: Path) -> str:
    """SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the latest migration, built once."""
    path = tmp_path_factory.mktemp("templates") / "migrated.db"
    migrate.upgrade(sqlite_url(path))
    return path


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """A database holding the real Yueyang dataset, loaded once through the loader."""
    path = tmp_path_factory.mktemp("templates") / "loaded.db"
    shutil.copy(migrated_template, path)
    engine = make_engine(Settings(database_url=sqlite_url(path)))
    with Session(engine) as session:
        load_dataset(session, read_dataset(DATA_DIR))
    engine.dispose()
    return path


def _settings_for(path: Path) -> Settings:
    return Settings(database_url=sqlite_url(path), data_dir=DATA_DIR, upload_dir=path.parent / "uploads")


@pytest.fixture
def empty_settings(tmp_path: Path, migrated_template: Path) -> Settings:
    """Settings of a fresh, migrated, empty database for this test."""
    path = tmp_path / "registry.db"
    shutil.copy(migrated_template, path)
    return _settings_for(path)


@pytest.fixture
def settings(tmp_path: Path, loaded_template: Path) -> Settings:
    """Settings of a fresh database holding the dataset, for this test only."""
    path = tmp_path / "registry.db"
    shutil.copy(loaded_template, path)
    return _settings_for(path)


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
