"""The public site in a real headless Chromium: maps drawn offline, pages, language, verification."""

import re

import pytest

from tests.live import SYNTHETIC_USCC

pytestmark = pytest.mark.browser

COUNT_FEATURES_JS = """
(level) => {
  const layers = Object.keys(window)
    .filter((name) => name.startsWith('geo_json_') && window[name] instanceof L.GeoJSON)
    .map((name) => window[name]);
  return layers.flatMap((layer) => layer.getLayers())
    .filter((shape) => shape.feature && shape.feature.properties.level === level).length;
}
"""


def map_frame(page, selector: str):  # noqa: ANN001, ANN201
    """The map document inside an iframe, once Leaflet has drawn its SVG paths."""
    frame = page.frame_locator(selector)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=20_000)
    return page.frame(url=re.compile(r"/maps/"))


def test_home_draws_the_nine_counties_with_no_request_leaving_the_machine(
    live_server, page_and_watch
) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/", wait_until="networkidle")
    assert page.title().startswith("首页")
    frame = map_frame(page, "#overview-map")
    assert frame.evaluate(COUNT_FEATURES_JS, "county") == 9
    assert frame.locator("path.leaflet-interactive").count() >= 9
    assert frame.locator(".gi-legend").is_visible()
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert watch.external == []
    assert watch.errors == []


def test_county_tooltip_shows_zh_and_en_names(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    # The label-switch map has the counties alone; on the overview, production areas lie on top of them.
    page.goto(f"{live_server}/maps/label-switch.html", wait_until="networkidle")
    county = page.locator("path.leaflet-interactive").first
    county.hover(force=True)
    tooltip = page.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=5_000)
    assert re.search(r"(区|县|市)", tooltip.inner_text())
    assert re.search(r"(District|County|City)", tooltip.inner_text())
    assert watch.external == [] and watch.errors == []


def test_gi_page_shows_its_map_and_sources(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/indications/zhangshugang-lajiao", wait_until="networkidle")
    assert page.locator("h1").inner_text().startswith("樟树港辣椒")
    frame = map_frame(page, "#gi-map")
    areas = frame.evaluate(
        """() => Object.keys(window)
              .filter((n) => n.startsWith('geo_json_') && window[n] instanceof L.GeoJSON)
              .flatMap((n) => window[n].getLayers())
              .filter((s) => s.feature && s.feature.properties.basis)
              .map((s) => s.feature.properties.basis)"""
    )
    assert areas == ["townships_in_range"]  # 湘阴县 (of 樟树镇) within the published range
    page.locator("details summary").first.click()
    assert page.locator("ul.sources li").first.is_visible()
    assert page.locator(".badge").count() > 0
    assert watch.external == [] and watch.errors == []


def test_switching_to_english_is_remembered(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/", wait_until="networkidle")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Yueyang GI Registry")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server}/about", wait_until="networkidle")
    assert "About the data" in page.locator("h1").inner_text()
    assert page.locator("#coverage").inner_text().count("32") >= 1
    assert watch.external == [] and watch.errors == []


def test_verify_answers_a_known_and_an_unknown_code(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/verify?lang=en", wait_until="networkidle")
    page.get_by_label("Type the unified social credit code").fill(SYNTHETIC_USCC)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    result = page.locator("#verify-result").inner_text()
    # The label version in words (issue 15: never the raw value "unified").
    assert "测试合作社" in result and "Unified special mark" in result and "岳阳黄茶" in result

    unknown = "91350100M000100Y43"
    page.get_by_label("Type the unified social credit code").fill(unknown)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "cannot be confirmed" in page.locator("#verify-result").inner_text()
    assert watch.external == [] and watch.errors == []


def test_pages_fit_a_phone_screen(browser, live_server) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/", wait_until="networkidle")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 1
