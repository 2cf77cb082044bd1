"""The one published cache: a read that starts after a write's acknowledgement sees it, on every worker.

The data version moves in commit order (gi_registry.core.versioning), every cached answer is keyed by it
(gi_registry.core.cache), and conditional requests are answered in one place (gi_registry.core.etags).
"""

import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.core import versioning
from gi_registry.core.cache import PublishedCache
from gi_registry.core.db import make_engine
from gi_registry.core.etags import matches
from gi_registry.core.settings import REPO_ROOT, Settings
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.http.app import create_app
from gi_registry.indications.models import Indication
from gi_registry.layers import store
from tests.live import serving

ITEMS = "/ogc/collections/indications/items"


def _version(engine: Engine) -> int:
    with engine.connect() as connection:
        return versioning.read(connection)


def _rename(session: Session, slug: str, name: str) -> None:
    indication = session.exec(select(Indication).where(Indication.slug == slug)).one()
    apply_changes(
        session, ChangeSet(actor="test", reason="cache test"), "indication", indication, {"name_en": name}
    )


def _mapped_slugs(client: TestClient) -> list[str]:
    """Slugs of GIs that have a production area on the map (so every cached answer shows them)."""
    return sorted({f["properties"]["slug"] for f in client.get("/maps/data/areas.json").json()["features"]})


def _readers(slug: str) -> dict[str, Callable[[Callable[..., object]], str]]:
    """How each cached answer shows the English name of GI `slug`, given a `get(url, params=...)`."""

    def feature_name(collection: dict, key: Callable[[dict], str]) -> str:
        return next(f for f in collection["features"] if key(f) == slug)["properties"]["name_en"]

    return {
        "api": lambda get: get(f"/api/v1/indications/{slug}").json()["name_en"],
        "ogc item": lambda get: get(f"{ITEMS}/{slug}").json()["properties"]["name_en"],
        "ogc items": lambda get: feature_name(get(ITEMS, params={"limit": 1000}).json(), lambda f: f["id"]),
        "map data": lambda get: feature_name(
            get("/maps/data/areas.json").json(), lambda f: f["properties"]["slug"]
        ),
        "export": lambda get: feature_name(
            get("/api/v1/exports/indications", params={"f": "geojson"}).json(), lambda f: f["id"]
        ),
        "map document": lambda get: _area_name_in_map(
            get(f"/maps/indications/{slug}.html", params={"lang": "en"}).text, slug
        ),
    }


def _area_name_in_map(html: str, slug: str) -> str:
    """The English name a GI's map document gives its production area (the area's GeoJSON properties)."""
    (properties,) = re.findall(r'\{[^{}]*"slug": "%s"[^{}]*\}' % re.escape(slug), html)  # noqa: UP031
    return re.search(r'"name_en": "([^"]*)"', properties).group(1)


# --- the data version -------------------------------------------------------------------------------


def test_a_committed_write_moves_the_version_and_a_rolled_back_one_or_a_layer_refresh_does_not(
    engine: Engine,
) -> None:
    versioning.install(engine)
    start = _version(engine)
    with Session(engine) as session:
        _rename(session, "zhangshugang-lajiao", "Rolled back")
        session.flush()
        session.rollback()
    assert _version(engine) == start
    with Session(engine) as session:
        _rename(session, "zhangshugang-lajiao", "Committed")
        session.commit()
    assert _version(engine) == start + 1
    with Session(engine) as session:  # a reader catching the layer store up writes no registry data
        store.redraw_all(session, ("indications",))
        session.commit()
    assert _version(engine) == start + 1
    with engine.begin() as connection:  # Core writes count as well as the ORM's
        connection.execute(text("UPDATE indication SET name_en = 'Core' WHERE slug = 'zhangshugang-lajiao'"))
    assert _version(engine) == start + 2


# --- the cache itself -------------------------------------------------------------------------------


