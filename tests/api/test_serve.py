"""`gi-registry serve` as a real process: it answers on GI_PORT with the loaded dataset."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from gi_registry.core.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_on_gi_port(settings: Settings) -> None:
    port = free_port()
    env = {
        **os.environ,
        "GI_DATABASE_URL": settings.database_url,
        "GI_PORT": str(port),
        "GI_HOST": "127.0.0.1",
    }
    # The console script installed next to this interpreter, as `make run` calls it.
    command = [str(Path(sys.executable).parent / "gi-registry"), "serve"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "server did not start within 30 s"
            time.sleep(0.2)
        body = httpx.get(f"{base}/api/v1/indications", timeout=5).json()
        assert body["count"] == 21
        assert httpx.get(f"{base}/", timeout=5).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_app_refuses_to_start_on_an_unmigrated_database(blank_database_url: str) -> None:
    from fastapi.testclient import TestClient

    from gi_registry.http.app import SchemaMissing, create_app

    app = create_app(Settings(database_url=blank_database_url))
    with pytest.raises(SchemaMissing, match="gi-registry db upgrade"), TestClient(app):
        pass
