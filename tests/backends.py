"""Test databases on either backend: SQLite files (the default) or a throwaway PostgreSQL + PostGIS server.

`GI_TEST_BACKEND=postgis` (what `make test-postgis` sets) runs the whole suite on PostgreSQL. Both backends
build a migrated template and a loaded template once, then give every test a fresh copy of one of them.
"""

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import REPO_ROOT, Settings
from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import read_dataset
from gi_registry.ops import migrate
from tests.machine import PG_BIN, postgis_missing

DATA_DIR = REPO_ROOT / "data"


def _load(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        load_dataset(session, read_dataset(DATA_DIR))
    engine.dispose()


class SQLiteBackend:
    """Template files copied per test."""

    name = "sqlite"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.migrated = root / "migrated.db"
        migrate.upgrade(f"sqlite:///{self.migrated}")
        self.loaded = root / "loaded.db"
        shutil.copy(self.migrated, self.loaded)
        _load(f"sqlite:///{self.loaded}")
        self._numbers = itertools.count()

    def new_database(self, *, loaded: bool) -> str:
        """A fresh database copied from a template; returns its URL."""
        path = self.root / f"test-{next(self._numbers)}.db"
        shutil.copy(self.loaded if loaded else self.migrated, path)
        return f"sqlite:///{path}"

    def empty_database(self) -> str:
        """A database with no schema at all."""
        return f"sqlite:///{self.root / f'empty-{next(self._numbers)}.db'}"

    def drop(self, url: str) -> None:
        """Remove a test database."""
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    def close(self) -> None:
        """Nothing to stop."""


class PostgresBackend:
    """A PostgreSQL 15 server with PostGIS on a Unix socket in a temporary folder, gone after the run."""

    name = "postgis"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gi-pg-"))
        self.port = 54329
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")  # initdb refuses to run as root
        self.dir.chmod(0o700)
        self._as_postgres = as_postgres
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.dir / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        options = f"-k {self.dir} -p {self.port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            options,
            "start",
        )
        self._numbers = itertools.count()
        self.sql("CREATE DATABASE gi_migrated")
        self.sql("CREATE EXTENSION IF NOT EXISTS postgis", database="gi_migrated")
        migrate.upgrade(self.url("gi_migrated"))
        self.sql("CREATE DATABASE gi_loaded TEMPLATE gi_migrated")
        _load(self.url("gi_loaded"))

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as_postgres, *command], check=True, capture_output=True)

    def url(self, database: str) -> str:
        """SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://postgres@/{database}?host={self.dir}&port={self.port}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE / DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(
            host=str(self.dir), port=self.port, user="postgres", dbname=database, autocommit=True
        ) as connection:
            connection.execute(statement)

    def new_database(self, *, loaded: bool) -> str:
        """A fresh database cloned from a template; returns its URL."""
        name = f"test_{next(self._numbers)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {'gi_loaded' if loaded else 'gi_migrated'}")
        return self.url(name)

    def empty_database(self) -> str:
        """A database with no schema at all."""
        name = f"empty_{next(self._numbers)}"
        self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a test database, closing what still uses it."""
        name = url.split("/")[3].split("?")[0]
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def make_backend(root: Path) -> SQLiteBackend | PostgresBackend:
    """The backend GI_TEST_BACKEND names (sqlite by default)."""
    name = os.environ.get("GI_TEST_BACKEND", "sqlite")
    if name == "postgis":
        if missing := postgis_missing():
            # The whole run was asked for on PostgreSQL: stop with the reason, not one error per test.
            raise RuntimeError(f"GI_TEST_BACKEND=postgis, but {missing}")
        return PostgresBackend()
    if name != "sqlite":
        raise ValueError(f"GI_TEST_BACKEND must be sqlite or postgis, not {name!r}")
    return SQLiteBackend(root)