def _cache(engine: Engine, **sizes: float) -> PublishedCache:
    versioning.install(engine)
    return PublishedCache(
        engine,
        entries=int(sizes.get("entries", 100)),
        megabytes=sizes.get("megabytes", 10),
        recheck_ms=60_000,
    )


def test_one_request_builds_while_the_others_wait_and_a_write_is_never_answered_from_before(
    engine: Engine,
) -> None:
    cache = _cache(engine)
    builds: list[int] = []
    started, finish = threading.Event(), threading.Event()

    def slow_build(version: int) -> bytes:
        builds.append(version)
        started.set()
        assert finish.wait(10)
        return f"built at {version}".encode()

    with Session(engine) as session:
        first = cache.get(session, ("doc",), lambda version: f"built at {version}".encode())
    with Session(engine) as session:
        _rename(session, "zhangshugang-lajiao", "A write")
        session.commit()
    answers: list[bytes] = []

    def ask(build: Callable[[int], bytes]) -> None:
        with Session(engine) as own:
            answers.append(cache.get(own, ("doc",), build).value)

    builder = threading.Thread(target=ask, args=(slow_build,))
    builder.start()
    assert started.wait(10)
    waiter = threading.Thread(target=ask, args=(lambda _v: b"a second build",))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # not answered with the entry from before the write: it waits
    finish.set()
    builder.join(10)
    waiter.join(10)
    assert answers == [f"built at {first.version + 1}".encode()] * 2
    assert builds == [first.version + 1]


def test_the_cache_is_bounded_least_recently_used_first(engine: Engine) -> None:
    cache = _cache(engine, entries=2)
    with Session(engine) as session:
        for key in ("a", "b", "a", "c"):
            cache.get(session, (key,), lambda _version, key=key: key.encode())
    with Session(engine) as session:
        rebuilt: list[str] = []
        for key in ("a", "c", "b"):
            cache.get(session, (key,), lambda _version, key=key: rebuilt.append(key) or key.encode())
    assert rebuilt == ["b"]  # "b" was the least recently used of three kept two


def test_answers_are_kept_gzipped_beside_the_bytes(engine: Engine) -> None:
    import gzip

    cache = _cache(engine)
    body = b'{"rows":[' + b",".join(b"[1,2,3]" for _ in range(1000)) + b"]}"
    with Session(engine) as session:
        entry = cache.get(session, ("big",), lambda _version: body)
    assert entry.gzipped is not None and gzip.decompress(entry.gzipped) == body
    assert len(entry.gzipped) < len(body) / 5
    assert entry.size == len(body) + len(entry.gzipped)

    # Bytes never sent as kept (a map document gets each answer's nonce first) are not compressed.
    with Session(engine) as session:
        kept = cache.get(session, ("template",), lambda _version: body, compressed=False)
    assert kept.value == body and kept.gzipped is None and kept.size == len(body)


