"""Several workers, each accepting on a socket of its own (SO_REUSEPORT), under uvicorn's supervisor.

uvicorn binds one socket and every worker accepts from it. The worker whose event loop wakes first
takes every connection then waiting, so a burst of new connections (a proxy filling its keep-alive
pool, a load test) can all land on one worker while the others idle, and stay there as long as the
connections live: in the benchmark, a 16-connection load test was served by one worker of two, one
core idle, at two thirds of the rate the same test reached when the connections were spread.

Here each worker gets its own socket on the same port, with SO_REUSEPORT, and the kernel spreads new
connections over the listening sockets by a hash of the client's address and port. The supervisor is
uvicorn's (health checks, SIGHUP restarts, SIGTTIN/SIGTTOU); only which socket a worker is given
changes. The parent keeps every socket open: a connection hashed to a worker that died waits in that
socket's queue for the replacement instead of being refused. A socket is closed when its worker is
retired for good (SIGTTOU). Not on Windows, which has no SO_REUSEPORT; one worker needs none of this.
"""

import socket

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that other sockets of this user may share (SO_REUSEPORT).

    Bound, not listening: the worker's server listens on it, and until then the kernel sends the
    port's connections to the sockets that do."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class SocketPerWorker(Multiprocess):
    """uvicorn's multiprocess supervisor, with worker slot i serving `self.sockets[i]` alone."""

    def __init__(self, config: Config) -> None:
        first = listening_socket(config.host, config.port)
        self.port = first.getsockname()[1]  # the port asked for, or the one port 0 was given
        sockets = [first]
        try:
            sockets += [listening_socket(config.host, self.port) for _ in range(config.workers - 1)]
        except OSError:
            for sock in sockets:
                sock.close()
            raise
        super().__init__(config, sockets)
        shown = f"[{config.host}]" if ":" in config.host else config.host
        scheme = "https" if config.is_ssl else "http"
        logger.info(
            f"Uvicorn running on {scheme}://{shown}:{self.port}, a socket per worker (Press CTRL+C to quit)"
        )

    def _start(self, slot: int) -> Process:
        """Start a worker on slot `slot`'s socket (a new socket for a slot added by SIGTTIN)."""
        while len(self.sockets) <= slot:
            self.sockets.append(listening_socket(self.config.host, self.port))
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        for slot in range(self.processes_num):
            self.processes.append(self._start(slot))

    def restart_all(self) -> None:
        """As uvicorn's: each worker's replacement, on the same socket, serves before the old one goes."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error(
                        f"New child process [{new.pid}] was not ready in time; "
                        f"keeping worker [{old.pid}] and aborting the restart."
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        """As uvicorn's: a hung or dead worker is replaced on its own socket; a start-up failure stops all."""
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # The app or the socket is broken and would fail the same way on every restart.
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            self.processes[slot] = self._start(slot)

    def handle_ttin(self) -> None:
        logger.info("Received SIGTTIN, increasing the number of processes.")
        self.processes_num += 1
        self.processes.append(self._start(len(self.processes)))

    def handle_ttou(self) -> None:
        logger.info("Received SIGTTOU, decreasing number of processes.")
        if self.processes_num <= 1:
            logger.info("Already reached one process, cannot decrease the number of processes anymore.")
            return
        self.processes_num -= 1
        process = self.processes.pop()
        process.terminate()
        process.join()
        # Nobody accepts on it any more: connections the kernel would hash to it must go elsewhere.
        self.sockets.pop().close()


def run(config: Config) -> None:
    """Serve `config` (its app an import string) with `config.workers` workers, each on its own socket;
    on a system without SO_REUSEPORT, on one shared socket as uvicorn does."""
    if not hasattr(socket, "SO_REUSEPORT"):
        Multiprocess(config, [config.bind_socket()]).run()
        return
    supervisor = SocketPerWorker(config)
    try:
        supervisor.run()
    finally:
        for sock in supervisor.sockets:
            sock.close()
