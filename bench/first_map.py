"""Bytes and time to the overview's first drawn map, in Debian's Chromium via Playwright.

Opens /maps/overview.html in a fresh browser context (nothing cached in the browser) and waits until
its data layers are drawn: the by-view layers mark the map container `data-gi-drawn` (maps.view), the
whole layers set `window.giLoaded.producers` and `.areas`. The bytes are what came over the wire for
the map data (/maps/data/: body as transferred, gzip when offered, plus headers); the page itself is
counted apart.

Twice: the first visit after the server started (its caches empty for the map data: each worker
builds its tile indexes), then a new visitor once the server has answered the map before (what a
user meets on a running site); the targets are checked on the second.
"""

from dataclasses import dataclass

from tests.machine import CHROMIUM, CHROMIUM_ARGS, chromium_missing

# Polled every 10 ms in the page; answers the page's own clock (ms since navigation started) once drawn.
DRAWN = """() => (document.querySelector('.folium-map[data-gi-drawn]') !== null
  || (window.giLoaded !== undefined && window.giLoaded.producers !== undefined
      && window.giLoaded.areas !== undefined)) && performance.now()"""
LIMIT_MS = 120_000  # one visit; the whole layers at 100,000 producers take a while to build and parse


@dataclass
class Visit:
    """One page visit until its map was drawn."""

    status: str  # "ok", or why there is no figure
    ms: float | None = None
    data_bytes: int = 0
    data_requests: int = 0
    page_bytes: int = 0
    by_view: bool = False


def _visit(browser, url: str) -> Visit:  # noqa: ANN001 - a Playwright Browser
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sizes = {"data": 0, "requests": 0, "page": 0}

    def finished(request) -> None:  # noqa: ANN001 - a Playwright Request
        measured = request.sizes()
        size = measured["responseBodySize"] + measured["responseHeadersSize"]
        if "/maps/data/" in request.url:
            sizes["data"] += size
            sizes["requests"] += 1
        elif request.resource_type == "document":
            sizes["page"] += size

    try:
        page = context.new_page()
        page.on("requestfinished", finished)
        page.goto(url, timeout=LIMIT_MS)
        # The browser's clock, not this process's: Playwright's round trips are no part of the wait.
        ms = page.wait_for_function(DRAWN, timeout=LIMIT_MS, polling=10).json_value()
        by_view = page.evaluate("document.querySelector('.folium-map[data-gi-drawn]') !== null")
        # requestfinished may trail the drawing by an event-loop turn.
        page.wait_for_timeout(200)
        return Visit("ok", round(ms, 1), sizes["data"], sizes["requests"], sizes["page"], by_view)
    except Exception as exc:  # noqa: BLE001 - a benchmark row says what went wrong and goes on
        return Visit(f"failed: {exc}"[:120])
    finally:
        context.close()


def first_map(base: str) -> dict[str, Visit]:
    """The overview's first drawn map, first with the server's map-data caches cold, then warm."""
    if missing := chromium_missing():
        return {"cold server": Visit(missing), "new visitor": Visit(missing)}
    from playwright.sync_api import sync_playwright

    url = f"{base}/maps/overview.html?lang=zh"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            cold = _visit(browser, url)
            _visit(browser, url)  # the other worker's caches, when the first visit met one worker only
            warm = _visit(browser, url)
        finally:
            browser.close()
    return {"cold server": cold, "new visitor": warm}
