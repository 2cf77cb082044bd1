"""Journeys across roles in real Chromium, each step reached by links (issue 15's tests):

- a producer applies with a PDF → an official starts the review and returns it with a reason → the
  producer reads the reason and answers with a new PDF → the official approves → /verify shows the
  unified mark;
- an official records an audit with a major nonconformity and suspends the authorization → the producer
  sees it, what to rectify and by when, and the suspension;
- an official decides an application with the keyboard alone (the producer's side is in
  test_producer_resubmit.py).
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from gi_registry.auth.models import User
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from gi_registry.producers.models import Producer
from tests.browser.test_casework import serious_violations
from tests.browser.test_producer_resubmit import tab_to
from tests.live import serving
from tests.workflow import PASSWORD, PDF

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(backend, tmp_path: Path):  # noqa: ANN001, ANN201 - (base URL, demo producer's code and name)
    """A live server of its own with the demo loaded, in demo mode (so /verify knows the demo producer)."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        load_demo(session, password=PASSWORD, today=date.today())
        account = session.exec(select(User).where(User.username == "demo-producer")).one()
        producer = session.get(Producer, account.producer_id)
        uscc, name = producer.uscc, producer.name_zh
    engine.dispose()
    with serving(url, GI_DEMO_MODE="true", GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base:
        yield base, uscc, name
    backend.drop(url)


def sign_in(page, base: str, username: str, lang: str, landing: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{base}/login?lang={lang}", wait_until="networkidle")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(landing))


def decide(page, decision: str, reason: str) -> None:  # noqa: ANN001
    """On an application's page, take one step with its reason."""
    page.locator(f"#decide input[value='{decision}']").check()
    page.fill("#reason", reason)
    page.locator("#decide button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#notice").is_visible()


def test_renewal_from_application_to_the_verified_unified_mark(
    demo_server, page_and_watch, tmp_path: Path
) -> None:  # noqa: ANN001, E501
    base, uscc, _name = demo_server
    page, watch = page_and_watch
    application = tmp_path / "application.pdf"
    application.write_bytes(PDF)
    answer = tmp_path / "inspection-report.pdf"
    answer.write_bytes(PDF + b"% the inspection report\n")

    # The producer applies for its authorization, with a PDF.
    sign_in(page, base, "demo-producer", "zh", r"/producer$")
    page.locator("section.protection input[type=file]").first.set_input_files(str(application))
    page.locator("section.protection form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    renewal_id = re.search(r"/producer/applications/(\d+)", page.url).group(1)
    assert serious_violations(page) == []

    # An official finds it from the desk, starts the review and returns it with a reason.
    sign_in(page, base, "demo-official", "zh", r"/officials")
    page.get_by_role("link", name="续展与换标申请").first.click()
    page.get_by_role("link", name=f"打开 #{renewal_id}").click()
    page.wait_for_load_state("networkidle")
    assert "application.pdf" in page.locator("#documents").inner_text()
    assert serious_violations(page) == []
    decide(page, "review", "材料齐全，开始审查")
    decide(page, "return", "请补充2026年产品检验报告")
    assert "已退回补正" in page.locator("h1").inner_text()

    # The producer reads the reason and answers with a new PDF.
    sign_in(page, base, "demo-producer", "zh", r"/producer$")
    page.locator(f'a[href^="/producer/applications/{renewal_id}"]').first.click()
    page.wait_for_load_state("networkidle")
    assert "请补充2026年产品检验报告" in page.locator("#decision-reason").inner_text()
    page.set_input_files("#documents", str(answer))
    page.locator("#resubmit-button").click()
    page.wait_for_url(re.compile(r"done=resubmitted"))

    # The official approves it; the authorization switches to the unified mark.
    sign_in(page, base, "demo-official", "zh", r"/officials")
    page.get_by_role("link", name="续展与换标申请").first.click()
    page.get_by_role("link", name=f"打开 #{renewal_id}").click()
    page.wait_for_load_state("networkidle")
    assert "inspection-report.pdf" in page.locator("#documents").inner_text()
    decide(page, "review", "补正材料已收到")
    decide(page, "approve", "符合使用条件，核准换用统一标志")
    assert "已核准" in page.locator("h1").inner_text()

    # Anyone verifying the label sees the unified mark.
    page.context.clear_cookies()
    page.goto(f"{base}/verify?lang=zh", wait_until="networkidle")
    page.fill("#code", uscc)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert "统一专用标志" in page.locator("main").inner_text()
    assert watch.external == [] and watch.errors == []


def test_an_audit_that_suspends_reaches_the_producer(demo_server, page_and_watch) -> None:  # noqa: ANN001
    base, _uscc, name = demo_server
    page, watch = page_and_watch
    deadline = (date.today() + timedelta(days=30)).isoformat()

    sign_in(page, base, "demo-official", "en", r"/officials")
    # Which GI the demo producer is authorized for: its page says so.
    page.get_by_role("link", name="Producers and authorizations").first.click()
    page.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("networkidle")
    producer_id = re.search(r"/officials/producers/(\d+)", page.url).group(1)
    gi_name = page.locator("section.protection h3").first.inner_text().split(" · ", 1)[1]

    page.get_by_role("link", name="Audits").first.click()
    page.get_by_role("link", name="Record an audit").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#producer_id", producer_id)
    page.select_option("#indication_id", label=gi_name)
    page.fill("#officials", "Wang, Li")
    page.fill("#item_0", "Labels as approved")
    page.select_option("#passed_0", "no")
    page.get_by_role("radio", name="Major nonconformity").check()
    page.fill("#findings", "Counterfeit labels in the shop")
    page.fill("#rectify_by", deadline)
    page.locator("#suspend_authorization").check()
    page.get_by_role("button", name="Record the audit").click()
    page.wait_for_load_state("networkidle")
    assert "Major nonconformity" in page.locator("h1").inner_text()

    sign_in(page, base, "demo-producer", "en", r"/producer$")
    page.locator("#link-audits").click()
    page.wait_for_load_state("networkidle")
    audits = page.locator("main").inner_text()
    assert (
        "Major nonconformity" in audits and deadline in audits and "Counterfeit labels in the shop" in audits
    )
    page.goto(f"{base}/producer?lang=en", wait_until="networkidle")
    assert "Suspended" in page.locator("main").inner_text()
    assert watch.external == [] and watch.errors == []


def test_an_official_decides_an_application_with_the_keyboard_alone(demo_server, page_and_watch) -> None:  # noqa: ANN001
    base, _uscc, _name = demo_server
    page, watch = page_and_watch
    page.goto(f"{base}/login?lang=zh", wait_until="networkidle")
    tab_to(page, "#username")
    page.keyboard.type("demo-official")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/officials"))

    tab_to(page, 'nav.desk a[href^="/officials/applications"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/officials/applications"))
    tab_to(page, 'table#applications a[href^="/officials/applications/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/officials/applications/\d+"))

    tab_to(page, "#decide input[value='review']")
    page.keyboard.press("Space")
    tab_to(page, "#reason")
    page.keyboard.type("材料齐全，开始审查")
    tab_to(page, "#decide button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"saved=1"))
    assert "审查中" in page.locator("h1").inner_text()
    assert "材料齐全，开始审查" in page.locator("table.history").inner_text()
    assert watch.external == [] and watch.errors == []
