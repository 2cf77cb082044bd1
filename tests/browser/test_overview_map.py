"""The overview map in Chromium: the areas and producers it loads from /maps/data/ are drawn and usable."""

import pytest
from sqlmodel import Session

from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.producers.models import Producer
from tests.factories import make_uscc
from tests.live import serving

pytestmark = pytest.mark.browser

# Two places with producers (湘阴县 and 平江县), a few hundred metres apart within each place.
PLACES = {"430624": (112.89, 28.68), "430626": (113.58, 28.70)}
PER_PLACE = 20


def _wait_for(page, layer: str) -> int:  # noqa: ANN001 - a Playwright page
    page.wait_for_function(f"() => window.giLoaded && window.giLoaded.{layer} !== undefined", timeout=20_000)
    return page.evaluate(f"window.giLoaded.{layer}")


def test_overview_draws_the_gi_areas_and_a_popup_links_to_the_gi(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/maps/overview.html?lang=en", wait_until="networkidle")
    expected = page.request.get(f"{live_server}/maps/data/areas.json").json()["features"]
    assert _wait_for(page, "areas") == len(expected) > 0
    # SVG for the real data: one path per area, on top of the nine counties.
    assert page.evaluate("window.giAreas.getLayers().filter((l) => l._path).length") == len(expected)
    legend = page.locator(".gi-legend").inner_text()
    assert "within the published coordinate range" in legend and "The whole of Yueyang" in legend
    # The published ranges: thin outlines, labelled as such (one per distinct range), never filled.
    assert "Coordinate range the source publishes" in legend
    # A GI's popup names it and links to its page, which opens.
    page.evaluate(
        "window.giAreas.getLayers()"
        ".find((l) => l.feature.properties.slug === 'zhangshugang-lajiao').openPopup()"
    )
    link = page.locator(".leaflet-popup .gi-area-link")
    name = next(
        f["properties"]["name_en"] for f in expected if f["properties"]["slug"] == "zhangshugang-lajiao"
    )
    assert link.inner_text() == name
    assert link.get_attribute("href") == "/indications/zhangshugang-lajiao?lang=en"
    link.click()
    page.wait_for_url("**/indications/zhangshugang-lajiao?lang=en")
    assert page.locator("h1").inner_text().startswith("樟树港辣椒")
    assert watch.external == [] and watch.errors == []


@pytest.fixture(scope="module")
def server_with_located_producers(backend):  # noqa: ANN001, ANN201 - fixtures
    """The dataset, plus producers with a location (the real records have none yet), in demo mode."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        for county, (lon, lat) in PLACES.items():
            for n in range(PER_PLACE):
                producer = Producer(
                    key=f"located-{county}-{n}",
                    name_zh=f"测试合作社{n}（合成数据）",
                    name_en=f"<b>Test</b> co-op {n}",
                    uscc=make_uscc(division=county, org_body=f"LT{county[-2:]}{n:04d}"),
                    county_code=county,
                    synthetic=True,
                )
                producer.lon, producer.lat = lon + n * 0.001, lat + (n % 5) * 0.001
                session.add(producer)
        session.commit()
    engine.dispose()
    with serving(url, GI_DEMO_MODE="true") as base:
        yield base
    backend.drop(url)


def test_overview_clusters_the_producers(server_with_located_producers, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{server_with_located_producers}/maps/overview.html?lang=en", wait_until="networkidle")
    assert _wait_for(page, "producers") == len(PLACES) * PER_PLACE
    clusters = page.locator(".marker-cluster")
    clusters.first.wait_for(timeout=10_000)
    # At the overview's zoom each place is one cluster carrying its count.
    counts = sorted(int(text) for text in clusters.all_inner_texts())
    assert counts == [PER_PLACE] * len(PLACES)
    assert (
        f"{len(PLACES) * PER_PLACE} producers with a known location"
        in page.locator(".gi-legend").inner_text()
    )
    # Zoomed in, the producers are drawn one by one and name themselves, as text.
    clusters.first.click()
    page.wait_for_function(
        "document.querySelectorAll('.leaflet-marker-pane path').length > 0", timeout=10_000
    )
    page.locator(".leaflet-marker-pane path").first.hover(force=True)
    # The producer's own tooltip (a sticky area tooltip may still be open from the click on the cluster).
    tooltip = page.locator(".leaflet-tooltip", has_text="co-op").first
    tooltip.wait_for(timeout=5_000)
    assert "<b>Test</b> co-op" in tooltip.inner_text()
    assert watch.external == [] and watch.errors == []


def test_a_county_map_loads_only_that_countys_producers_and_areas(
    server_with_located_producers,  # noqa: ANN001
    page_and_watch,  # noqa: ANN001
) -> None:
    page, watch = page_and_watch
    page.goto(f"{server_with_located_producers}/maps/counties/430624.html?lang=en", wait_until="networkidle")
    assert _wait_for(page, "producers") == PER_PLACE
    areas = page.request.get(f"{server_with_located_producers}/maps/data/areas.json?county=430624").json()
    assert _wait_for(page, "areas") == len(areas["features"]) > 0
    assert "zhangshugang-lajiao" in page.evaluate(
        "window.giAreas.getLayers().map((l) => l.feature.properties.slug)"
    )
    assert watch.external == [] and watch.errors == []
