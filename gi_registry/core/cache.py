"""The one cache of published answers: keyed by what an answer depends on and by the data version.

Every cached answer (one GI over the API, OGC items and features, map data, whole-layer exports) is
built here, once per commit-ordered data version (`gi_registry.core.versioning`), so a read that starts after
a write's acknowledgement sees it, on every worker. `create_app` makes one per app (so per database).

- An entry is current only at the version it was built at; older entries are never served.
- The version is read from the shared signal when it has not moved (no database round trip, so
  `peek` answers a hit on the event loop), otherwise from the version row (PostgreSQL without
  `GI_VERSION_SIGNAL`: always).
- One request builds a missing entry while the others asking for the same key wait for it.
- Bounded: least recently used entries go past `cache_entries` or `cache_megabytes`.
- Bytes are kept gzipped beside the plain ones; `respond` answers ETag, 304 and gzip in one place.
"""

import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core import versioning
from gi_registry.core.etags import REVALIDATE, not_modified


@dataclass(frozen=True)
class Entry:
    """One answer at one data version."""

    version: int
    etag: str
    value: object  # the bytes of a document, or what a route composes answers from (an OGC snapshot)
    gzipped: bytes | None
    size: int
    # Header lines of `respond`'s answers from this entry, encoded once: (media type, extra, gzip) -> lines.
    header_lines: dict[tuple, list[tuple[bytes, bytes]]] = field(default_factory=dict, compare=False)


