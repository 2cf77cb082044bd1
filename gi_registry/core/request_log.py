"""Request ids and structured logs: one JSON line per request and per log record, tied by the request id.

A client may send `X-Request-ID` (e.g. a proxy's id); otherwise one is made. The answer echoes it, and
every log line written while serving the request carries it, so one complaint leads to one set of lines.
"""

import itertools
import json
import logging
import os
import re
import sys
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
# Only ids that are safe to copy into logs and headers: no spaces, quotes or control characters.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
request_logger = logging.getLogger("gi_registry.requests")
# One encoder for every line: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message, request id and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id.get(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return _encode(line)


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is now (test runners swap it), not the one at start-up."""

    @property
    def stream(self):  # noqa: ANN201 - a text stream
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def configure_logging() -> None:
    """Send the registry's log records to stderr as JSON lines (once per process)."""
    registry = logging.getLogger("gi_registry")
    if any(getattr(handler, "gi_json", False) for handler in registry.handlers):
        return
    handler = _CurrentStderr()
    handler.gi_json = True
    handler.setFormatter(JsonFormatter())
    registry.addHandler(handler)
    registry.setLevel(logging.INFO)


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            offered = value.decode("latin-1")
            if _ACCEPTABLE_ID.match(offered):
                return offered
    return _new_id()


# Ids need to be unique, not secret: a random per-process prefix and a counter, because os.urandom
# for every request (uuid4) took a fifth of a millisecond on the event loop here. A forked worker
# draws its own prefix.
_prefix = (os.getpid(), uuid.uuid4().hex[:20])
_counter = itertools.count()


def _new_id() -> str:
    global _prefix  # noqa: PLW0603 - one prefix per process
    if _prefix[0] != os.getpid():
        _prefix = (os.getpid(), uuid.uuid4().hex[:20])
    return f"{_prefix[1]}{next(_counter) % 16**12:012x}"


class RequestId:
    """Give each HTTP request an id, echo it in X-Request-ID, and log the request when it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        # Not reset afterwards: the error handler outside this middleware logs with the same id.
        current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def tagged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        finally:
            if request_logger.isEnabledFor(logging.INFO):
                fields = {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
                # Made directly, not by .info(): that walks the stack for the caller's file and line,
                # which every line of this logger shares, a tenth of what a cached answer costs.
                record = request_logger.makeRecord(
                    request_logger.name,
                    logging.INFO,
                    __file__,
                    0,
                    "request",
                    (),
                    None,
                    extra={"fields": fields},
                )
                request_logger.handle(record)
