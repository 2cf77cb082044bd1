"""/maps/data/: the layers the map pages load in the browser, as JSON bytes built once per data version.

Like the OGC snapshots (gi_registry.ogc.cache), a document built at data version v is served while the
newest change-log id is still v (and for at most MAX_AGE_S), with a weak ETag; it is kept gzipped too,
since 100,000 producers are a few megabytes of JSON that compress about five times.
"""

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request, Response
from sqlmodel import Session

from gi_registry.ogc.cache import MAX_AGE_S, data_version, dumps


@dataclass(frozen=True)
class Document:
    """One map-data document at one data version."""

    version: int
    built_at: float
    body: bytes
    gzipped: bytes
    etag: str


class MapDataCache:
    """Documents per (name, demo mode); each rebuilt by one request at a time; thread-safe."""

    def __init__(self) -> None:
        self._documents: dict[tuple, Document] = {}
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def get(self, session: Session, key: tuple, build: Callable[[], object]) -> Document:
        """The document for the current data version, built by `build` when there is none yet.

        Only one request builds it; while it does, the others are answered from the previous document
        (a map a few seconds behind a write), and wait only when there is none at all.
        """
        version = data_version(session)
        with self._lock:
            builder = self._building.setdefault(key, threading.Lock())
            found = self._documents.get(key)
        if found is not None and found.version == version and time.monotonic() - found.built_at <= MAX_AGE_S:
            return found
        if not builder.acquire(blocking=found is None):
            return found
        try:
            with self._lock:
                latest = self._documents.get(key)
            if latest is not None and latest is not found and latest.version == version:
                return latest  # built by the request this one waited for
            body = dumps(build())
            tag = "-".join(str(part) for part in key)
            document = Document(
                version, time.monotonic(), body, gzip.compress(body, 6), f'W/"{version}-{tag}"'
            )
            with self._lock:
                self._documents[key] = document
            return document
        finally:
            builder.release()


def cache_of(request: Request) -> MapDataCache:
    """One cache per app, so per database."""
    cache = getattr(request.app.state, "map_data_cache", None)
    if cache is None:
        cache = request.app.state.map_data_cache = MapDataCache()
    return cache


def respond(request: Request, document: Document) -> Response:
    """The document, gzipped when the client accepts it; 304 when its ETag is already held."""
    headers = {"ETag": document.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    wanted = request.headers.get("if-none-match", "")
    if document.etag in (tag.strip() for tag in wanted.split(",")):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(document.gzipped, media_type="application/json", headers=headers)
    return Response(document.body, media_type="application/json", headers=headers)