def etag_of(version: int, *parts: object) -> str:
    """A weak ETag of the data version and what else the answer depends on."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()
    return f'W/"{version}-{digest}"'


class PublishedCache:
    """Entries per key, current at one data version each; thread-safe."""

    def __init__(self, engine: Engine, *, entries: int, megabytes: float, recheck_ms: int) -> None:
        self._engine = engine
        self._signal = versioning.signal_for(engine)
        self._max_entries = entries
        self._max_bytes = int(megabytes * 1024 * 1024)
        self._recheck_s = recheck_ms / 1000
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._bytes = 0
        self._building: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        # The version last read from the row, the signal value read just before, and until when that
        # pair is trusted without another look at the row.
        self._known: tuple[int, int, float] | None = None

    def _trusted_version(self) -> int | None:
        """The data version without the database, when the signal has not moved since it was read."""
        if self._signal is None or self._known is None:
            return None
        version, seen, until = self._known
        if self._signal.read() != seen or time.monotonic() > until:
            return None
        return version

    def version(self, session: Session | None = None) -> int:
        """The current data version: from the signal if it has not moved, else one primary-key read."""
        trusted = self._trusted_version()
        if trusted is not None:
            return trusted
        if self._signal is None:
            if session is not None:
                return versioning.read(session.connection())
            with self._engine.connect() as connection:
                return versioning.read(connection)
        seen = self._signal.read()  # before the row: a commit announced after this is seen next time
        with self._engine.connect() as connection:  # a fresh snapshot, not the session's older one
            version = versioning.read(connection)
        self._known = (version, seen, time.monotonic() + self._recheck_s)
        return version

    def _current(self, key: Hashable, version: int) -> Entry | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or found.version != version:
                return None
            self._entries.move_to_end(key)
            return found

    def peek(self, key: Hashable) -> Entry | None:
        """The current entry for `key` when that is known without the database (else None: use `get`)."""
        version = self._trusted_version()
        return None if version is None else self._current(key, version)

    def get(
        self,
        session: Session,
        key: Hashable,
        build: Callable[[int], object],
        *,
        size: Callable[[object], int] | None = None,
        compressed: bool = True,
    ) -> Entry:
        """The entry for `key` at the current version, built by `build(version)` when there is none.

        `build` reads through `session`; the version it is stored under is read in that same session
        before it runs, so the entry never claims a newer version than the data it holds. Bytes are
        kept gzipped as well unless `compressed` is False (bytes never sent as they are kept).
        """
        found = self._current(key, self.version(session))
        if found is not None:
            return found
        with self._lock:
            builder = self._building.setdefault(key, threading.Lock())
        try:
            with builder:
                version = versioning.read(session.connection())
                found = self._current(key, version)
                if found is not None:
                    return found  # built by the request this one waited for
                value = build(version)
                gzipped = None
                if isinstance(value, bytes) and compressed:
                    gzipped = gzip.compress(value, 6)  # once per version, whoever asks for it
                    weight = len(value) + len(gzipped)
                elif isinstance(value, bytes):
                    weight = len(value)
                else:
                    weight = size(value) if size is not None else 0
                entry = Entry(version, etag_of(version, key), value, gzipped, weight)
                self._store(key, entry)
                return entry
        finally:
            with self._lock:
                # Keys whose build failed (an unknown slug) keep no lock behind: the dict stays bounded.
                if key not in self._entries and self._building.get(key) is builder and not builder.locked():
                    del self._building[key]

    def _store(self, key: Hashable, entry: Entry) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= old.size if old is not None else 0
            self._entries[key] = entry
            self._bytes += entry.size
            while len(self._entries) > 1 and (
                len(self._entries) > self._max_entries or self._bytes > self._max_bytes
            ):
                dropped, gone = self._entries.popitem(last=False)
                self._bytes -= gone.size
                lock = self._building.get(dropped)
                if lock is not None and not lock.locked():
                    del self._building[dropped]


def respond(
    request: Request, entry: Entry, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    """A document entry as the answer: 304 when the client holds its ETag, gzipped when accepted."""
    if (unchanged := not_modified(request, entry.etag, {**(headers or {}), **VARY})) is not None:
        return unchanged
    assert isinstance(entry.value, bytes)  # noqa: S101 - respond is for document entries only
    gzipped = entry.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "")
    shape = (media_type, tuple(headers.items()) if headers else (), gzipped)
    lines = entry.header_lines.get(shape)
    if lines is None:
        answer_headers = {"ETag": entry.etag, **REVALIDATE, **(headers or {}), **VARY}
        if gzipped:
            answer_headers["Content-Encoding"] = "gzip"
        body = entry.gzipped if gzipped else entry.value
        lines = Response(body, media_type=media_type, headers=answer_headers).raw_headers
        entry.header_lines[shape] = lines  # a few shapes per entry at most: bounded with it
    return _Encoded(entry.gzipped if gzipped else entry.value, lines)  # type: ignore[arg-type]


VARY = {"Vary": "Accept-Encoding"}


class _Encoded(Response):
    """An answer whose header lines were encoded before (per cache entry, not per request)."""

    def __init__(self, body: bytes, lines: list[tuple[bytes, bytes]]) -> None:  # noqa: D107
        self.status_code = 200
        self.background = None
        self.body = body
        # A copy: the middleware outside appends its own headers (request id, CSP) to this list.
        self.raw_headers = list(lines)


# What answers a route's request from the cache alone: the answer on a current hit, else None.
CachedAnswer = Callable[..., Response | None]
Endpoint = TypeVar("Endpoint", bound=Callable[..., object])


def answered_from(cached: CachedAnswer) -> Callable[[Endpoint], Endpoint]:
    """Mark a GET route whose hits `cached(request, **path_params)` answers without the database.

    The app serves those before routing (`gi_registry.http.hot_reads`), so a hit costs no route
    matching, no dependency and no thread-pool hop; the route itself calls `cached` first too, so a
    request that reaches it is answered the same way. `cached` may raise (an unknown collection): the
    request is then routed, and the route gives the error.
    """

    def mark(endpoint: Endpoint) -> Endpoint:
        endpoint.cached_answer = cached  # type: ignore[attr-defined] - read by http.hot_reads
        return endpoint

    return mark


def of(request: Request) -> PublishedCache:
    """The app's cache (made by `create_app`)."""
    return request.app.state.cache


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as every published answer (OGC, map data) is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
