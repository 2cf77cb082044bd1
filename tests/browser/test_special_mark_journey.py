"""A first application to use the GI special mark, in real Chromium, as Hunan's procedure has it: the
producer files; the city bureau accepts (notice of acceptance) and delegates the on-site check to the
county bureau, which records it; the city forwards; the province approves with the announcement; a
consumer then verifies the producer's code and finds the announcement (issue #20)."""

import re
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import ReviewLevel, Role
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.producers.models import Producer
from tests.browser.test_casework import serious_violations
from tests.factories import make_uscc
from tests.live import serving
from tests.workflow import PASSWORD, PDF

pytestmark = pytest.mark.browser

ANNOUNCEMENT = "湘市监地标公告〔2026〕99号（合成）"
ACCOUNTS = {
    "city": (ReviewLevel.city, None),
    "pingjiang": (ReviewLevel.county, "430626"),
    "province": (ReviewLevel.province, None),
}


@pytest.fixture
def procedure(backend, tmp_path: Path):  # noqa: ANN001, ANN201 - (base URL, the producer's code)
    """A live server with a producer in 平江县 (synthetic) and its account, and a city, a county and a
    provincial official."""
    url = backend.new_database(loaded=True)
    engine = make_engine(Settings(database_url=url))
    uscc = make_uscc(division="430626", org_body="TEMP0009")
    with Session(engine) as session:
        producer = Producer(
            key="journey-producer", name_zh="平江县某茶叶合作社（合成）", uscc=uscc, county_code="430626"
        )
        session.add(producer)
        session.commit()
        auth_service.create_user(
            session,
            username="producer",
            password=PASSWORD,
            role=Role.producer,
            producer_id=producer.id,
            actor="t",
        )
        for name, (level, area) in ACCOUNTS.items():
            auth_service.create_user(
                session,
                username=name,
                password=PASSWORD,
                role=Role.official,
                producer_id=None,
                actor="t",
                level=level,
                area_code=area,
            )
    engine.dispose()
    with serving(url, GI_UPLOAD_DIR=str(tmp_path / "uploads")) as base:
        yield base, uscc
    backend.drop(url)


def _sign_in(page, base: str, username: str) -> None:  # noqa: ANN001
    page.context.clear_cookies()
    page.goto(f"{base}/login?lang=zh", wait_until="networkidle")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _open_case(page, base: str, username: str) -> None:  # noqa: ANN001
    """From the desk, by links, to the one application in the queue."""
    _sign_in(page, base, username)
    page.goto(f"{base}/officials?lang=zh", wait_until="networkidle")
    page.get_by_role("link", name="专用标志使用申请").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#mark-applications a").first.click()
    page.wait_for_load_state("networkidle")


def _step(page, step: str, reason: str) -> None:  # noqa: ANN001
    page.locator(f"#steps input[value='{step}']").check()
    page.fill("#reason", reason)
    page.locator("#take-step").click()
    page.wait_for_load_state("networkidle")


def test_a_first_application_goes_county_check_province_announcement(
    procedure, page_and_watch, tmp_path: Path
) -> None:  # noqa: ANN001
    base, uscc = procedure
    page, watch = page_and_watch
    document = tmp_path / "申请书.pdf"
    document.write_bytes(PDF)

    # The producer applies from its desk.
    _sign_in(page, base, "producer")
    page.goto(f"{base}/producer?lang=zh", wait_until="networkidle")
    page.locator("#apply-mark").click()
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []
    page.select_option("#indication_id", label="岳阳黄茶")
    page.select_option("#basis", "protected_product")
    page.set_input_files("#documents", str(document))
    page.locator("#submit-application").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#application-status").inner_text() == "已提交，待受理"
    assert "10 个工作日" in page.locator("#clock").inner_text()

    # The city bureau accepts: the notice of acceptance is generated; then it delegates the check.
    _open_case(page, base, "city")
    assert serious_violations(page) == []
    _step(page, "accept", "材料齐全，予以受理")
    assert page.locator("#application-status").inner_text() == "初审中"
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("受理通知书")).click()
    assert download.value.suggested_filename.endswith("-acceptance.docx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.select_option("#county_code", "430626")
    page.fill("#delegation_reason", "生产地在平江县，委托县局核查")
    page.locator("#delegate-button").click()
    page.wait_for_load_state("networkidle")
    assert "平江县" in page.locator("#delegated").inner_text()
    # Forwarding before a conforming check is refused with the reason, on the page.
    _step(page, "forward", "初审通过")
    assert "实地核查" in page.locator("#message").inner_text()

    # The county bureau records the on-site check (it sees the file because it is its county's).
    _open_case(page, base, "pingjiang")
    assert page.locator("#steps").count() == 0  # the initial review is the city's
    page.fill("#officials", "李某、张某（平江县局）")
    page.fill("#findings", "生产场所、工艺与申请一致")
    page.set_input_files("#photos", str(document))
    page.locator("#record-check").click()
    page.wait_for_load_state("networkidle")
    assert "符合要求" in page.locator("#site-checks + dl").inner_text()

    # The city forwards; the clock now belongs to the province, which the rules give no period.
    _open_case(page, base, "city")
    _step(page, "forward", "初审及实地核查通过，报送省局")
    assert page.locator("#application-status").inner_text() == "省局审核中"
    assert page.locator("#clock").inner_text().strip() == "规定未设时限"

    # The province approves with the announcement.
    _open_case(page, base, "province")
    assert serious_violations(page) == []
    page.locator("#steps input[value='approve']").check()
    page.fill("#announcement_number", ANNOUNCEMENT)
    page.fill("#announced_on", page.locator("#announced_on").get_attribute("max"))
    page.fill("#reason", "核准使用地理标志专用标志")
    page.locator("#take-step").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#application-status").inner_text() == "已核准并公告"

    # A consumer verifies the label and sees the announcement; the GI page lists the user.
    page.context.clear_cookies()
    page.goto(f"{base}/verify/{uscc}?lang=zh", wait_until="networkidle")
    assert ANNOUNCEMENT in page.content()
    page.goto(f"{base}/indications/yueyang-huangcha?lang=zh", wait_until="networkidle")
    assert "平江县某茶叶合作社（合成）" in page.locator("#announced-users + section").inner_text()
    announcements = httpx.get(f"{base}/api/v1/announcements").json()["data"]
    assert [a["number"] for a in announcements] == [ANNOUNCEMENT]
    assert watch.external == []