def test_on_sqlite_a_hit_needs_no_database_and_another_process_write_is_seen_at_once(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        cache = _cache(engine)
        with Session(engine) as session:
            cache.get(session, ("doc",), lambda _version: b"x")
        assert cache.peek(("doc",)) is None  # PostgreSQL: every request reads the version row
        return
    cache = _cache(engine)
    with Session(engine) as session:
        built = cache.get(session, ("doc",), lambda _version: b"x")

    def no_database(_connection: object) -> int:
        raise AssertionError("a hit read the database")

    monkeypatch.setattr(versioning, "read", no_database)
    assert cache.peek(("doc",)) is built
    monkeypatch.undo()
    # Another worker process writes and answers; this one must not answer from before that write.
    script = (
        "import sys\n"
        "from sqlalchemy import text\n"
        "from gi_registry.core import versioning\n"
        "from gi_registry.core.db import make_engine\n"
        "from gi_registry.core.settings import Settings\n"
        "engine = make_engine(Settings(database_url=sys.argv[1]))\n"
        "versioning.install(engine)\n"
        "with engine.begin() as c:\n"
        "    c.execute(text(\"UPDATE indication SET name_en = 'Other worker' WHERE id = 1\"))\n"
    )
    subprocess.run([sys.executable, "-c", script, settings.database_url], check=True, timeout=120)
    assert cache.peek(("doc",)) is None
    with Session(engine) as session:
        again = cache.get(session, ("doc",), lambda _version: b"y")
    assert again.value == b"y" and again.version == built.version + 1


def test_a_restore_never_brings_back_a_version_answers_were_cached_under(
    client: TestClient, engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from gi_registry.cli.app import app
    from gi_registry.core.settings import get_settings

    url = "/api/v1/indications/zhangshugang-lajiao"
    runner, environment = CliRunner(), {"GI_DATABASE_URL": settings.database_url}
    get_settings.cache_clear()
    try:
        original = client.get(url).json()["name_en"]
        assert runner.invoke(app, ["backup", str(tmp_path / "backup")], env=environment).exit_code == 0
        with Session(engine) as session:
            _rename(session, "zhangshugang-lajiao", "After the backup")
            session.commit()
        assert client.get(url).json()["name_en"] == "After the backup"  # cached at the backup's version + 1
        restored = runner.invoke(app, ["restore", str(tmp_path / "backup")], env=environment)
        assert restored.exit_code == 0, restored.output
        assert client.get(url).json()["name_en"] == original
        with Session(engine) as session:  # the next write must not land on a version already used
            _rename(session, "zhangshugang-lajiao", "After the restore")
            session.commit()
        assert client.get(url).json()["name_en"] == "After the restore"
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("url", "params", "module"),
    [
        ("/api/v1/indications/zhangshugang-lajiao", {}, "gi_registry.indications.routes"),
        (f"{ITEMS}/zhangshugang-lajiao", {}, "gi_registry.ogc.routes"),
        (ITEMS, {"limit": 5}, "gi_registry.ogc.routes"),
        (ITEMS, {"bbox": "113.0,29.3,113.2,29.5"}, "gi_registry.ogc.routes"),
        ("/maps/data/areas.json", {}, "gi_registry.web.map_data"),
    ],
)
def test_a_hit_is_answered_without_a_session_or_the_thread_pool_on_sqlite(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, url: str, params: dict, module: str
) -> None:
    import importlib

    first = client.get(url, params=params)
    assert first.status_code == 200

    async def no_session(*_args: object) -> None:
        raise AssertionError("a cache hit took a session on the thread pool")

    monkeypatch.setattr(importlib.import_module(module), "in_session", no_session)
    if client.app.state.engine.dialect.name != "sqlite":
        # PostgreSQL reads the version row per request (docs/performance.md, What the figures say).
        with pytest.raises(AssertionError, match="thread pool"):
            client.get(url, params=params)
        return
    again = client.get(url, params=params)
    assert again.status_code == 200 and again.headers["etag"] == first.headers["etag"]
    assert again.content == first.content or url == ITEMS  # an items page carries its own timeStamp


# --- If-None-Match ----------------------------------------------------------------------------------


def test_if_none_match_reads_star_lists_and_weak_tags() -> None:
    assert matches("*", 'W/"3-abc"')
    assert matches('"x", W/"3-abc" , "y"', 'W/"3-abc"')
    assert matches('"3-abc"', 'W/"3-abc"')  # weak comparison: W/ on either side does not matter
    assert not matches('W/"2-abc"', 'W/"3-abc"')
    assert not matches("", 'W/"3-abc"') and not matches(None, 'W/"3-abc"')


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/indications/zhangshugang-lajiao", {}),
        (f"{ITEMS}/zhangshugang-lajiao", {}),
        (ITEMS, {"limit": 5}),
        ("/maps/data/areas.json", {}),
        ("/api/v1/exports/indications", {"f": "geojson"}),
    ],
)
def test_every_cached_answer_answers_304_to_star_a_list_or_a_weak_tag_and_200_to_a_stale_one(
    client: TestClient, session: Session, url: str, params: dict
) -> None:
    first = client.get(url, params=params)
    assert first.status_code == 200
    etag = first.headers["etag"]
    strong = etag.removeprefix("W/")
    for held in ("*", f'"nothing-like-it", {etag}', strong, f"W/{strong}"):
        again = client.get(url, params=params, headers={"If-None-Match": held})
        assert again.status_code == 304 and again.content == b"", held
        assert again.headers["etag"] == etag
    _rename(session, "zhangshugang-lajiao", "Renamed for If-None-Match")
    session.commit()
    after = client.get(url, params=params, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert client.get(url, params=params, headers={"If-None-Match": after.headers["etag"]}).status_code == 304


def test_map_data_is_served_gzipped_when_accepted(client: TestClient) -> None:
    plain = client.get("/maps/data/areas.json", headers={"Accept-Encoding": "identity"})
    zipped = client.get("/maps/data/areas.json", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip" and zipped.json() == plain.json()
    assert zipped.headers["etag"] == plain.headers["etag"] and "Accept-Encoding" in zipped.headers["vary"]


# --- the out-of-order commit ------------------------------------------------------------------------


def test_a_write_after_a_read_is_seen_by_every_cached_answer(client: TestClient, session: Session) -> None:
    slug = _mapped_slugs(client)[0]
    readers = _readers(slug)
    before = {name: read(client.get) for name, read in readers.items()}
    assert len(set(before.values())) == 1
    _rename(session, slug, "Seen at once")
    session.commit()
    assert {name: read(client.get) for name, read in readers.items()} == dict.fromkeys(
        readers, "Seen at once"
    )


@pytest.fixture(scope="module")
def postgres(request: pytest.FixtureRequest) -> Iterator[object]:
    """A PostgreSQL server: the suite's own under GI_TEST_BACKEND=postgis, else a throwaway one."""
    from tests.backends import PostgresBackend
    from tests.machine import postgis_missing

    backend = request.getfixturevalue("backend")
    if backend.name == "postgis":
        yield backend
        return
    if (missing := postgis_missing()) is not None:
        pytest.skip(missing)  # under CI=true a skip fails the run (conftest.py)
    own = PostgresBackend()
    yield own
    own.close()


@pytest.fixture
def pg_settings(postgres, tmp_path) -> Iterator[Settings]:  # noqa: ANN001 - a PostgresBackend
    """A loaded PostgreSQL database of this test's own."""
    url = postgres.new_database(loaded=True)
    yield Settings(database_url=url, data_dir=REPO_ROOT / "data", upload_dir=tmp_path / "uploads")
    postgres.drop(url)


def _out_of_order(engine: Engine, get: Callable[..., object], slug: str, other: str, reads: int = 1) -> None:
    """T1 edits `slug` and flushes its change-log row; T2 edits `other` and commits (a higher id); every
    cached answer is read (and cached) then; T1 commits; every answer must now show T1's change."""
    readers = _readers(slug)

    def everything() -> dict[str, set[str]]:
        # Several reads per answer when several workers serve: each worker's cache must be right.
        return {name: {read(get) for _ in range(reads)} for name, read in readers.items()}

    old = everything()
    assert all(len(names) == 1 for names in old.values())
    with Session(engine) as t1, Session(engine) as t2:
        _rename(t1, slug, "T1, committed last")
        t1.flush()  # its change-log id is handed out now, below T2's
        _rename(t2, other, "T2, committed first")
        t2.commit()
        assert everything() == old  # T1 is not committed yet: nothing of it shows
        t1.commit()
    assert everything() == dict.fromkeys(readers, {"T1, committed last"})


def test_a_write_committed_after_a_higher_id_is_seen_by_every_cached_answer_on_postgres(
    pg_settings: Settings,
) -> None:
    engine = make_engine(pg_settings)
    with TestClient(create_app(pg_settings, engine)) as client:
        slug, other = _mapped_slugs(client)[:2]
        _out_of_order(engine, client.get, slug, other)
    engine.dispose()


@pytest.mark.parametrize("signal", [False, True], ids=["version row per request", "GI_VERSION_SIGNAL"])
def test_the_same_with_two_server_workers(pg_settings: Settings, tmp_path: Path, signal: bool) -> None:
    signal_file = tmp_path / "data.version" if signal else None
    engine = make_engine(pg_settings)
    versioning.install(engine, signal_file)  # as create_app and the CLI do for every registry writer
    shared = {"GI_VERSION_SIGNAL": str(signal_file)} if signal_file is not None else {}
    with serving(pg_settings.database_url, workers=2, GI_SECRET_KEY="k" * 40, **shared) as base:

        def get(url: str, params: dict | None = None) -> httpx.Response:
            # A new connection per request, so that both workers answer some of them.
            return httpx.get(base + url, params=params, timeout=60)

        slug, other = sorted(
            {f["properties"]["slug"] for f in get("/maps/data/areas.json").json()["features"]}
        )[:2]
        _out_of_order(engine, get, slug, other, reads=6)
    engine.dispose()


def test_on_postgres_a_shared_signal_file_makes_a_hit_free_and_another_process_write_is_seen_at_once(
    pg_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gi_registry.indications.routes as indication_routes

    signal_file = tmp_path / "data.version"
    settings = pg_settings.model_copy(update={"version_signal": signal_file})
    engine = make_engine(settings)
    url = "/api/v1/indications/zhangshugang-lajiao"
    with TestClient(create_app(settings, engine)) as client:
        first = client.get(url)
        assert first.status_code == 200

        async def no_session(*_args: object) -> None:
            raise AssertionError("a cache hit took a session on the thread pool")

        with monkeypatch.context() as patched:
            patched.setattr(indication_routes, "in_session", no_session)
            assert client.get(url).headers["etag"] == first.headers["etag"]
        # Another registry process of this machine (a worker, the CLI) writes and announces it.
        script = (
            "import sys\n"
            "from pathlib import Path\n"
            "from sqlalchemy import text\n"
            "from gi_registry.core import versioning\n"
            "from gi_registry.core.db import make_engine\n"
            "from gi_registry.core.settings import Settings\n"
            "engine = make_engine(Settings(database_url=sys.argv[1]))\n"
            "versioning.install(engine, Path(sys.argv[2]))\n"
            "with engine.begin() as c:\n"
            "    c.execute(text(\"UPDATE indication SET name_en = 'Other process'\"\n"
            "                   \" WHERE slug = 'zhangshugang-lajiao'\"))\n"
        )
        subprocess.run(
            [sys.executable, "-c", script, settings.database_url, str(signal_file)], check=True, timeout=120
        )
        after = client.get(url)
        assert after.json()["name_en"] == "Other process" and after.headers["etag"] != first.headers["etag"]
    engine.dispose()


def test_an_engine_announces_to_one_signal_only(settings: Settings, tmp_path: Path) -> None:
    engine = make_engine(settings)
    versioning.install(engine)
    if engine.dialect.name == "sqlite":
        versioning.install(engine, tmp_path / "ignored.version")  # SQLite's is always beside the file
        assert versioning.signal_for(engine).path == Path(f"{Path(engine.url.database).resolve()}.version")
    else:
        # Its hooks already announce nowhere: readers of a file named now would trust a still value.
        with pytest.raises(ValueError, match="install it once"):
            versioning.install(engine, tmp_path / "late.version")
        other = make_engine(settings)
        versioning.install(other, tmp_path / "first.version")
        versioning.install(other, tmp_path / "first.version")  # the same file again is harmless
        with pytest.raises(ValueError, match="install it once"):
            versioning.install(other, tmp_path / "second.version")
        other.dispose()
    engine.dispose()
