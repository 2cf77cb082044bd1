"""Parsers of untrusted bytes run in a child process with a memory and a time limit.

GDAL, GEOS and openpyxl allocate and loop in C, where Python can neither count nor interrupt them; the
budgets each parser enforces while reading are the first line, this is the second. The child gets an
address-space limit (RLIMIT_AS), so an allocation past its budget fails there and not in the server, and
the parent kills a child that runs past its time. The child also drops its network (a new, empty network
namespace where the kernel allows it), so a file that names a URL cannot make the server fetch it.

Children are forked from a forkserver: a single-threaded process started once, on first use, which has
already imported the parsers; forking the threaded server itself is unsafe (locks held by other threads).
"""

import ctypes
import logging
import multiprocessing
import resource
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Imported by the forkserver once, so each child starts with the parsers loaded (~30 ms, not ~1 s).
PRELOAD = ["gi_registry.geo.uploads", "gi_registry.imports.service"]
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class Budget:
    """What one parse may use: memory added to the child's start, and wall-clock seconds."""

    memory_mb: int = 1024
    seconds: float = 60.0


@dataclass(frozen=True)
class Run:
    """What a finished child used, for the logs and the tests' figures."""

    name: str
    outcome: str  # "ok", "refused", "memory", "time", "died"
    seconds: float
    peak_growth_mb: float | None  # the child's peak RSS above its RSS at start; None when killed


# The last runs of this process (newest last), for operators and the hostile-input tests' figures.
RECENT: deque[Run] = deque(maxlen=50)


class WorkerLimit(Exception):
    """The parse ran out of its memory or time budget, or the child died; the parse is abandoned."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.message = message


_context_lock = threading.Lock()
_context: Any = None


def _forkserver() -> Any:  # noqa: ANN401 - multiprocessing's context classes are not public types
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _status_kb(field: str) -> int:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # no /proc (not Linux): figures are unknown, and no address-space limit is set
        return 0
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _drop_network() -> None:
    """A new user and network namespace: no interface but a down loopback, so nothing can be fetched."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            errno = ctypes.get_errno()
            logger.debug("unshare refused (errno %s); the parsers' own network checks remain", errno)
    except (OSError, AttributeError):  # not Linux, or no unshare: the parsers' checks still hold
        pass


def _child(connection: Connection, budget: Budget, func: Callable[..., Any], args: tuple) -> None:
    start_rss = _status_kb("VmRSS")
    size = _status_kb("VmSize") * 1024
    if size:
        limit = size + budget.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(budget.seconds) + 5  # a backstop; the parent's wall clock normally acts first
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    _drop_network()

    def growth() -> float:
        return max(_status_kb("VmHWM") - start_rss, 0) / 1024

    try:
        result = func(*args)
        message: tuple = ("ok", result, growth())
    except MemoryError:
        message = ("memory", None, growth())
    except Exception as exc:  # the parser's refusal (or any failure) is the caller's to map
        message = ("refused", exc, growth())
    try:
        connection.send(message)
    except MemoryError:
        connection.send(("memory", None, growth()))
    except Exception as exc:  # an exception that does not pickle: keep its words, not its type
        connection.send(("refused", RuntimeError(f"{type(exc).__name__}: {exc}"), growth()))
    connection.close()


def run_limited(
    func: Callable[..., T],
    *args: Any,  # noqa: ANN401
    budget: Budget,
    scratch: bool = False,
    files: dict[str, bytes] | None = None,
) -> T:
    """`func(*args)` in a child under `budget`; with `scratch`, a temporary folder is passed first.

    The folder belongs to the parent and is removed whatever happens, so a killed child leaves nothing.
    `files` are written into it first: handing the child an upload as a file, not through the pipe,
    spares the server a pickled copy of it. Exceptions raised by `func` are raised here; WorkerLimit
    when the budget ran out.
    """
    context = _forkserver()
    folder = tempfile.mkdtemp(prefix="gi-parse-") if scratch or files else None
    call_args = (Path(folder), *args) if folder else args
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, budget, func, call_args), daemon=True)
    started = time.monotonic()
    name = getattr(func, "__qualname__", str(func))
    outcome, growth = "died", None
    try:
        for file_name, content in (files or {}).items():
            (Path(folder) / file_name).write_bytes(content)
        process.start()
        sender.close()
        deadline = started + budget.seconds
        message = None
        while message is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome = "time"
                raise WorkerLimit(
                    "time", f"Reading the file took longer than the {budget.seconds:g} s allowed."
                )
            ready = wait([receiver, process.sentinel], timeout=remaining)
            if receiver in ready:
                try:
                    message = receiver.recv()
                except EOFError:
                    break
            elif ready:  # the child ended without a word: killed by the kernel or a C library
                if receiver.poll():
                    continue
                break
        if message is None:
            raise WorkerLimit(
                "memory", f"Reading the file needed more than the {budget.memory_mb} MB of memory allowed."
            )
        outcome, value, growth = message
        if outcome == "memory":
            raise WorkerLimit(
                "memory", f"Reading the file needed more than the {budget.memory_mb} MB of memory allowed."
            )
        if outcome == "refused":
            raise value
        return value
    finally:
        if process.is_alive():
            process.kill()
        if process.pid is not None:
            process.join(5)
        receiver.close()
        sender.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        run = Run(name, outcome, round(time.monotonic() - started, 3), growth)
        RECENT.append(run)
        logger.info("parse %s: %s in %.2f s, peak +%s MB", name, outcome, run.seconds, growth)
