"""Every page of every role, in Chinese and in English, is wholly in its language (issue 15, item 3).

The walk starts at each role's home page (/, /producer, /officials) with the demo data loaded and follows
same-origin links breadth-first, so pages added later are covered as soon as a link reaches them. It fails
on a raw enum value, on an English sentence on a Chinese page, and on Chinese text outside data values on
an English page (data values are marked with their language: see tests/language.py).
"""

import re
from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.audits import service as audits_service
from gi_registry.audits.models import AuditCreate, AuditResult
from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role, User
from gi_registry.core.i18n import ENUM_LABELS, Lang
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from gi_registry.http.app import create_app
from gi_registry.indications.models import ProtectionKind
from gi_registry.labels import mark_applications, renewals
from gi_registry.labels.mark_models import ApplicationKind, MarkStep, MarkStepIn, SiteCheckIn, UserBasis
from gi_registry.labels.models import Decision, DecisionIn, Renewal
from gi_registry.producers.models import ProducerLink
from gi_registry.reminders import service as reminders_service
from gi_registry.reminders.models import ContactIn
from gi_registry.reminders.tokens import verify_token
from tests.language import PageText, all_str_enums, problems, raw_values, visible_text
from tests.workflow import PASSWORD, PDF

MAX_PAGES = 300  # per role and language; the registry's pages number well under this today
HOMES = {"public": "/", "producer": "/producer", "official": "/officials", "admin": "/officials"}
ACCOUNTS = {"producer": "demo-producer", "official": "demo-official", "admin": "walk-admin"}
# Not pages of the site: the API and its generated docs (Swagger UI speaks English), and downloads.
NOT_PAGES = ("/api/", "/docs", "/redoc", "/openapi.json", "/static/", "/ogc")
DOWNLOADS = (".csv", ".xlsx", ".ics", ".json", ".geojson", ".gpkg", ".pdf", ".png", ".jpg", ".zip")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _same_origin_page(base: str, href: str, lang: Lang) -> str | None:
    """The path and query of a link to a page of this site in `lang`, or None.

    The language switch is left out: the other language has its own walk.
    """
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("http", "https") or url.netloc != "testserver":
        return None
    if url.path.startswith(NOT_PAGES) or url.path.endswith(DOWNLOADS):
        return None
    query = sorted(parse_qsl(url.query))
    if any(key == "lang" and value != lang.value for key, value in query):
        return None
    return url.path + (f"?{urlencode(query)}" if query else "")


def walk(client: TestClient, start: str, lang: Lang) -> dict[str, PageText]:
    """Every page reachable from `start` by links, breadth-first, with its visible text."""
    first = f"{start}?lang={lang.value}"
    queue, seen, pages = deque([first]), {first}, {}
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path, follow_redirects=True)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        text = visible_text(response.text, lang)
        expected = "zh-CN" if lang == Lang.zh else "en"
        # Map documents (folium) are embedded in pages and say no lang of their own; their words are checked.
        if not path.startswith("/maps/"):
            assert text.lang == expected, f"{path} is in {text.lang!r}, not {expected!r}"
        pages[path] = text
        links = _Links()
        links.feed(response.text)
        for href in links.hrefs:
            target = _same_origin_page(f"http://testserver{path}", href, lang)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


@pytest.fixture
def demo_site(settings: Settings, engine: Engine) -> TestClient:
    """The registry with the demo loaded, an application returned with a reason, an audit, an admin."""
    today = date.today()
    with Session(engine) as session:
        load_demo(session, password=PASSWORD, today=today)
        auth_service.create_user(
            session, username="walk-admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="t"
        )
        official = session.exec(select(User).where(User.username == "demo-official")).one()
        producer = session.exec(select(User).where(User.username == "demo-producer")).one()
        renewal = session.exec(select(Renewal).where(Renewal.producer_id == producer.producer_id)).one()
        # Reminders: confirmed addresses, so that the return and the audit below fill the outbox pages.
        for account, wanted in ((producer, Lang.zh), (official, Lang.en)):
            email = f"{account.username}@example.cn"
            contact = ContactIn(email=email, lang=wanted)
            reminders_service.save_contact(session, user=account, contact_in=contact)
            token = verify_token("walk", account.id, email)
            reminders_service.verify_address(session, secret="walk", token=token)
        decision = DecisionIn(decision=Decision.return_, reason="请补充产品检验报告（演示）")
        renewals.decide(session, renewal_id=renewal.id, decision_in=decision, user=official, today=today)
        link = session.get(ProducerLink, renewal.authorization_id)
        audit = AuditCreate(
            producer_id=producer.producer_id,
            indication_id=link.indication_id,
            audit_date=today - timedelta(days=3),
            officials=["演示检查员"],
            checklist=[{"item": "专用标志使用规范", "passed": False, "note": "标志位置不符合规定"}],
            result=AuditResult.minor_nonconformity,
            findings="包装上的专用标志位置不规范",
            rectify_by=today + timedelta(days=30),
        )
        audits_service.record_audit(session, audit_in=audit, user=official, today=today)
        _special_mark_applications(session, producer, official, today, settings.upload_dir)
    app = create_app(settings.model_copy(update={"demo_mode": True}), engine)
    with TestClient(app) as client:
        yield client


