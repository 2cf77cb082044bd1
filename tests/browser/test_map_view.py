"""The overview map by view in Chromium: above the threshold it draws counted clusters, and points once
zoomed in, fetching only the tiles of its view (maps.view)."""

from collections.abc import Iterator

import pytest

from gi_registry.core.settings import Settings
from gi_registry.synthetic.service import synthesize
from gi_registry.synthetic.shape import Sizes
from tests.live import serving

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = Sizes(indications=200, producers=3_000, renewals=0, audits=0)


@pytest.fixture(scope="module")
def large_server(backend) -> Iterator[str]:  # noqa: ANN001 - the backend fixture
    url = backend.empty_database()
    synthesize(url, SIZES, seed=1, password="synthetic-password", settings=Settings(database_url=url))
    with serving(url, GI_DEMO_MODE="true", GI_MAP_VIEW_ABOVE="500") as base:
        yield base
    backend.drop(url)


def _drawn(page, zoom: str | None = None) -> dict:  # noqa: ANN001 - a Playwright page
    """What the view drew, once the map says it is drawn (at a zoom other than `zoom`, when given)."""
    page.wait_for_function(
        "(old) => { const m = document.querySelector('.folium-map[data-gi-drawn]');"
        " return m && m.getAttribute('data-gi-drawn') !== old; }",
        arg=zoom,
        timeout=20_000,
    )
    return page.evaluate("window.giLoaded.view")


def test_the_overview_draws_clusters_then_points_when_zoomed_in(large_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    tiles: list[str] = []
    page.on("request", lambda r: "/maps/data/" in r.url and tiles.append(r.url))
    page.goto(f"{large_server}/maps/overview.html?lang=en")
    first = _drawn(page)
    # Every producer lies in Yueyang, all in the first view: each is counted once, mostly in clusters.
    assert first["clusters"] > 0 and first["clustered"] + first["producers"] == SIZES.producers
    assert first["areas"] > 0
    assert not any(u.endswith(("/producers.json", "/areas.json")) for u in tiles)  # no whole layer
    counts = [int(text) for text in page.locator(".gi-view-cluster").all_inner_texts()]
    assert sum(counts) == first["clustered"]
    legend = page.locator(".gi-legend").inner_text()
    assert f"{SIZES.producers} producers with a known location" in legend
    assert "zoom in to see single producers" in legend

    # A click on a cluster zooms in on it; a few levels down the producers are single points.
    view = first
    for _ in range(4):
        if view["producers"] > 0 and view["clusters"] == 0:
            break
        zoom = page.locator(".folium-map").get_attribute("data-gi-drawn")
        page.locator(".gi-view-cluster").first.click()
        view = _drawn(page, zoom)
    assert view["producers"] > 0 and view["clusters"] == 0
    assert page.locator(".leaflet-marker-pane path").count() == view["producers"]
    assert watch.external == [] and watch.errors == []
