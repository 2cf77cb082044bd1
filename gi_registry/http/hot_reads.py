"""Cached reads answered before routing: a hit costs the cache lookup and the bytes, nothing else.

FastAPI's routing and request handling (matching ~180 routes in nested routers, building each
route's context, solving the endpoint's parameters) were more than half of a cached answer's time:
195 µs a request in process for one GI through the router, 86 µs before it. The GET routes marked
with `gi_registry.core.cache.answered_from` say how to answer a current hit from the cache alone; this
middleware, innermost of the app's own (so every answer still gets its request id, log line and
security headers), tries that first and routes the request only when the cache cannot answer.

It never changes which route answers: a path is taken for a marked route only when no GET route
registered before it matches the path too, as the router itself would decide. Anything the cached
answer raises (an unknown collection, a bad parameter) sends the request through the router, whose
route gives the error its usual way.
"""

import re
from dataclasses import dataclass

from fastapi import Request
from fastapi.routing import iter_route_contexts
from starlette.convertors import Convertor
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from gi_registry.core.cache import CachedAnswer

_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class HotRoute:
    """A marked route: its path pattern, the earlier routes that would win, how to answer a hit."""

    path: re.Pattern[str]
    earlier: re.Pattern[str] | None  # any GET route before it, as one pattern without named groups
    cached: CachedAnswer
    convertors: dict[str, Convertor]


def hot_routes(routes: list[BaseRoute]) -> list[HotRoute]:
    """The marked GET routes of an app, in routing order, each with the routes that come before it."""
    found: list[HotRoute] = []
    before: list[str] = []
    # FastAPI keeps included routers nested; this walks their routes flat, in the order they match.
    for route in iter_route_contexts(routes):
        pattern = getattr(route, "path_regex", None)
        if not isinstance(pattern, re.Pattern):
            break  # a route this module cannot match: nothing after it is taken early
        methods = route.methods
        if methods is not None and "GET" not in methods:
            continue  # the router would only note it as a partial match and go on
        cached = getattr(route.endpoint, "cached_answer", None)
        if cached is not None:
            _check_nothing_skipped(route)
            earlier = re.compile("|".join(before)) if before else None
            found.append(HotRoute(pattern, earlier, cached, dict(route.param_convertors)))
        before.append(f"(?:{_GROUP.sub('(?:', pattern.pattern)})")
    return found


class SkippedWork(RuntimeError):
    """A marked route that takes something the early answer would not check (a dependency, a header)."""


def _check_nothing_skipped(route: object) -> None:
    """Refuse a marked route with dependencies or non-path parameters: answering it early would skip
    them (a sign-in check, a rate limit), so such a route must not be marked at all."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return  # a plain Starlette route: it has no dependencies to skip
    extra = [
        *(f"{d.name} (Depends({getattr(d.call, '__name__', d.call)}))" for d in dependant.dependencies),
        *(p.name for p in (*dependant.query_params, *dependant.header_params, *dependant.cookie_params)),
        *(p.name for p in dependant.body_params),
    ]
    if extra:
        raise SkippedWork(
            f"{getattr(route, 'path', route)} is marked cache.answered_from but takes {', '.join(extra)}, "
            "which an answer before routing would skip; read them from the request in the cached answer "
            "and the route instead, or do not mark the route"
        )


class CachedReads:
    """Serve a current cache hit of a marked GET route without routing it."""

    def __init__(self, app: ASGIApp, hot: list[HotRoute]) -> None:
        self.app = app
        self.hot = hot  # hot_routes of the app's routes, all registered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Behind a path prefix (root_path) the router strips it first; those requests are routed.
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            path = scope["path"]
            for hot in self.hot:
                matched = hot.path.match(path)
                if matched is None:
                    continue
                if hot.earlier is not None and hot.earlier.match(path):
                    break  # an earlier route takes this path
                answer = None
                try:
                    parameters = {
                        name: hot.convertors[name].convert(value)
                        for name, value in matched.groupdict().items()
                    }
                    answer = hot.cached(Request(scope, receive), **parameters)
                except Exception:  # noqa: BLE001, S110 - the route answers it, errors included
                    pass
                if answer is not None:
                    await answer(scope, receive, send)
                    return
                break
        await self.app(scope, receive, send)
