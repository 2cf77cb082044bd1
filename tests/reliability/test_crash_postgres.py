"""R4: kill -9 of PostgreSQL itself (and of the app) mid-writes: recovery completes, no acked write lost.

It runs on its own throwaway PostgreSQL server whatever GI_TEST_BACKEND is, since it kills the server.
fsync is off there, which only matters for an operating-system crash; a killed process loses nothing
that was committed with synchronous_commit=on (the default).
"""

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.backends import PG_BIN, PostgresBackend
from tests.figures import report
from tests.load import Tally, prepare, renewal_rows, run_load, server
from tests.machine import needs_postgis

pytestmark = [
    pytest.mark.slow,
    # `make test` installs PostgreSQL and PostGIS as root; under CI=true a skip fails the run.
    needs_postgis,
]


@pytest.fixture
def own_postgres() -> Iterator[PostgresBackend]:
    backend = PostgresBackend()
    yield backend
    backend.close()


def _start_again(backend: PostgresBackend) -> None:
    options = (
        f"-k {backend.dir} -p {backend.port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    )
    backend._run(  # noqa: SLF001 - the backend's own way to run a server command as the postgres user
        str(PG_BIN / "pg_ctl"), "-D", str(backend.dir / "data"), "-l", str(backend.dir / "log"), "-w",
        "-o", options, "start",
    )  # fmt: skip


def test_r4_postgres_killed_mid_write_recovers_every_acked_write(
    own_postgres: PostgresBackend, tmp_path: Path
) -> None:
    url = own_postgres.new_database(loaded=True)
    database = url.split("/")[3].split("?")[0]
    target = prepare(url)
    tally = Tally()
    with server(url, tmp_path / "uploads", tmp_path / "server.log") as running:
        stop = threading.Event()
        threads = run_load(running.base, target, stop, tally)
        tally.wait_for_acks(20)  # a count of writes, not a time: a loaded machine is slower
        postmaster = int((own_postgres.dir / "data" / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)  # the database dies first, then the app with it
        running.kill_group()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    # The killed postmaster's children may linger a moment; pg_ctl start waits until recovery is done.
    deadline = time.monotonic() + 20
    while True:
        try:
            _start_again(own_postgres)
            break
        except subprocess.CalledProcessError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    stored, history = renewal_rows(url)
    lost = [key for key in tally.acked if key not in stored]
    amcheck = subprocess.run(
        [*own_postgres._as_postgres, str(PG_BIN / "pg_amcheck"), "--install-missing",
         "-h", str(own_postgres.dir), "-p", str(own_postgres.port), "-U", "postgres", "-d", database],
        capture_output=True, text=True,
    )  # fmt: skip
    recovered = "redo done" in (own_postgres.dir / "log").read_text(errors="replace")
    with psycopg.connect(
        host=str(own_postgres.dir), port=own_postgres.port, user="postgres", dbname=database
    ):
        pass  # it accepts connections again
    report(
        f"R4: {len(tally.acked)} acked before kill -9 of PostgreSQL, {len(lost)} lost, "
        f"recovery {'done' if recovered else 'not logged'}, pg_amcheck exit {amcheck.returncode}, "
        f"history rows {history} = renewals {len(stored)}"
    )
    assert tally.acked and lost == []
    assert amcheck.returncode == 0, amcheck.stdout + amcheck.stderr
    assert history == len(stored)
