"""The maps are legible at every size (issue 16, items 2-3): county labels never overlap, the legend folds
out of the way on a phone, and a GI without an area on record says so."""

import re

import pytest

pytestmark = pytest.mark.browser

# The visible county labels' boxes, measured in the page.
LABEL_BOXES_JS = """() => Array.from(document.querySelectorAll('.gi-county-label'))
  .filter((label) => getComputedStyle(label).visibility !== 'hidden')
  .map((label) => {
    const r = label.getBoundingClientRect();
    return {name: label.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  })"""
MAP_JS = (
    "Object.keys(window).map((n) => window[n])"
    ".find((v) => v instanceof L.Map && v.getContainer().id.startsWith('map_'))"
)


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    ]


def _overview(browser, live_server: str, width: int, height: int):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/", wait_until="networkidle")
    page.frame_locator("#overview-map").locator(".gi-county-label").first.wait_for(timeout=20_000)
    frame = page.frame(url=re.compile(r"/maps/overview"))
    frame.wait_for_function("() => window.giLoaded && window.giLoaded.areas !== undefined", timeout=20_000)
    frame.wait_for_timeout(300)  # the placement runs after the last move
    return context, frame


@pytest.mark.parametrize(("width", "height", "at_least"), [(1280, 900, 8), (390, 844, 5)])
def test_no_two_county_labels_overlap_on_the_overview(browser, live_server, width, height, at_least) -> None:  # noqa: ANN001
    context, frame = _overview(browser, live_server, width, height)
    try:
        boxes = frame.evaluate(LABEL_BOXES_JS)
        assert len(boxes) >= at_least, boxes  # placed, not simply all hidden
        assert _overlapping(boxes) == []
        # At every zoom: out, where they crowd, and in, where they all have room again.
        zoom = frame.evaluate(f"({MAP_JS}).getZoom()")
        for level in (zoom - 1, zoom + 1):
            frame.evaluate(f"({MAP_JS}).setZoom({level}, {{animate: false}})")
            frame.wait_for_timeout(300)
            boxes = frame.evaluate(LABEL_BOXES_JS)
            assert _overlapping(boxes) == [], (level, boxes)
        assert len(boxes) == 9  # zoomed in, every county is named
    finally:
        context.close()


def test_the_legend_folds_out_of_the_way_on_a_phone(browser, live_server) -> None:  # noqa: ANN001
    context, frame = _overview(browser, live_server, 390, 844)
    try:
        legend = frame.locator(".gi-legend").bounding_box()
        map_box = frame.locator(".folium-map").bounding_box()
        share = legend["width"] * legend["height"] / (map_box["width"] * map_box["height"])
        assert share <= 0.25, share
        assert frame.evaluate("document.querySelector('.gi-legend').open") is False
        frame.locator(".gi-legend summary").click()  # a tap opens it
        assert frame.evaluate("document.querySelector('.gi-legend').open") is True
        assert "图例" in frame.locator(".gi-legend").inner_text()
    finally:
        context.close()
    wide, frame = _overview(browser, live_server, 1280, 900)
    try:
        assert frame.evaluate("document.querySelector('.gi-legend').open") is True  # open on a large screen
    finally:
        wide.close()


def test_a_gi_without_an_area_on_record_says_so(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{live_server}/indications/huarong-jiecai?lang=en", wait_until="networkidle")
    assert "not on record" in page.locator("#map-no-area").inner_text()
    assert page.locator(".area-not-on-record").first.is_visible()
    page.frame_locator("#gi-map").locator(".gi-note-warning").first.wait_for(timeout=20_000)
    frame = page.frame(url=re.compile(r"/maps/indications/"))
    assert "not on record" in frame.locator(".gi-legend").inner_text()
    assert watch.external == [] and watch.errors == []


def test_a_small_area_is_shown_in_its_county_with_the_city_as_an_inset(live_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/indications/zhangshugang-lajiao", wait_until="networkidle")
    page.frame_locator("#gi-map").locator(".gi-inset").wait_for(timeout=20_000)
    frame = page.frame(url=re.compile(r"/maps/indications/"))
    # Its county is named on the map, and the inset draws the city with the area marked.
    names = [b["name"] for b in frame.evaluate(LABEL_BOXES_JS)]
    assert "湘阴县" in names
    assert frame.evaluate("window.giInset.getZoom() < (" + MAP_JS + ").getZoom()")
    assert frame.locator(".gi-inset path").count() >= 10  # nine counties and the area
    # The area and the published range are both in the view, the range as an outline.
    assert frame.locator("path[stroke-dasharray='5 4'][fill='none']").count() >= 1
    assert page.locator("#map-image").get_attribute("href").endswith(".png?lang=zh")
    assert watch.external == [] and watch.errors == []
