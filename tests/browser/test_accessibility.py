"""Every kind of page of every role, in real Chromium, has no serious or critical axe-core violation.

The walk follows same-origin links from each role's home page and checks one page of each kind (paths
with their numbers folded, e.g. /officials/audits/{n}), so pages added later are covered once linked.
"""

import re
from collections import deque
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from tests.browser.test_casework import serious_violations
from tests.live import serving
from tests.workflow import PASSWORD

pytestmark = pytest.mark.browser

HOMES = {"public": "/", "producer": "/producer", "official": "/officials", "admin": "/officials"}
ACCOUNTS = {"producer": "demo-producer", "official": "demo-official", "admin": "axe-admin"}
MAX_KINDS = 40  # page kinds per role; the registry has fewer today
NOT_PAGES = (
    "/api/",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/static/",
    "/ogc",
    "/maps/",
    "/documents/",
    "/logout",
)
DOWNLOADS = re.compile(r"\.(csv|xlsx|ics|json|geojson|gpkg|pdf|png|jpg|zip)$")


@pytest.fixture(scope="module")
def demo_site(backend, tmp_path_factory):  # noqa: ANN001, ANN201 - a base URL
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        load_demo(session, password=PASSWORD, today=date.today())
        auth_service.create_user(
            session, username="axe-admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="t"
        )
    engine.dispose()
    uploads: Path = tmp_path_factory.mktemp("axe-uploads")
    with serving(url, GI_DEMO_MODE="true", GI_UPLOAD_DIR=str(uploads)) as base:
        yield base
    backend.drop(url)


def kind_of(path: str) -> str:
    """A page's kind: its path with numbers and slugs of records folded."""
    path = re.sub(r"/\d+(?=/|$)", "/{n}", path)
    return re.sub(r"^/(indications|counties|verify)/[^/]+", r"/\1/{x}", path)


@pytest.mark.parametrize("role", list(HOMES))
def test_no_serious_axe_violation_on_any_kind_of_page(demo_site, browser, role: str) -> None:  # noqa: ANN001
    context = browser.new_context(locale="zh-CN")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "data:", "about:"))
            else route.abort()
        ),
    )
    page = context.new_page()
    if role in ACCOUNTS:
        page.goto(f"{demo_site}/login", wait_until="networkidle")
        page.fill("#username", ACCOUNTS[role])
        page.fill("#password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
    seen: set[str] = set()
    queue = deque([HOMES[role]])
    found: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_KINDS:
        path = queue.popleft()
        if kind_of(path) in seen:
            continue
        seen.add(kind_of(path))
        response = page.goto(f"{demo_site}{path}", wait_until="networkidle")
        if (
            response is None
            or response.status >= 400
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        violations = serious_violations(page)
        if violations:
            found[path] = violations
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urlsplit(urljoin(f"{demo_site}{path}", href))
            if f"{target.scheme}://{target.netloc}" != demo_site or target.path.startswith(NOT_PAGES):
                continue
            if DOWNLOADS.search(target.path) or kind_of(target.path) in seen:
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    context.close()
    assert len(seen) > 3, seen  # the walk really reached the role's pages
    assert found == {}, "\n".join(f"{p}: {v}" for p, v in found.items())
