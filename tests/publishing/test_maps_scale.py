"""The overview map at scale: the page stays small and does not grow with producers or GIs.

Sizes only; speed is measured by `make bench` (bench/run.py), never timed in a test.
"""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.http.app import create_app
from gi_registry.synthetic.service import synthesize
from gi_registry.synthetic.shape import Sizes
from maps.builders import overview_map
from maps.context import MapContext

LIMIT = 600_000  # bytes: the page's budget at 10,000 GIs and 100,000 producers
FEW = Sizes(indications=300, producers=1_000, renewals=0, audits=0)
MORE_PRODUCERS = Sizes(indications=300, producers=6_000, renewals=0, audits=0)
MORE_GIS = Sizes(indications=3_000, producers=6_000, renewals=0, audits=0)


@pytest.fixture
def databases(backend, empty_settings: Settings):  # noqa: ANN001, ANN201 - fixtures
    urls = {}
    for sizes in (FEW, MORE_PRODUCERS, MORE_GIS):
        urls[sizes] = backend.empty_database()
        synthesize(urls[sizes], sizes, seed=1, password="synthetic-password", settings=empty_settings)
    yield urls
    for url in urls.values():
        backend.drop(url)


def _overview(url: str) -> str:
    engine = make_engine(Settings(database_url=url))
    try:
        with Session(engine) as session:
            return overview_map(session, MapContext(demo=True)).get_root().render()
    finally:
        engine.dispose()


def test_the_overview_page_does_not_grow_with_producers_or_gis(
    databases: dict, empty_settings: Settings
) -> None:
    few, more_producers, more_gis = (_overview(databases[s]) for s in (FEW, MORE_PRODUCERS, MORE_GIS))
    for html in (few, more_producers, more_gis):
        assert len(html.encode()) < LIMIT
        assert "L.circleMarker(" in html and html.count("L.circleMarker(") == 1  # no marker per producer
    # Six times the producers: the same page, byte for byte in length (element ids are fixed-width).
    assert len(more_producers.encode()) == len(few.encode())
    # Ten times the GIs: only the county popups change, and each lists 25 GIs at most (~40 kB for all 9).
    assert len(more_gis.encode()) - len(more_producers.encode()) < 40_000

    # The browser gets every producer and area from the map data, which is what grows instead.
    settings = empty_settings.model_copy(update={"database_url": databases[MORE_GIS], "demo_mode": True})
    with TestClient(create_app(settings)) as client:
        page = client.get("/maps/overview.html")
        assert page.status_code == 200 and len(page.content) < LIMIT
        assert len(client.get("/maps/data/producers.json").json()["rows"]) == MORE_GIS.producers
        areas = client.get("/maps/data/areas.json").json()["features"]
        assert len({f["properties"]["slug"] for f in areas}) == MORE_GIS.indications
