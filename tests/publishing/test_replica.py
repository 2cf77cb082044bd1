"""A streaming-replication standby carries the public read deployment.

See docs/operations.md, Deploying on PostgreSQL (read replicas).

A throwaway primary and a standby made by `pg_basebackup -R`; a write on the primary, made the way the
registry makes it (the data version moved by the commit, the layers refreshed before the request ends);
once the standby has replayed it, the registry serving the standby shows the change in the API, the OGC
API and the map data alike, and never tries to write there.
"""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import psycopg
import pytest
from sqlmodel import Session, select

from gi_registry.core import versioning
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.indications.models import Indication
from gi_registry.layers import store, watch
from tests.backends import PostgresBackend
from tests.live import serving
from tests.machine import PG_BIN, needs_postgis

pytestmark = [pytest.mark.slow, needs_postgis]  # under CI=true a skip fails the run (conftest.py)

REPLAY_WAIT_S = 60  # a bound on waiting for replay on a loaded machine, not a speed claim


class Standby:
    """A hot standby of `primary`, on a Unix socket of its own."""

    def __init__(self, primary: PostgresBackend) -> None:
        self.primary = primary
        self.dir = Path(tempfile.mkdtemp(prefix="gi-pg-standby-"))
        if primary._as_postgres:  # noqa: SLF001 - the backend's own way to run as the postgres user
            shutil.chown(self.dir, "postgres", "postgres")
        self.dir.chmod(0o700)
        data = str(self.dir / "data")
        self._run(
            str(PG_BIN / "pg_basebackup"), "-D", data, "-R", "-X", "stream",
            "-h", str(primary.dir), "-p", str(primary.port), "-U", "postgres",
        )  # fmt: skip
        options = f"-k {self.dir} -p {primary.port} -c listen_addresses='' -c hot_standby=on"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", data, "-l", str(self.dir / "log"), "-w", "-o", options, "start"
        )

    def _run(self, *command: str) -> None:
        subprocess.run([*self.primary._as_postgres, *command], check=True, capture_output=True)  # noqa: SLF001

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.dir}&port={self.primary.port}"

    def replay_lsn(self, database: str) -> str:
        with psycopg.connect(
            host=str(self.dir), port=self.primary.port, user="postgres", dbname=database
        ) as c:
            assert c.execute("SELECT pg_is_in_recovery()").fetchone()[0]
            return c.execute("SELECT pg_last_wal_replay_lsn()::text").fetchone()[0]

    def close(self) -> None:
        try:
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def primary() -> Iterator[PostgresBackend]:
    backend = PostgresBackend()
    yield backend
    backend.close()


def _caught_up(primary: PostgresBackend, standby: Standby, database: str) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with psycopg.connect(host=str(primary.dir), port=primary.port, user="postgres", dbname=database) as c:
        target = c.execute("SELECT pg_current_wal_lsn()::text").fetchone()[0]
    deadline = time.monotonic() + REPLAY_WAIT_S
    while True:
        with psycopg.connect(host=str(primary.dir), port=primary.port, user="postgres", dbname=database) as c:
            behind = c.execute(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, %s::pg_lsn) > 0", (target, standby.replay_lsn(database))
            ).fetchone()[0]
        if not behind:
            return
        assert time.monotonic() < deadline, "the standby did not replay the write"
        time.sleep(0.1)


def test_a_standby_serves_the_primarys_write_in_the_api_ogc_and_map_data_and_writes_nothing(
    primary: PostgresBackend, tmp_path: Path
) -> None:
    url = primary.new_database(loaded=True)
    database = url.split("/")[3].split("?")[0]
    engine = make_engine(Settings(database_url=url))
    versioning.install(engine)  # as create_app and the CLI do on the primary
    watch.install()
    with Session(engine) as session:
        store.redraw_all(session)  # as `gi-registry data load` ends: a standby cannot draw them itself
    standby = Standby(primary)  # copied after the database exists, then kept current by streaming
    try:
        with serving(standby.url(database), GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base:

            def everything(slug: str) -> dict[str, str]:
                api = httpx.get(f"{base}/api/v1/indications/{slug}", timeout=30)
                item = httpx.get(f"{base}/ogc/collections/indications/items/{slug}", timeout=30)
                areas = httpx.get(f"{base}/maps/data/areas.json", timeout=30)
                for answer in (api, item, areas):
                    assert answer.status_code == 200, answer.text
                area = next(f for f in areas.json()["features"] if f["properties"]["slug"] == slug)
                return {
                    "api": api.json()["name_en"],
                    "ogc": item.json()["properties"]["name_en"],
                    "map data": area["properties"]["name_en"],
                }

            areas = httpx.get(f"{base}/maps/data/areas.json", timeout=30).json()["features"]
            slug = areas[0]["properties"]["slug"]
            before = everything(slug)
            assert len(set(before.values())) == 1
            with Session(engine) as session:  # a write on the primary, as a write request makes it
                indication = session.exec(select(Indication).where(Indication.slug == slug)).one()
                apply_changes(
                    session, ChangeSet(actor="test", reason="replica test"), "indication", indication,
                    {"name_en": "Written on the primary"},
                )  # fmt: skip
                session.commit()
                watch.refresh_after_writes(session)  # what the session dependency does after a request
            _caught_up(primary, standby, database)
            assert everything(slug) == dict.fromkeys(before, "Written on the primary")
            log = (standby.dir / "log").read_text(errors="replace")
            assert "read-only transaction" not in log  # the registry never tried to write on the standby
        engine.dispose()
    finally:
        standby.close()
        primary.drop(url)
