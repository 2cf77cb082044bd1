"""Headless Debian Chromium driven by Playwright (the live server fixture is in tests/live.py)."""

import pytest

from tests.machine import CHROMIUM, CHROMIUM_ARGS, chromium_missing


@pytest.fixture(scope="session")
def browser():  # noqa: ANN201 - a Playwright Browser
    """Headless Debian Chromium; the suite skips (and CI then fails) when it is not installed."""
    if missing := chromium_missing():
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """What a page did: requests that tried to leave the machine, and console errors."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page_and_watch(browser):  # noqa: ANN001, ANN201
    """A fresh browser context that blocks and records any request not to 127.0.0.1 or a file."""
    context = browser.new_context(locale="zh-CN")
    watch = Watch()

    def guard(route) -> None:  # noqa: ANN001
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "file://", "data:", "about:")):
            route.continue_()
        else:
            watch.external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    yield page, watch
    context.close()
