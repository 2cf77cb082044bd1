"""R30 in Chromium: a GI name carrying HTML, set by an official, shows as text in the GI map's tooltip and
runs nothing, in Chinese and in English (issue 21, finding 6)."""

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from tests.live import serving
from tests.workflow import PASSWORD, SOURCE

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__xss=1">'
SLUG = "yueyang-huangcha"

# Open the tooltip of the first production-area shape (the layer whose features carry basis_label),
# as hovering it would, without depending on where other layers lie on top of it.
OPEN_AREA_TOOLTIP_JS = """
() => {
  const layers = Object.keys(window)
    .filter((name) => name.startsWith('geo_json_') && window[name] instanceof L.GeoJSON)
    .map((name) => window[name]);
  for (const layer of layers) {
    const shapes = layer.getLayers().filter((s) => s.feature && 'basis_label' in s.feature.properties);
    if (shapes.length) {
      const shape = shapes[0];
      // What hovering does: a mouseover on the shape, propagated to the layer that owns the tooltip.
      shape.fire('mouseover', {latlng: shape.getBounds().getCenter()}, true);
      return true;
    }
  }
  return false;
}
"""


@pytest.fixture(scope="module")
def hostile_server(backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: ANN001
    """A live server of its own whose GI name an official has set to HTML (the other tests keep theirs)."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        auth_service.create_user(
            session,
            username="official",
            password=PASSWORD,
            role=Role.official,
            producer_id=None,
            actor="test",
        )
    engine.dispose()
    uploads = tmp_path_factory.mktemp("hostile-uploads")
    with serving(url, GI_UPLOAD_DIR=str(uploads)) as base:
        token = httpx.post(
            f"{base}/api/v1/auth/token", data={"username": "official", "password": PASSWORD}
        ).json()["access_token"]
        for field in ("name_zh", "name_en"):
            response = httpx.patch(
                f"{base}/api/v1/indications/{SLUG}",
                json={field: PAYLOAD, "reason": "hostile input test (synthetic)", "sources": SOURCE},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
        yield base
    backend.drop(url)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_gi_name_with_html_shows_as_text_in_the_map_tooltip(
    hostile_server, page_and_watch, lang: str
) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{hostile_server}/maps/indications/{SLUG}.html?lang={lang}", wait_until="networkidle")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=20_000)
    assert page.evaluate(OPEN_AREA_TOOLTIP_JS)
    # The name shows as the text it is (unescaped, it would be an <img> and no such text would appear).
    tooltip = page.locator(".leaflet-tooltip").filter(has_text=PAYLOAD).first
    tooltip.wait_for(timeout=5_000)
    assert page.locator(".leaflet-tooltip img").count() == 0
    page.wait_for_timeout(500)  # an image that failed to load would have fired onerror by now
    assert page.evaluate("window.__xss") is None
    assert watch.external == []
    assert [e for e in watch.errors if "Content Security Policy" not in e] == []


def test_the_gi_page_with_that_name_runs_nothing(hostile_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{hostile_server}/indications/{SLUG}", wait_until="networkidle")
    assert PAYLOAD in page.locator("h1").inner_text()
    frame = page.frame_locator("iframe").first
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=20_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert all(f.evaluate("window.__xss") is None for f in page.frames)
    assert watch.errors == []
