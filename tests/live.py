"""A live `gi-registry serve` over a copy of the loaded dataset, for browser and GIS-client tests."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.producers.models import LabelVersion, LinkRole, Producer, ProducerLink
from tests.factories import make_uscc

SYNTHETIC_USCC = make_uscc(division="430626", org_body="GT000001")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _add_synthetic_authorized_producer(database_url: str) -> None:
    """A producer with a code and a unified-label authorization, marked synthetic, for /verify."""
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        producer = Producer(
            key="synthetic-verify-test",
            name_zh="测试合作社（合成数据）",
            uscc=SYNTHETIC_USCC,
            county_code="430626",
            synthetic=True,
        )
        session.add(producer)
        session.flush()
        session.add(
            ProducerLink(
                producer_id=producer.id,
                indication_id=1,
                role=LinkRole.authorized_user,
                label_version=LabelVersion.unified,
                authorized="2021-03-01",
                status="active",
                synthetic=True,
            )
        )
        session.commit()
    engine.dispose()


@contextmanager
def serving(database_url: str, workers: int = 1, **extra_env: str) -> Iterator[str]:
    """Run `gi-registry serve` (the installed console script, as `make run` does) until the block ends."""
    port = _free_port()
    env = {
        **os.environ,
        "GI_DATABASE_URL": database_url,
        "GI_PORT": str(port),
        "GI_HOST": "127.0.0.1",
        **extra_env,
    }
    command = [str(Path(sys.executable).parent / "gi-registry"), "serve", "--workers", str(workers)]
    # The server's log (a JSON line per request) goes to a file: a pipe nobody reads would fill up and
    # block the server once it has answered a few hundred requests.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30 * workers  # each worker imports and builds the app
    try:
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"server did not start: {log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server(backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: ANN001
    """A live server over a copy of the loaded dataset, in demo mode (the synthetic producer used to test
    /verify is shown only then); yields its base URL."""
    url = backend.new_database(loaded=True)
    _add_synthetic_authorized_producer(url)
    uploads = tmp_path_factory.mktemp("live-uploads")
    with serving(url, GI_DEMO_MODE="true", GI_UPLOAD_DIR=str(uploads)) as base:
        yield base
