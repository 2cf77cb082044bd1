"""`gi-registry serve --workers N`: each worker accepts on a socket of its own, so connections are spread.

With uvicorn's one shared socket, the first worker to wake took every connection of a burst: a load
test's 16 connections all went to one worker of two, one core idle (gi_registry/http/serving.py).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from gi_registry.http.serving import listening_socket

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 16


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _supervisor(workers: int) -> Iterator[tuple[subprocess.Popen, int]]:
    """The serving supervisor with `workers` workers of the pid app, on a free port of 127.0.0.1."""
    port = _free_port()
    code = (
        "import uvicorn; from gi_registry.http.serving import run; "
        f"run(uvicorn.Config('tests.reliability.pid_app:app', host='127.0.0.1', port={port}, "
        f"workers={workers}, log_level='warning'))"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True)
    try:
        _wait_for(lambda: len(_pids(port, 1)) == 1, f"no worker answered on port {port}")
        yield process, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(condition, failure: str, limit_s: float = 60) -> None:  # noqa: ANN001
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(failure)


def _ask(sock: socket.socket) -> int:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: test\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.split(b"\r\n\r\n", 1)[1]:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    return int(answer.split(b"\r\n\r\n", 1)[1])


def _pids(port: int, connections: int = CONNECTIONS) -> list[int]:
    """The worker pid behind each of `connections` connections opened at once (a burst, as wrk does)."""
    sockets = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(connections)]
    try:
        with ThreadPoolExecutor(connections) as pool:
            return list(pool.map(_ask, sockets))
    finally:
        for sock in sockets:
            sock.close()


def _listening(port: int) -> int:
    """How many sockets listen on 127.0.0.1:port (/proc/net/tcp, state 0A)."""
    local = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1] == local and line.split()[3] == "0A")


def test_a_burst_of_connections_is_spread_over_every_worker_each_on_its_own_socket() -> None:
    with _supervisor(workers=2) as (_process, port):
        _wait_for(lambda: _listening(port) == 2, "each worker should listen on a socket of its own")
        # Each of the 16 connections lands on one of the two sockets by a hash of its port: all on one
        # worker would happen once in 32,768 bursts; with one shared socket it happened every first burst.
        assert len(set(_pids(port))) == 2


def test_a_worker_that_dies_is_replaced_on_its_socket_and_a_retired_ones_socket_is_closed() -> None:
    with _supervisor(workers=2) as (process, port):
        _wait_for(lambda: len(set(_pids(port))) == 2, "both workers should answer")
        victim = _pids(port)[0]
        os.kill(victim, signal.SIGKILL)
        # Replaced on the same socket: still two listening, and a new pid among those answering.
        _wait_for(
            lambda: victim not in (pids := set(_pids(port))) and len(pids) == 2,
            "the killed worker should be replaced and answer again",
        )
        assert _listening(port) == 2
        os.kill(process.pid, signal.SIGTTOU)  # one worker fewer: its socket must not keep connections
        _wait_for(lambda: _listening(port) == 1, "the retired worker's socket should be closed")
        assert len(set(_pids(port))) == 1  # every connection answered, none left waiting in a queue
        os.kill(process.pid, signal.SIGTTIN)
        _wait_for(lambda: len(set(_pids(port))) == 2, "a worker added by SIGTTIN should get a socket")
        assert _listening(port) == 2


def test_sockets_share_the_port_and_a_taken_port_is_refused() -> None:
    first = listening_socket("127.0.0.1", 0)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port)
    assert second.getsockname()[1] == port
    with socket.socket() as other, pytest.raises(OSError):
        other.bind(("127.0.0.1", port))  # a socket without SO_REUSEPORT cannot take the port
    first.close()
    second.close()


def test_a_served_app_leaves_what_it_was_built_with_out_of_later_collections(
    monkeypatch, tmp_path: Path
) -> None:  # noqa: ANN001
    import gc

    from gi_registry.core.settings import get_settings
    from gi_registry.http.app import create_served_app

    monkeypatch.setenv("GI_DATABASE_URL", f"sqlite:///{tmp_path / 'served.db'}")
    get_settings.cache_clear()
    try:
        assert gc.get_freeze_count() == 0
        app = create_served_app()
        # The imported modules and the built app are in the permanent generation: a full collection
        # (100-300 ms on the event loop at this size) no longer walks them.
        assert gc.get_freeze_count() > 50_000
        assert app.url_path_for("healthz") == "/healthz"
    finally:
        gc.unfreeze()  # this test process builds many more apps
        get_settings.cache_clear()