def _special_mark_applications(
    session: Session, producer: User, official: User, today: date, upload_dir: Path
) -> None:
    """Two first applications of the demo producer: one with corrections asked (its notice, the
    resubmission form), one approved into an announcement (public on the GI page)."""
    admin = session.exec(select(User).where(User.username == "walk-admin")).one()
    free = [
        c.id
        for c in mark_applications.filing_choices(session, official).indications
        if mark_applications._authorization(session, producer.producer_id, c.id) is None
        and ProtectionKind.gi_protected_product in mark_applications._protection_kinds(session, c.id)
    ]
    budget = mark_applications.Budget(upload_dir, 10**7)
    pdf = [mark_applications.Upload("申请书.pdf", "application/pdf", PDF)]
    filed = []
    for indication_id in free[:2]:
        filing = mark_applications.ApplicationIn(
            kind=ApplicationKind.first_use, indication_id=indication_id, basis=UserBasis.protected_product
        )
        application, _ = mark_applications.submit(
            session,
            user=producer,
            filing=filing,
            uploads=pdf,
            evidence=[],
            idempotency_key=None,
            budget=budget,
            today=today,
        )
        filed.append(application.id)
        step = MarkStepIn(step=MarkStep.accept, reason="材料齐全（演示）")
        mark_applications.take_step(
            session, application_id=application.id, step_in=step, user=official, today=today
        )
    asked = MarkStepIn(step=MarkStep.request_corrections, reason="请补充生产场所照片（演示）")
    mark_applications.take_step(session, application_id=filed[0], step_in=asked, user=official, today=today)
    check = SiteCheckIn(
        checked_on=today, officials="演示核查员", findings="与申请一致（演示）", outcome="conforms"
    )
    mark_applications.record_site_check(
        session, application_id=filed[1], check_in=check, photos=[], user=official, budget=budget, today=today
    )
    for user, step in (
        (official, MarkStepIn(step=MarkStep.forward, reason="初审通过（演示）")),
        (
            admin,
            MarkStepIn(
                step=MarkStep.approve,
                reason="核准（演示）",
                announcement_number="演示公告 1 号",
                announced_on=today,
            ),
        ),
    ):
        mark_applications.take_step(session, application_id=filed[1], step_in=step, user=user, today=today)


