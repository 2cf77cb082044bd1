"""`gi-registry serve` as a real process: it answers on GI_PORT with the loaded dataset."""

import os
import shutil
import socket
import subprocess
import sys
import time

import httpx2 as httpx
import pytest

from gi_registry.settings import Settings


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
    command = [shutil.which("gi-registry") or "", "serve"]
    if not command[0]:
        command = [sys.executable, "-m", "gi_registry.cli", "serve"]
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
