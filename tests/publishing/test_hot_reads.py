"""Cached reads answered before routing (gi_registry.http.hot_reads): the same answer, less work.

A current hit of a marked route (one GI, an OGC feature, an OGC items or bbox page) is answered by the
middleware from the cache alone, without route matching or dependency solving; anything else reaches
the router as before, which keeps every error, every earlier route and PostgreSQL's per-request read.
"""

import fastapi.routing
import pytest
from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core import cache
from gi_registry.core.settings import Settings
from gi_registry.http.app import create_app
from gi_registry.http.hot_reads import CachedReads, hot_routes

ITEMS = "/ogc/collections/indications/items"
HOT = [
    ("/api/v1/indications/zhangshugang-lajiao", {}),
    (f"{ITEMS}/zhangshugang-lajiao", {}),
    (ITEMS, {"limit": 5}),
    (ITEMS, {"bbox": "113.0,29.3,113.2,29.5", "limit": 3}),
]


@pytest.fixture
def solved(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths whose request went through FastAPI's dependency solving (so through the router)."""
    seen: list[str] = []
    original = fastapi.routing.solve_dependencies

    async def counting(*args: object, **kwargs: object):  # noqa: ANN202 - whatever FastAPI's returns
        seen.append(kwargs["request"].url.path)  # type: ignore[union-attr]
        return await original(*args, **kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    return seen


def _without_time(body: dict) -> dict:
    return {key: value for key, value in body.items() if key != "timeStamp"}  # an items page's own


def _same(first: Response, again: Response) -> None:
    for header in ("etag", "content-type", "cache-control", "vary", "content-encoding"):
        assert again.headers.get(header) == first.headers.get(header), header
    # Every answer still passes the app's own middleware: request id and security headers.
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert again.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in again.headers


@pytest.mark.parametrize(("url", "params"), HOT)
def test_a_hit_is_answered_before_routing_with_the_same_answer(
    client: TestClient, solved: list[str], url: str, params: dict
) -> None:
    first = client.get(url, params=params)
    assert first.status_code == 200 and solved == [url]  # a miss: routed, built, stored
    again = client.get(url, params=params)
    assert again.status_code == 200
    _same(first, again)
    assert _without_time(again.json()) == _without_time(first.json())
    zipped = client.get(url, params=params, headers={"Accept-Encoding": "gzip"})
    unchanged = client.get(url, params=params, headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    if client.app.state.engine.dialect.name == "sqlite":
        assert solved == [url]  # the hits never reached the router
    else:
        # PostgreSQL reads the version row per request, so every request is routed (docs/performance.md).
        assert solved == [url] * 4
    assert _without_time(zipped.json()) == _without_time(again.json())


def test_a_write_is_seen_by_the_next_read_before_routing_too(client: TestClient, session: Session) -> None:
    from tests.publishing.test_cache import _rename

    url = "/api/v1/indications/zhangshugang-lajiao"
    first = client.get(url)
    assert client.get(url).headers["etag"] == first.headers["etag"]
    _rename(session, "zhangshugang-lajiao", "Seen before routing")
    session.commit()
    after = client.get(url)
    assert after.json()["name_en"] == "Seen before routing" and after.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/ogc/collections/nothing-here/items", 404),
        (f"{ITEMS}/no-such-gi", 404),
        ("/api/v1/indications/no-such-gi", 404),
    ],
)
def test_errors_are_the_routes_own(client: TestClient, url: str, status: int) -> None:
    client.get(ITEMS)  # the collection's snapshot is current, so a bad feature id is tried early
    client.get(f"{ITEMS}/zhangshugang-lajiao")
    answer = client.get(url)
    assert answer.status_code == status
    assert answer.json() == client.get(url).json()  # the same message each time
    assert ("description" in answer.json()) == url.startswith("/ogc")  # OGC's error shape, or the API's


def test_a_bad_items_query_still_gets_the_ogc_400(client: TestClient) -> None:
    client.get(ITEMS)
    answer = client.get(ITEMS, params={"limit": "many"})
    assert answer.status_code == 400 and answer.json()["code"] == "InvalidParameterValue"


# --- the middleware itself, on a small app ------------------------------------------------------------


def _small_app(calls: list[str]) -> FastAPI:
    app = FastAPI()

    def cached_thing(_request: Request, name: str) -> Response | None:
        if name == "broken":
            raise ValueError("the route says what is wrong")
        return Response(f"cached {name}") if name.startswith("hot") else None

    @app.get("/things/hot-special")
    def special() -> dict:
        calls.append("special")
        return {"route": "special"}

    @app.post("/things/{name}")
    def post_thing(name: str) -> dict:
        return {"posted": name}

    @app.get("/things/{name}")
    @cache.answered_from(cached_thing)
    def thing(name: str) -> dict:
        calls.append(name)
        if name == "broken":
            raise HTTPException(422, "the route says what is wrong")
        return {"route": name}

    app.add_middleware(CachedReads, hot=hot_routes(app.router.routes))
    return app


def test_an_earlier_route_still_wins_and_a_miss_or_an_error_is_routed() -> None:
    calls: list[str] = []
    client = TestClient(_small_app(calls))
    assert client.get("/things/hot-one").text == "cached hot-one"
    assert client.get("/things/hot-special").json() == {"route": "special"}  # registered first
    assert client.get("/things/cold").json() == {"route": "cold"}  # no hit: the route answers
    broken = client.get("/things/broken")
    assert broken.status_code == 422 and broken.json()["detail"] == "the route says what is wrong"
    assert client.post("/things/hot-one").json() == {"posted": "hot-one"}  # only GETs are taken early
    assert calls == ["special", "cold", "broken"]


def test_only_marked_get_routes_are_taken_in_routing_order() -> None:
    app = _small_app([])
    found = hot_routes(app.router.routes)
    assert len(found) == 1
    (thing,) = found
    assert thing.path.match("/things/x") and thing.earlier is not None
    assert thing.earlier.match("/things/hot-special") and not thing.earlier.match("/things/x")


def test_a_marked_route_with_a_dependency_is_refused_rather_than_answered_around_it() -> None:
    from fastapi import Depends

    from gi_registry.http.hot_reads import SkippedWork

    app = FastAPI()

    def signed_in() -> None:
        raise HTTPException(401, "sign in first")

    @app.get("/private/{name}")
    @cache.answered_from(lambda _request, name: Response(name))
    def private(name: str, _user: None = Depends(signed_in)) -> dict:
        return {"name": name}

    with pytest.raises(SkippedWork, match="signed_in"):
        hot_routes(app.router.routes)


@pytest.mark.parametrize("telemetry", [False, True])
def test_fastapis_telemetry_checks_run_only_when_asked_for(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch, telemetry: bool
) -> None:
    """Off by default: with no OpenTelemetry wanted, a request does not look for its providers."""
    trace = pytest.importorskip("opentelemetry.trace")
    looked: list[int] = []
    original = trace.get_tracer_provider

    def counting():  # noqa: ANN202 - OpenTelemetry's provider
        looked.append(1)
        return original()

    monkeypatch.setattr(trace, "get_tracer_provider", counting)
    app = create_app(settings.model_copy(update={"telemetry": telemetry}), engine)
    with TestClient(app) as client:
        looked.clear()  # start-up may look once; only the requests count
        assert client.get("/api/v1/indications/zhangshugang-lajiao").status_code == 200
        assert client.get("/healthz").status_code == 200
    assert bool(looked) is telemetry
