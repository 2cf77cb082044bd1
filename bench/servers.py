"""Starting and stopping the servers under test, each in its own process group, on 127.0.0.1 only."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

HOST = "127.0.0.1"


class Server:
    """A server process group; stopping it kills every worker, not only the parent."""

    def __init__(
        self,
        name: str,
        command: list[str],
        port: int,
        env: dict[str, str],
        ready_path: str,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.base = f"http://{HOST}:{port}"
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-{name}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
        )
        self.ready = ready_path
        self._wait(ready_path)

    def _wait(self, path: str, limit_s: float = 90) -> None:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log.name}")
            try:
                if httpx.get(self.base + path, timeout=30).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {path} within {limit_s} s; see {self.log.name}")

    def drain(self, limit_s: float = 240) -> bool:
        """Wait until requests wrk left queued are done (the ready path answers within 2 s again)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + self.ready, timeout=2).status_code < 500:
                    return True
            except httpx.HTTPError:
                time.sleep(1)
        return False

    def workers(self) -> list[int]:
        """Pids of the worker processes (the children of the parent; the parent itself with one worker)."""
        children = []
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(status.parent.name))
        # uvicorn --workers N also forks a resource tracker or similar helper on some versions: keep
        # only children that are Python processes of meaningful size.
        return [pid for pid in children if _vm_hwm_mb(pid) > 30] or [self.process.pid]

    def peak_memory_mb(self) -> list[float]:
        """VmHWM (peak resident set) of each worker, in MB."""
        return [_vm_hwm_mb(pid) for pid in self.workers()]

    def stop(self) -> None:
        """SIGTERM the whole group, then SIGKILL what is left."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class ThrowawayPostgres:
    """PostgreSQL 15 + PostGIS on a Unix socket in a temporary folder (as tests/backends.py does)."""

    def __init__(self, pg_bin: Path = Path("/usr/lib/postgresql/15/bin"), port: int = 54339) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="gi-bench-pg-"))
        self.port = port
        self.pg_bin = pg_bin
        self._as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")  # initdb refuses to run as root
        self.dir.chmod(0o700)
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-k {self.dir} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-o", options, "start"
        )

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as_postgres, str(self.pg_bin / tool), *args], check=True, capture_output=True)

    def create_database(self, name: str) -> str:
        """A new database with PostGIS; returns its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(host=str(self.dir), port=self.port, user="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        with psycopg.connect(
            host=str(self.dir), port=self.port, user="postgres", dbname=name, autocommit=True
        ) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return f"postgresql+psycopg://postgres@/{name}?host={self.dir}&port={self.port}"

    def checkpoint(self) -> None:
        """Write every dirty page of the server out now (CHECKPOINT), not while something is measured."""
        import psycopg

        with psycopg.connect(host=str(self.dir), port=self.port, user="postgres", autocommit=True) as conn:
            conn.execute("CHECKPOINT")

    def version(self) -> str:
        """The server's version string."""
        out = subprocess.run([str(self.pg_bin / "postgres"), "--version"], capture_output=True, text=True)
        return out.stdout.strip()

    def close(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
