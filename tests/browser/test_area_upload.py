"""An official uploads a KML area map on the site in real Chromium; the GI's map then draws it."""

import re
from pathlib import Path

import pytest
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from tests import boundary_files as files
from tests.browser.test_site import map_frame
from tests.live import serving
from tests.workflow import PASSWORD

pytestmark = pytest.mark.browser

BASES_JS = """() => Object.keys(window)
  .filter((n) => n.startsWith('geo_json_') && window[n] instanceof L.GeoJSON)
  .flatMap((n) => window[n].getLayers())
  .filter((s) => s.feature && s.feature.properties.basis)
  .map((s) => s.feature.properties.basis)"""


@pytest.fixture
def own_server(backend, tmp_path: Path):  # noqa: ANN001, ANN201 - a base URL
    """A live server of its own (uploads change the data other browser tests count)."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        auth_service.create_user(
            session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
        )
    engine.dispose()
    with serving(url, GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base:
        yield base
    backend.drop(url)


def test_an_official_uploads_a_kml_and_the_gi_map_draws_it(
    own_server, page_and_watch, tmp_path: Path
) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    kml = tmp_path / "area.kml"
    kml.write_bytes(
        files.write(files.frame(files.square_in_pingjiang(), name="平江白术产地"), tmp_path, "kml")
    )

    page.goto(f"{own_server}/indications/pingjiang-baizhu?lang=en", wait_until="networkidle")
    assert map_frame(page, "#gi-map").evaluate(BASES_JS) == ["counties"]

    page.goto(f"{own_server}/login?next=/officials/areas", wait_until="networkidle")
    page.fill("#username", "official")
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/officials/areas"))
    page.select_option("#target", page.locator("#target option", has_text="平江白术").get_attribute("value"))
    page.set_input_files("#file", str(kml))
    page.fill("#valid_from", "2024-01-01")
    page.fill("#reason", "delimitation map of the protected area (test)")
    page.fill("#source_document", "test fixture (synthetic shape)")
    page.locator("form.protection button[type=submit]").click()
    page.locator("#area-report").wait_for(timeout=20_000)
    assert "kml" in page.locator("#area-report").inner_text()

    page.goto(f"{own_server}/indications/pingjiang-baizhu?lang=en", wait_until="networkidle")
    assert page.locator(".drawn-as").get_attribute("data-basis") == "uploaded_area"
    frame = map_frame(page, "#gi-map")
    assert frame.evaluate(BASES_JS) == ["uploaded_area"]
    assert "Production-area map uploaded by the authority" in frame.locator(".gi-legend").inner_text()
    assert watch.external == [] and watch.errors == []
