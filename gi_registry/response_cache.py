"""Public JSON answers kept as bytes per data version, so a popular record is assembled once per change.

A GI's public record takes a dozen queries to assemble; the same bytes stay right until the next
write (the newest change-log id moves) or until midnight (terms are counted to today).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from fastapi import Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from gi_registry.etags import REVALIDATE, not_modified
from gi_registry.history.service import data_version

MAX_ENTRIES = 4_096


class ResponseCache:
    """Least-recently-used bytes by key; thread-safe."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self._lock:
            self._entries[key] = body
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _cache(request: Request) -> ResponseCache:
    cache = getattr(request.app.state, "response_cache", None)
    if cache is None:
        cache = request.app.state.response_cache = ResponseCache()
    return cache


def cached_json(request: Request, session: Session, key: tuple, build: Callable[[], BaseModel]) -> Response:
    """`build()` as JSON, from the cache while the data version and the day are unchanged; with an ETag."""
    version = data_version(session)
    today = date.today()
    full_key = (*key, version, today)
    digest = hashlib.blake2b(repr(full_key).encode(), digest_size=8).hexdigest()
    etag = f'W/"{version}-{digest}"'
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    cache = _cache(request)
    body = cache.get(full_key)
    if body is None:
        body = build().model_dump_json().encode()
        cache.put(full_key, body)
    return Response(body, media_type="application/json", headers={"ETag": etag, **REVALIDATE})
