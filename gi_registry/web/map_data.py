"""/maps/data/: the layers the map pages load in the browser, as JSON documents in the app's cache.

Each document is built once per data version and day (areas are today's) by `gi_registry.core.cache`, kept
gzipped beside the plain bytes (100,000 producers are a few megabytes of JSON that compress about five
times), and answered with a weak ETag and 304s.
"""

from collections.abc import Callable
from datetime import date

from fastapi import Request, Response
from sqlmodel import Session

from gi_registry.core import cache
from gi_registry.core.cache import dumps
from gi_registry.core.db import in_session

JSON = "application/json"


def _key(name: str, *parts: object) -> tuple:
    return ("maps", name, *parts, date.today())


def indexed(request: Request, session: Session, name: str, parts: tuple, build: Callable[[Session], object]):  # noqa: ANN201
    """What `build` returns (an index the tiles are cut from: maps.view), kept in the cache once per data
    version and day like the documents, weighed by its `size`."""
    entry = cache.of(request).get(
        session, _key(name, *parts), lambda _version: build(session), size=lambda value: value.size
    )
    return entry.value


async def serve(request: Request, name: str, parts: tuple, build: Callable[[Session], object]) -> Response:
    """The document `name` for `parts`: a current one without the thread pool, else built by `build`."""
    found = cache.of(request).peek(_key(name, *parts))
    if found is not None:
        return cache.respond(request, found, JSON)

    def run(session: Session) -> Response:
        entry = cache.of(request).get(session, _key(name, *parts), lambda _version: dumps(build(session)))
        return cache.respond(request, entry, JSON)

    return await in_session(request, run)
