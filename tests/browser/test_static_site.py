"""`gi-registry maps build` writes a site that a browser opens from disk with no network at all."""

from pathlib import Path

import pytest
from sqlmodel import Session

from maps.site import build_static_site
from tests.browser.test_site import COUNT_FEATURES_JS

pytestmark = pytest.mark.browser


def test_static_site_opens_from_disk_without_network(
    session: Session, tmp_path: Path, page_and_watch
) -> None:  # noqa: ANN001
    pages = build_static_site(session, tmp_path / "site")
    assert (tmp_path / "site" / "index.html") in pages
    assert (tmp_path / "site" / "indications" / "huarong-jiecai.en.html") in pages
    page, watch = page_and_watch
    page.goto((tmp_path / "site" / "index.html").as_uri(), wait_until="load")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=20_000)
    assert page.evaluate(COUNT_FEATURES_JS, "county") == 9
    # Nothing to fetch from disk: the production areas are inlined in the page and drawn from there.
    page.wait_for_function("() => window.giLoaded && window.giLoaded.areas > 0", timeout=20_000)
    assert page.locator(".gi-legend .gi-load-failed").count() == 0
    # A GI page of the static site is reachable by its relative link, and draws too.
    page.goto((tmp_path / "site" / "indications" / "zhangshugang-lajiao.en.html").as_uri(), wait_until="load")
    page.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=20_000)
    assert page.locator(".gi-legend").inner_text().startswith("Legend")
    assert watch.external == []
    assert watch.errors == []
