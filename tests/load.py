"""Concurrent renewal submissions against a real `gi-registry serve --workers N`, for R1, R2, R3 and R18.

The server runs in its own session (setsid), so a crash test can kill the whole process group: uvicorn's
workers are child processes, and killing only the parent would leave them serving.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.http.app import create_app
from tests.workflow import PDF, build_world

SECRET = "load-test-secret-of-at-least-32-characters"  # shared by every worker, for this test only
CLIENT_THREADS = 16
READ_PATHS = ["/api/v1/indications", "/api/v1/producers", "/ogc/collections/indications/items"]


@dataclass
class Target:
    """Where to submit: a producer's token and its authorization."""

    headers: dict[str, str]
    authorization_id: int


def prepare(database_url: str) -> Target:
    """Accounts, producers and an authorization (synthetic), made in-process before the server starts."""
    settings = Settings(database_url=database_url, secret_key=SECRET)
    engine = make_engine(settings)
    with Session(engine) as session, TestClient(create_app(settings, engine)) as client:
        world = build_world(client, session)
    engine.dispose()
    return Target(world.producer_a, world.authorization_id)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A `gi-registry serve` process group."""

    process: subprocess.Popen
    base: str
    log: Path

    def kill_group(self) -> None:
        """SIGKILL every process of the group: the parent and its workers, with no chance to clean up."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextmanager
def server(database_url: str, upload_dir: Path, log: Path, workers: int = 2) -> Iterator[Server]:
    """Start the server in a new session on 127.0.0.1; the block's end kills the group if still running."""
    port = _free_port()
    env = {
        **os.environ,
        "GI_DATABASE_URL": database_url,
        "GI_SECRET_KEY": SECRET,
        "GI_UPLOAD_DIR": str(upload_dir),
        "GI_HOST": "127.0.0.1",
        # The load submits hundreds of applications for one authorization to test durability, not the
        # cap on open applications (tested in tests/hostile/test_hostile_web.py).
        "GI_OPEN_APPLICATIONS_PER_AUTHORIZATION": "1000000",
    }
    command = [str(Path(sys.executable).parent / "gi-registry"), "serve", "--workers", str(workers)]
    with log.open("ab") as stream:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            env=env,
            stdout=stream,
            stderr=stream,
            start_new_session=True,
        )
    running = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{running.base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {running.log_text()[-2000:]}")
            time.sleep(0.2)
        yield running
    finally:
        running.kill_group()


@dataclass
class Tally:
    """What the clients saw, by Idempotency-Key."""

    acked: dict[str, int] = field(default_factory=dict)  # key → renewal id, for 200/201 answers
    in_flight: list[str] = field(default_factory=list)  # sent, but no answer came (the server died)
    statuses: dict[int, int] = field(default_factory=dict)
    reads: int = 0
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds) of each answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status: int, started: float | None = None) -> None:
        now = time.monotonic()
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if started is not None:
                self.latencies.append((now, now - started))

    def wait_for_acks(self, count: int, bound: float = 120.0) -> None:
        """Wait until `count` writes are acknowledged, or `bound` seconds pass (a loaded machine is slow).

        Tests wait for a number of writes, never a time, so that they assert what was lost, not how fast.
        """
        deadline = time.monotonic() + bound
        while len(self.acked) < count and time.monotonic() < deadline:
            time.sleep(0.05)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def submit_one(http: httpx.Client, target: Target, key: str) -> httpx.Response:
    return http.post(
        "/api/v1/renewals",
        data={"authorization_id": str(target.authorization_id)},
        files=[("documents", ("application.pdf", PDF, "application/pdf"))],
        headers={**target.headers, "Idempotency-Key": key},
    )


def run_load(
    base: str,
    target: Target,
    stop: threading.Event,
    tally: Tally,
    *,
    threads: int = CLIENT_THREADS,
    write_share: float = 1.0,
    pause: float = 0.0,
) -> list[threading.Thread]:
    """Start client threads that submit (and, if write_share < 1, read) until `stop` is set."""

    def client(number: int) -> None:
        step = 0
        with httpx.Client(base_url=base, timeout=30) as http:
            while not stop.is_set():
                step += 1
                started = time.monotonic()
                # A fixed, evenly spread pattern of reads and writes (golden-ratio steps), not random.
                if write_share < 1.0 and (step * 0.618 + number * 0.1) % 1.0 >= write_share:
                    status = http.get(READ_PATHS[step % len(READ_PATHS)], params={"limit": 20}).status_code
                    tally.count(status, started)
                    with tally.lock:
                        tally.reads += 1
                else:
                    key = f"load-{number}-{uuid.uuid4()}"
                    try:
                        response = submit_one(http, target, key)
                    except httpx.TransportError:
                        with tally.lock:
                            tally.in_flight.append(key)
                        return  # the server is gone
                    tally.count(response.status_code, started)
                    if response.status_code in (200, 201):
                        with tally.lock:
                            tally.acked[key] = response.json()["id"]
                if pause:
                    time.sleep(pause)

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    return workers


def renewal_rows(database_url: str) -> tuple[dict[str, int], int]:
    """Renewals in the database by Idempotency-Key, and how many 'created' history rows they have."""
    engine = make_engine(Settings(database_url=database_url))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT idempotency_key, id FROM renewal")).all()
        history = connection.execute(
            text("SELECT count(*) FROM change_log WHERE entity_type = 'renewal' AND field IS NULL")
        ).scalar_one()
    engine.dispose()
    return dict(rows), history


def integrity(database_url: str) -> str:
    """`PRAGMA integrity_check` on SQLite; PostgreSQL has its own crash recovery (reported as 'ok')."""
    engine = make_engine(Settings(database_url=database_url))
    try:
        if engine.dialect.name != "sqlite":
            return "ok"
        with engine.connect() as connection:
            return connection.execute(text("PRAGMA integrity_check")).scalar_one()
    finally:
        engine.dispose()


def group_pids(group: int) -> list[int]:
    """Processes of a process group (the server and its workers), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[2]) == group:
                pids.append(int(entry.name))
    return pids


def group_rss_and_fds(group: int) -> tuple[int, int]:
    """Resident memory (KiB) and open file descriptors, summed over a process group."""
    rss = fds = 0
    for pid in group_pids(group):
        try:
            status = (Path("/proc") / str(pid) / "status").read_text()
            rss += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            fds += len(list((Path("/proc") / str(pid) / "fd").iterdir()))
        except (OSError, StopIteration):
            continue
    return rss, fds
