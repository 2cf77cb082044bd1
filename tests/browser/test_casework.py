"""Officials' and administrators' journeys in real Chromium, by links from the desk, in both languages,
with no serious or critical axe-core violation on the pages they pass through."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from tests.live import serving
from tests.workflow import PASSWORD

pytestmark = pytest.mark.browser

AXE = Axe()


def serious_violations(page) -> list[str]:  # noqa: ANN001
    """axe-core's serious and critical findings on the page, as readable lines."""
    results = AXE.run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {', '.join(n['target'][0] for n in v['nodes'][:3])}"
        for v in results
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def desk_server(backend, tmp_path: Path):  # noqa: ANN001, ANN201 - a base URL
    """A live server of its own with an official and an administrator (these journeys change data)."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        for username, role in (("official", Role.official), ("admin", Role.admin)):
            auth_service.create_user(
                session, username=username, password=PASSWORD, role=role, producer_id=None, actor="test"
            )
    engine.dispose()
    with serving(url, GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base:
        yield base
    backend.drop(url)


def sign_in(page, base: str, username: str, lang: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/login?lang={lang}", wait_until="networkidle")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/officials"))


def test_a_report_from_verify_is_triaged_and_the_reporter_sees_the_outcome(
    desk_server, page_and_watch
) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    page.goto(f"{desk_server}/verify?lang=zh", wait_until="networkidle")
    page.fill("#location", "岳阳市某农贸市场")
    page.fill("#description", "黄茶包装上的专用标志图案与官方不同")
    page.locator("form[action='/verify/report'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    reference = page.locator("#report-reference strong").inner_text()
    assert reference.startswith("GI-")

    sign_in(page, desk_server, "official", "zh")
    page.get_by_role("link", name="疑似违规使用举报").first.click()
    page.get_by_role("link", name=reference).click()
    assert serious_violations(page) == []
    page.select_option("#status", "investigating")
    page.locator("#triage button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "调查中" in page.locator("h1").inner_text()
    page.select_option("#status", "closed")
    page.fill("#outcome-text", "已责令经营者下架，立案调查")
    page.locator("#triage button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#notice").is_visible() and "已办结" in page.locator("h1").inner_text()

    page.context.clear_cookies()
    page.goto(f"{desk_server}/verify?lang=zh", wait_until="networkidle")
    page.get_by_role("link", name="举报处理进度").click()
    page.fill("#reference", reference)
    page.locator("form.search button").click()
    page.wait_for_load_state("networkidle")
    assert "已责令经营者下架，立案调查" in page.locator("#outcome").inner_text()
    assert serious_violations(page) == []
    assert watch.external == [] and watch.errors == []


def test_an_official_corrects_a_gis_date_with_a_source_and_the_public_page_shows_it(
    desk_server, page_and_watch
) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    sign_in(page, desk_server, "official", "en")
    page.get_by_role("link", name="Correct the record").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#record-gis li", has_text="Changle").locator("a").nth(1).click()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.fill("#registration_date", "2016-11-18")
    page.fill("#reason", "The announcement gives the day")
    page.fill("#source_url", "https://example.gov.cn/announcement")
    page.get_by_role("button", name="Check the changes").click()
    page.wait_for_load_state("networkidle")
    assert "2016-11-18" in page.locator("#changes").inner_text()
    page.get_by_role("button", name="Save these changes").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#notice").is_visible()
    assert "2016-11 → 2016-11-18" in page.locator("table.history").inner_text()
    page.get_by_role("link", name="Public page").click()
    page.wait_for_load_state("networkidle")
    assert "2016-11-18" in page.locator("main").inner_text()
    assert watch.external == [] and watch.errors == []


def test_an_official_records_an_audit_that_suspends_an_authorization(desk_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    sign_in(page, desk_server, "official", "en")
    page.get_by_role("link", name="Producers and authorizations").first.click()
    page.get_by_role("link", name="Add a producer").click()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.fill("#name_zh", "丁茶叶合作社（合成）")
    page.select_option("#county_code", "430626")
    page.fill("#reason", "applies to use the mark")
    page.fill("#source_document", "application file (synthetic)")
    page.select_option("#source_confidence", "L")
    page.locator("#producer-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "丁茶叶合作社（合成）" in page.locator("h1").inner_text()
    page.select_option("#indication_id", label="Pingjiang high-mountain tea")
    page.select_option("#label_version", "unified")
    page.fill("#authorized", "2025-06")
    page.fill("#reason-new", "approved by the provincial bureau")
    page.fill("#source_document", "approval (synthetic)")
    page.locator("#new-authorization button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("section.protection").count() == 1

    page.get_by_role("link", name="Audits").first.click()
    page.get_by_role("link", name="Record an audit").click()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.select_option("#producer_id", label="丁茶叶合作社（合成）")
    page.select_option("#indication_id", label="Pingjiang high-mountain tea")
    page.fill("#officials", "Wang, Li")
    page.fill("#item_0", "Labels use the special mark")
    page.select_option("#passed_0", "no")
    page.get_by_role("radio", name="Major nonconformity").check()
    page.fill("#findings", "Counterfeit labels found in the store")
    page.fill("#rectify_by", "2027-01-31")
    page.locator("#suspend_authorization").check()
    page.get_by_role("button", name="Record the audit").click()
    page.wait_for_load_state("networkidle")
    assert "Major nonconformity" in page.locator("h1").inner_text()
    page.get_by_role("link", name="丁茶叶合作社（合成）").click()
    page.wait_for_load_state("networkidle")
    assert "Suspended" in page.locator("section.protection").inner_text()
    assert watch.external == [] and watch.errors == []


def test_an_admin_creates_a_producer_account_which_can_then_sign_in(desk_server, page_and_watch) -> None:  # noqa: ANN001
    page, watch = page_and_watch
    sign_in(page, desk_server, "admin", "zh")
    page.get_by_role("link", name="账户管理").first.click()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.fill("#username", "new-coop")
    page.fill("#password", "a long enough one")
    page.select_option("#role", "producer")
    page.select_option("#producer_id", index=1)
    page.get_by_role("button", name="创建账户").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#notice").is_visible()

    page.locator("form[action='/logout'] button").click()
    page.goto(f"{desk_server}/login?lang=zh", wait_until="networkidle")
    page.fill("#username", "new-coop")
    page.fill("#password", "a long enough one")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/producer"))
    assert watch.external == [] and watch.errors == []