def _browser(site: TestClient, role: str) -> TestClient:
    browser = TestClient(site.app)  # cookies of its own
    if role in ACCOUNTS:
        form = browser.get("/login").text
        csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed_in = browser.post(
            "/login",
            data={"username": ACCOUNTS[role], "password": PASSWORD, "csrf": csrf},
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
    return browser


@pytest.mark.parametrize("lang", [Lang.zh, Lang.en])
def test_every_page_of_every_role_is_in_one_language(demo_site: TestClient, lang: Lang) -> None:
    raw = raw_values(lang)
    walked = {role: walk(_browser(demo_site, role), home, lang) for role, home in HOMES.items()}
    names = "\n".join(m for pages in walked.values() for text in pages.values() for m in text.marked)
    found: dict[str, list[str]] = {}
    visited: dict[str, set[str]] = {}
    for role, pages in walked.items():
        visited[role] = {path.split("?")[0] for path in pages}
        for path, text in pages.items():
            wrong = problems(text, lang, raw, names)
            if wrong:
                found[f"{role} {path}"] = wrong
    # The walk reached each role's own pages by links (a walk that saw nothing could not fail).
    assert {"/", "/standards", "/about", "/verify"} <= visited["public"]
    assert any(p.startswith("/indications/") for p in visited["public"])
    assert {"/producer", "/producer/audits", "/producer/calendar"} <= visited["producer"]
    assert any(p.startswith("/producer/applications/") for p in visited["producer"])
    assert any(p.startswith("/producer/mark-applications/") for p in visited["producer"])
    assert any(p.startswith("/officials/mark-applications/") for p in visited["official"])
    assert {"/officials", "/officials/imports", "/officials/areas", "/officials/usage"} <= visited["official"]
    assert "/officials" in visited["admin"]
    assert {"/account/contact", "/officials/outbox"} <= visited["official"]
    assert any(p.startswith("/officials/outbox/") for p in visited["official"])
    assert "/account/contact" in visited["producer"]
    report = "\n".join(f"{page}:\n  " + "\n  ".join(items) for page, items in sorted(found.items()))
    assert not found, f"{len(found)} page(s) not wholly in {lang.value}:\n{report}"


def test_the_check_finds_what_it_looks_for() -> None:
    """The same check on pages made wrong on purpose: a raw value, an English sentence, Chinese text."""
    zh_page = (
        '<html lang="zh-CN"><body><p>状态：switch_required</p><p>Switch to the unified GI special mark</p>'
    )
    zh_page += '<p lang="en">Yueyang yellow tea is a name</p></body></html>'
    wrong = problems(visible_text(zh_page, Lang.zh), Lang.zh, raw_values(Lang.zh))
    assert any("switch_required" in w for w in wrong)
    assert any("Switch to the unified" in w for w in wrong)
    assert not any("Yueyang yellow tea" in w for w in wrong)  # marked as English data: allowed
    en_page = (
        '<html lang="en"><body><p>Status: under_review</p><p>持有人</p><span lang="zh-CN">岳阳黄茶</span>'
    )
    en_page += "<script>var x = '中文';</script></body></html>"
    wrong = problems(visible_text(en_page, Lang.en), Lang.en, raw_values(Lang.en))
    assert any("under_review" in w for w in wrong) and any("持有人" in w for w in wrong)
    assert not any("岳阳黄茶" in w or "中文" in w for w in wrong)
    # A data name in a <title> (which holds no markup) passes only when the site marks it as data somewhere;
    # the same run in a paragraph must carry its own lang.
    titled = visible_text(
        '<html lang="en"><title>岳阳黄茶 · Registry</title><p lang="zh-CN">岳阳黄茶</p>', Lang.en
    )
    assert problems(titled, Lang.en, set(), names="")
    assert not problems(titled, Lang.en, set(), names="\n".join(titled.marked))
    bare = visible_text('<html lang="en"><p>岳阳黄茶</p></html>', Lang.en)
    assert problems(bare, Lang.en, set(), names="岳阳黄茶")


def test_every_enum_value_has_words_in_both_languages() -> None:
    """No template can print a raw value for want of a label: every StrEnum of the code is catalogued."""
    missing = []
    for cls in all_str_enums():
        labels = ENUM_LABELS.get(cls.__name__, {})
        missing += [f"{cls.__name__}.{m.value}" for m in cls if not all(labels.get(m.value, ("", "")))]
    assert not missing, f"enum values without a zh/en label in gi_registry/core/i18n.py: {missing}"


@pytest.mark.parametrize("lang", [Lang.zh, Lang.en])
def test_download_texts_follow_the_language(demo_site: TestClient, lang: Lang) -> None:
    """The officials' CSV files and the producer's calendar speak the chosen language in their text."""
    official = _browser(demo_site, "official")
    rows = (
        official.get(f"/officials/deadlines.csv?lang={lang.value}").content.decode("utf-8-sig").splitlines()
    )
    assert rows[0].startswith("due,overdue,kind") and rows[0].endswith(
        ",kind_label"
    )  # names kept for machines
    switch = next(row for row in rows if ",label_switch," in row)
    words = (
        ("换用统一的地理标志专用标志", "换用统一标志")
        if lang == Lang.zh
        else ("Switch to the unified", "Label switch")
    )
    assert all(w in switch for w in words)
    queue = official.get(f"/officials/queue.csv?lang={lang.value}").content.decode("utf-8-sig").splitlines()
    assert queue[1].endswith("已退回补正" if lang == Lang.zh else "Returned for new documents")

    producer = _browser(demo_site, "producer")
    address = re.search(
        r'id="calendar-address" value="([^"]+)"', producer.get(f"/producer/calendar?lang={lang.value}").text
    )
    feed = producer.get(address.group(1).replace("http://testserver", "")).text
    summaries = [line for line in feed.splitlines() if line.startswith("SUMMARY:")]
    assert summaries
    for line in summaries:
        assert bool(re.search(r"[\u4e00-\u9fff]", line)) == (lang == Lang.zh), line
