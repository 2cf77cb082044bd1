"""Reminders (issue 19): contacts and consent, the outbox written with the event, the scheduler, and the
sender delivering to a real SMTP server (aiosmtpd on loopback) over STARTTLS with authentication."""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import ReviewLevel, Role, User
from gi_registry.core.i18n import ENGLISH_RUN, Lang
from gi_registry.core.settings import Settings
from gi_registry.http.app import create_app
from gi_registry.labels.reminder_schedule import offset_due, schedule
from gi_registry.reminders import service as reminders_service
from gi_registry.reminders.messages import render
from gi_registry.reminders.models import Contact, ContactIn, MessageKind, OutboxMessage, OutboxState
from gi_registry.reminders.sender import send_due
from gi_registry.reminders.tokens import unsubscribe_token, verify_token
from tests.language import raw_values
from tests.smtp_server import PASSWORD as RELAY_PASSWORD
from tests.smtp_server import USER as RELAY_USER
from tests.smtp_server import SMTPServer, throwaway_certificate
from tests.workflow import PASSWORD, World, build_world, submit

SECRET = "reminder-tests-secret-key-0123456789abcdef"
PUBLIC = "https://registry.example.cn"
REASON = "请补充2026年产品检验报告"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def browser(app, username: str | None = None) -> TestClient:  # noqa: ANN001
    """A browser of its own (cookies apart), signed in as `username` when given."""
    site = TestClient(app)
    if username:
        form = site.get("/login")
        answer = site.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert answer.status_code == 303
    return site


def save_contact(site: TestClient, **fields: object) -> object:
    page = site.get("/account/contact?lang=en")
    assert page.status_code == 200
    return site.post(
        "/account/contact?lang=en", data={"csrf": csrf_of(page.text), **fields}, follow_redirects=False
    )


def forge(token: str) -> str:
    """The token with its last character changed: a signature that does not match."""
    return token[:-1] + ("1" if token.endswith("0") else "0")


def outbox(engine: Engine) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def tls(tmp_path: Path) -> tuple[Path, Path]:
    return throwaway_certificate(tmp_path)


@pytest.fixture
def relay(tls: tuple[Path, Path]) -> Iterator[SMTPServer]:
    with SMTPServer(tls) as server:
        yield server


@pytest.fixture
def smtp_settings(settings: Settings, relay: SMTPServer, tls: tuple[Path, Path]) -> Settings:
    return settings.model_copy(
        update={
            "secret_key": SECRET,
            "public_url": PUBLIC,
            "smtp_url": f"smtp+starttls://{RELAY_USER}:{RELAY_PASSWORD}@127.0.0.1:{relay.port}",
            "smtp_ca_file": tls[0],
            "smtp_from": "reminders@registry.example.cn",
        }
    )


@pytest.fixture
def app_client(smtp_settings: Settings, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(smtp_settings, engine)) as client:
        yield client


@pytest.fixture
def world(app_client: TestClient, session: Session) -> World:
    return build_world(app_client, session)


def test_a_producer_confirms_its_address_then_hears_of_its_application_in_its_language(
    app_client: TestClient, world: World, engine: Engine, smtp_settings: Settings, relay: SMTPServer
) -> None:
    site = browser(app_client.app, "producer-a")
    every_kind = [k.value for k in reminders_service.PRODUCER_KINDS]
    saved = save_contact(site, email="Coop-A@Example.cn", message_lang="en", send=every_kind)
    assert saved.status_code == 303 and "queued=1" in saved.headers["location"]

    # Unverified: an application now queues nothing but the verification message.
    renewal_id = submit(app_client, world.producer_a, world.authorization_id).json()["id"]
    assert [m.kind for m in outbox(engine)] == [MessageKind.verify_address]

    with Session(engine) as session:
        assert send_due(session, smtp_settings).sent == 1
    (verification,) = relay.mailbox.accepted
    assert verification["To"] == "coop-a@example.cn"
    assert verification["Subject"] == "Yueyang GI Registry | Please confirm your e-mail address"
    assert verification["Content-Language"] == "en"
    link = re.search(rf"{re.escape(PUBLIC)}/contact/verify\?\S+", verification.get_content()).group()
    confirmed = browser(app_client.app).get(path_of(link))  # no sign-in needed
    assert confirmed.status_code == 200 and "coop-a@example.cn" in confirmed.text
    assert browser(app_client.app).get("/contact/verify?token=1.forged").status_code == 404

    # Verified: the official's return reaches the producer, with the reason and the page to answer on.
    url = f"/api/v1/renewals/{renewal_id}/decision"
    for decision, reason in (("review", "start"), ("return", REASON)):
        answer = app_client.post(url, json={"decision": decision, "reason": reason}, headers=world.official)
        assert answer.status_code == 200, answer.text
    with Session(engine) as session:
        assert send_due(session, smtp_settings).sent == 1
    returned = relay.mailbox.accepted[-1]
    assert returned["Subject"] == f"Yueyang GI Registry | Application {renewal_id} returned for new documents"
    body = returned.get_content()
    assert REASON in body and f"{PUBLIC}/producer/applications/{renewal_id}?lang=en" in body
    assert returned["Message-ID"].endswith("@registry.example.cn>")

    # The unsubscribe link works without signing in and stops that kind only.
    unsubscribe = re.search(rf"{re.escape(PUBLIC)}/contact/unsubscribe\?\S+", body).group()
    anonymous = browser(app_client.app)
    page = anonymous.get(path_of(unsubscribe))
    assert page.status_code == 200 and "Application returned for new documents" in page.text
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
    assert anonymous.get(f"/contact/unsubscribe?lang=en&token={forge(token)}").status_code == 404
    done = anonymous.post("/contact/unsubscribe?lang=en", data={"token": token, "csrf": csrf_of(page.text)})
    assert done.status_code == 200
    forged = anonymous.post(
        "/contact/unsubscribe?lang=en", data={"token": forge(token), "csrf": csrf_of(page.text)}
    )
    assert forged.status_code == 404

    resubmitted = app_client.post(
        f"/api/v1/renewals/{renewal_id}/resubmit",
        files=[("documents", ("again.pdf", b"%PDF-1.7\n%%EOF\n", "application/pdf"))],
        headers=world.producer_a,
    )
    assert resubmitted.status_code == 200, resubmitted.text
    for decision, reason in (("review", "start"), ("return", "still missing")):
        assert app_client.post(
            url, json={"decision": decision, "reason": reason}, headers=world.official
        ).is_success
    kinds = [m.kind for m in outbox(engine)]
    assert kinds.count(MessageKind.application_returned) == 1  # the second return: opted out
    assert kinds.count(MessageKind.application_received) == 1  # the resubmission: still wanted


def test_an_audit_reaches_a_chinese_speaking_producer_in_the_same_transaction(
    app_client: TestClient, world: World, engine: Engine, smtp_settings: Settings, relay: SMTPServer
) -> None:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "producer-b")).one()
        reminders_service.save_contact(
            session, user=user, contact_in=ContactIn(email="b@example.cn", lang=Lang.zh)
        )
        reminders_service.verify_address(
            session, secret=SECRET, token=verify_token(SECRET, user.id, "b@example.cn")
        )
    audit = {
        "producer_id": world.producer_b_id,
        "indication_id": 1,
        "audit_date": (date.today() - timedelta(days=1)).isoformat(),
        "officials": ["审核员（合成）"],
        "result": "minor_nonconformity",
        "rectify_by": (date.today() + timedelta(days=20)).isoformat(),
    }
    # A refused audit writes nothing, and no message either.
    refused = app_client.post(
        "/api/v1/audits", json={**audit, "indication_id": 999999}, headers=world.official
    )
    assert refused.status_code == 422
    assert [m.kind for m in outbox(engine)] == [MessageKind.verify_address]
    assert app_client.post("/api/v1/audits", json=audit, headers=world.official).status_code == 201
    with Session(engine) as session:
        result = send_due(session, smtp_settings)
    # The confirmation message is withdrawn: the address was confirmed before it went.
    assert (result.sent, result.withdrawn) == (1, 1)
    message = relay.mailbox.accepted[-1]
    assert message["To"] == "b@example.cn" and message["Content-Language"] == "zh-CN"
    assert message["Subject"] == "岳阳市地理标志登记簿 | 监督检查结果：轻微不符合"
    body = message.get_content()
    assert f"请于 {audit['rectify_by']} 前完成整改" in body and f"{PUBLIC}/producer/audits?lang=zh" in body
    assert "minor_nonconformity" not in body


def _producer_user(session: Session, username: str, producer_id: int) -> User:
    return auth_service.create_user(
        session,
        username=username,
        password=PASSWORD,
        role=Role.producer,
        producer_id=producer_id,
        actor="test",
    )


def _reachable(session: Session, user: User, email: str, **fields: object) -> None:
    reminders_service.save_contact(session, user=user, contact_in=ContactIn(email=email, **fields))
    reminders_service.verify_address(session, secret=SECRET, token=verify_token(SECRET, user.id, email))


def test_the_scheduler_run_twice_adds_nothing_and_respects_opt_outs_and_unverified_addresses(
    app_client: TestClient, world: World, engine: Engine
) -> None:
    today = date.today()
    audit = {
        "producer_id": world.producer_b_id,
        "indication_id": 1,
        "audit_date": (today - timedelta(days=3)).isoformat(),
        "officials": ["审核员（合成）"],
        "result": "major_nonconformity",
        "rectify_by": (today + timedelta(days=7)).isoformat(),
    }
    assert app_client.post("/api/v1/audits", json=audit, headers=world.official).status_code == 201
    with Session(engine) as session:
        wanted = session.exec(select(User).where(User.username == "producer-b")).one()
        _reachable(session, wanted, "b@example.cn")
        refuses = _producer_user(session, "producer-b2", world.producer_b_id)
        _reachable(session, refuses, "b2@example.cn", opt_outs=[MessageKind.rectification])
        unverified = _producer_user(session, "producer-b3", world.producer_b_id)
        reminders_service.save_contact(session, user=unverified, contact_in=ContactIn(email="b3@example.cn"))
        official = session.exec(select(User).where(User.username == "official")).one()
        _reachable(session, official, "official@example.cn", county_code="430626")

        unverified_id, refuses_id = unverified.id, refuses.id
        first = schedule(session, today=today, include_synthetic=False)
        again = schedule(session, today=today, include_synthetic=False)
    assert (first.reminders, first.digests) == (1, 1)
    assert (again.reminders, again.digests) == (0, 0)
    rows = outbox(engine)
    reminders = [m for m in rows if m.kind == MessageKind.rectification]
    assert [(m.recipient, m.params["offset"]) for m in reminders] == [("b@example.cn", -7)]
    assert {m.kind for m in rows if m.user_id == unverified_id} == {MessageKind.verify_address}
    assert not [m for m in rows if m.user_id == refuses_id and m.kind != MessageKind.verify_address]

    with Session(engine) as session:
        # Nothing until the due date, then weekly while overdue; a missed week is caught up once.
        added = [
            schedule(session, today=today + timedelta(days=d), include_synthetic=False).reminders
            for d in (1, 7, 8, 14, 30)
        ]
    assert added == [0, 1, 0, 1, 1]
    assert sorted(m.params["offset"] for m in outbox(engine) if m.kind == MessageKind.rectification) == [
        -7,
        0,
        7,
        21,
    ]


def test_offsets_are_thirty_and_seven_days_before_the_day_itself_then_weekly() -> None:
    due = date(2027, 3, 31)
    assert offset_due(due, due - timedelta(days=31)) is None
    assert [offset_due(due, due - timedelta(days=d)) for d in (30, 29, 7, 1, 0)] == [-30, -30, -7, -7, 0]
    assert [offset_due(due, due + timedelta(days=d)) for d in (1, 6, 7, 13, 14)] == [0, 0, 7, 7, 14]


SAMPLE_PARAMS = {
    MessageKind.verify_address: {},
    MessageKind.usage_report: {"due": "2027-03-31", "offset": -30, "producer": "甲合作社"},
    MessageKind.label_switch: {"due": "2020-12-31", "offset": 14, "producer": "甲合作社"},
    MessageKind.rectification: {"due": "2027-01-10", "offset": 0, "producer": "甲合作社", "audit_id": 3},
    MessageKind.application_received: {"id": 7, "review_due": "2027-01-04"},
    MessageKind.application_returned: {"id": 7, "status": "returned", "reason": "—"},
    MessageKind.application_decided: {"id": 7, "status": "approved", "reason": "—"},
    MessageKind.audit_recorded: {
        "id": 3,
        "audit_date": "2026-12-01",
        "result": "major_nonconformity",
        "rectify_by": "2027-01-10",
    },
    MessageKind.weekly_digest: {
        "week": "2026-W49",
        "county": "430626",
        "county_zh": "平江县",
        "county_en": "Pingjiang County",
        "items": [
            {"kind": k, "due": "2026-11-30", "producer": None}
            for k in (
                "rectification",
                "usage_report",
                "label_switch",
                "application_review",
                "trademark_renewal",
            )
        ],
    },
}


WAITING = {"id": 7, "status": "returned", "reason": "—", "returned_on": "2026-11-20", "days": 14}


@pytest.mark.parametrize("lang", list(Lang))
@pytest.mark.parametrize(
    ("kind", "params"),
    [(kind, SAMPLE_PARAMS[kind]) for kind in MessageKind] + [(MessageKind.application_returned, WAITING)],
)
def test_every_message_kind_renders_in_each_language_without_a_raw_enum_value(
    kind: MessageKind, params: dict, lang: Lang
) -> None:
    message = OutboxMessage(key="k", kind=kind, user_id=1, recipient="a@example.cn", lang=lang, params=params)
    rendered = render(message, secret=SECRET, public_url=PUBLIC)
    # Links and addresses are codes, not words; the producer's name is data in its own language.
    words = re.sub(r"https?://\S+|\S+@\S+", " ", f"{rendered.subject}\n{rendered.body}").replace(
        "甲合作社", ""
    )
    raw = {v for v in raw_values(lang) if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", words)}
    assert raw == set(), rendered.body
    if lang == Lang.zh:
        assert ENGLISH_RUN.search(words) is None, words
    else:
        assert re.search(r"[\u4e00-\u9fff]", words.replace("平江县", "")) is None, words
    assert rendered.action_url.startswith(PUBLIC) and f"lang={lang.value}" in rendered.action_url
    assert (rendered.unsubscribe_url is None) == (kind == MessageKind.verify_address)


def test_refusals_retries_and_dead_letters_shown_to_administrators_only(
    app_client: TestClient, world: World, engine: Engine, smtp_settings: Settings, relay: SMTPServer
) -> None:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "producer-a")).one()
        # Not yet confirmed: their confirmation messages are what the relay refuses.
        reminders_service.save_contact(session, user=user, contact_in=ContactIn(email="gone@example.cn"))
        later = _producer_user(session, "producer-a2", world.producer_a_id)
        reminders_service.save_contact(session, user=later, contact_in=ContactIn(email="later@example.cn"))
    relay.mailbox.refuse = {
        "gone@example.cn": "550 5.1.1 no such user",
        "later@example.cn": "451 4.3.0 try later",
    }
    settings = smtp_settings.model_copy(update={"outbox_max_attempts": 2})
    with Session(engine) as session:
        result = send_due(session, settings)
    assert (result.sent, result.failed, result.dead) == (0, 2, 1)
    states = {m.recipient: (m.state, m.attempts) for m in outbox(engine)}
    assert states == {"gone@example.cn": (OutboxState.dead, 1), "later@example.cn": (OutboxState.pending, 1)}
    with Session(engine) as session:
        waiting = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == "later@example.cn")
        ).one()
        assert send_due(session, settings).sent == 0  # its retry is not due yet: back-off
        waiting.next_attempt_at = waiting.created_at  # as if the back-off had passed
        session.add(waiting)
        session.commit()
        assert send_due(session, settings).dead == 1  # the second failure of two allowed
    dead = [m for m in outbox(engine) if m.state == OutboxState.dead]
    assert len(dead) == 2 and relay.mailbox.accepted == []

    with Session(engine) as session:
        auth_service.create_user(
            session, username="admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="test"
        )
    official = browser(app_client.app, "official")
    assert "gone@example.cn" not in official.get("/officials/outbox?lang=en").text
    assert official.get(f"/officials/outbox/{dead[0].id}?lang=en").status_code == 404
    admin = browser(app_client.app, "admin")
    listing = admin.get("/officials/outbox?lang=en&state=dead")
    assert "gone@example.cn" in listing.text and "Given up after repeated failures" in listing.text
    page = admin.get(f"/officials/outbox/{dead[0].id}?lang=en")
    assert "550" in page.text
    relay.mailbox.refuse = {}
    again = admin.post(f"/officials/outbox/{dead[0].id}/retry?lang=en", data={"csrf": csrf_of(page.text)})
    assert again.status_code == 200
    with Session(engine) as session:
        assert send_due(session, settings).sent == 1
    assert relay.mailbox.accepted[0]["To"] == "gone@example.cn"


def test_with_no_mail_server_the_outbox_is_written_and_officials_see_what_would_have_been_sent(
    client: TestClient, session: Session, engine: Engine
) -> None:
    world = build_world(client, session)
    producer = browser(client.app, "producer-a")
    assert 'id="link-contact"' in producer.get("/producer?lang=zh").text
    page = producer.get("/account/contact?lang=zh")
    assert page.status_code == 200 and 'id="smtp-off"' in page.text
    bad = producer.post(
        "/account/contact?lang=zh", data={"csrf": csrf_of(page.text), "email": "not an address"}
    )
    assert bad.status_code == 422 and "请输入有效的电子邮箱地址" in bad.text
    assert outbox(engine) == []
    ok = producer.post(
        "/account/contact?lang=zh",
        data={"csrf": csrf_of(page.text), "email": "a@example.cn", "message_lang": "zh"},
    )
    assert ok.status_code == 200 and "确认邮件已排入发送队列" in ok.text
    assert world.producer_a_id

    official = browser(client.app, "official")
    desk = official.get("/officials?lang=en").text
    assert 'href="/officials/outbox?lang=en"' in desk and 'href="/account/contact?lang=en"' in desk
    listing = official.get("/officials/outbox?lang=en")
    assert "a@example.cn" in listing.text and "Address confirmation" in listing.text
    (row,) = outbox(engine)
    preview = official.get(f"/officials/outbox/{row.id}?lang=en")
    assert (
        preview.status_code == 200 and "请确认您的邮箱地址" in preview.text and 'lang="zh-CN"' in preview.text
    )
    assert browser(client.app, "producer-a").get("/officials/outbox").status_code == 403
    with Session(engine) as s:
        contact = s.exec(select(Contact)).one()
        assert contact.verified is False


def test_the_command_line_schedules_twice_without_duplicates_and_sends_nothing_without_a_server(
    settings: Settings, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from gi_registry.cli.app import app
    from gi_registry.core.settings import get_settings

    with Session(engine) as session:
        official = auth_service.create_user(
            session,
            username="digest-official",
            password=PASSWORD,
            role=Role.official,
            producer_id=None,
            actor="test",
        )
        _reachable(session, official, "o@example.cn")
    monkeypatch.setenv("GI_DATABASE_URL", settings.database_url)
    monkeypatch.delenv("GI_SMTP_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(app, ["outbox", "schedule", "--today", "2026-12-07"])
        again = runner.invoke(app, ["outbox", "schedule", "--today", "2026-12-09"])  # the same ISO week
        bad = runner.invoke(app, ["outbox", "schedule", "--today", "someday"])
        unsent = runner.invoke(app, ["outbox", "send"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and "1 digest(s)" in first.output, first.output
    assert again.exit_code == 0 and "0 digest(s)" in again.output, again.output
    assert bad.exit_code == 2
    assert unsent.exit_code == 1 and "GI_SMTP_URL is not set" in unsent.output
    digests = [m for m in outbox(engine) if m.kind == MessageKind.weekly_digest]
    assert [(m.params["week"], m.state) for m in digests] == [("2026-W50", OutboxState.pending)]


def test_consent_is_checked_again_when_sending_an_unsubscribe_stops_what_already_waits(
    app_client: TestClient, world: World, engine: Engine, smtp_settings: Settings, relay: SMTPServer
) -> None:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "producer-a")).one()
        _reachable(session, user, "a@example.cn")
        moved = _producer_user(session, "producer-a2", world.producer_a_id)
        _reachable(session, moved, "old@example.cn")
    renewal_id = submit(app_client, world.producer_a, world.authorization_id).json()["id"]
    waiting = [m for m in outbox(engine) if m.kind == MessageKind.application_received]
    assert sorted(m.recipient for m in waiting) == ["a@example.cn", "old@example.cn"]
    with Session(engine) as session:
        # Before the sender runs: one recipient turns that kind off by its link, the other moves address.
        token = unsubscribe_token(SECRET, waiting[0].user_id, MessageKind.application_received.value)
        reminders_service.unsubscribe(session, secret=SECRET, token=token)
        moved = session.exec(select(User).where(User.username == "producer-a2")).one()
        reminders_service.save_contact(session, user=moved, contact_in=ContactIn(email="new@example.cn"))
        result = send_due(session, smtp_settings)
    # The new address's confirmation goes; the two waiting notices do not, nor the confirmations of the
    # first addresses, confirmed before they went.
    assert (result.sent, result.withdrawn) == (1, 4)
    assert [m["To"] for m in relay.mailbox.accepted] == ["new@example.cn"]
    states = {(m.kind, m.recipient): m.state for m in outbox(engine) if m.kind != MessageKind.verify_address}
    assert set(states.values()) == {OutboxState.withdrawn}
    assert renewal_id


def test_a_returned_application_waiting_for_its_answer_is_recalled_weekly(
    app_client: TestClient, world: World, engine: Engine
) -> None:
    renewal_id = submit(app_client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    for decision, reason in (("review", "start"), ("return", REASON)):
        assert app_client.post(
            url, json={"decision": decision, "reason": reason}, headers=world.official
        ).is_success
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "producer-a")).one()
        _reachable(session, user, "a@example.cn", lang=Lang.en)
        today = date.today()
        counts = []
        for day in (0, 6, 7, 8, 14):
            schedule(session, today=today + timedelta(days=day), include_synthetic=False)
            counts.append(sum(m.kind == MessageKind.application_returned for m in outbox(engine)))
    # Its label-switch reminders go too (a legacy mark); the returned application's after 7 and 14 days.
    assert counts == [0, 0, 1, 1, 2]
    waiting = [m for m in outbox(engine) if m.kind == MessageKind.application_returned]
    assert [m.params["days"] for m in waiting] == [7, 14]
    text = render(waiting[0], secret=SECRET, public_url=PUBLIC)
    assert text.subject.endswith(f"Application {renewal_id} is still waiting for your answer")
    assert REASON in text.body and f"/producer/applications/{renewal_id}?lang=en" in text.body


def test_a_relay_refusing_our_sign_in_costs_one_attempt_and_no_dead_letter(
    world: World, engine: Engine, smtp_settings: Settings
) -> None:
    with Session(engine) as session:
        for username, email in (("producer-a", "a@example.cn"), ("producer-b", "b@example.cn")):
            user = session.exec(select(User).where(User.username == username)).one()
            reminders_service.save_contact(session, user=user, contact_in=ContactIn(email=email))
        wrong = smtp_settings.smtp_url.replace(RELAY_PASSWORD, "wrong-password")
        result = send_due(session, smtp_settings.model_copy(update={"smtp_url": wrong}))
    assert (result.sent, result.failed, result.dead) == (0, 1, 0)
    rows = outbox(engine)
    assert [(m.state, m.attempts) for m in rows] == [(OutboxState.pending, 1), (OutboxState.pending, 0)]
    assert rows[0].last_error.startswith("relay: SMTPAuthenticationError")
    assert world.producer_a_id


# aiosmtpd warns of AUTH without STARTTLS; with SMTPS the whole connection is TLS already.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtps_with_tls_from_the_first_byte(
    world: World, engine: Engine, smtp_settings: Settings, tls: tuple[Path, Path]
) -> None:
    with SMTPServer(tls, implicit_tls=True) as smtps, Session(engine) as session:
        user = session.exec(select(User).where(User.username == "producer-a")).one()
        reminders_service.save_contact(session, user=user, contact_in=ContactIn(email="a@example.cn"))
        url = f"smtps://{RELAY_USER}:{RELAY_PASSWORD}@127.0.0.1:{smtps.port}"
        assert send_due(session, smtp_settings.model_copy(update={"smtp_url": url})).sent == 1
        (message,) = smtps.mailbox.accepted
    assert (
        message["To"] == "a@example.cn" and message["Subject"] == "岳阳市地理标志登记簿 | 请确认您的邮箱地址"
    )
    assert world.producer_a_id


def test_the_loop_in_serve_schedules_and_sends_and_stops_with_the_app(
    smtp_settings: Settings, engine: Engine, relay: SMTPServer
) -> None:
    import time

    with Session(engine) as session:
        official = auth_service.create_user(
            session,
            username="loop-official",
            password=PASSWORD,
            role=Role.official,
            producer_id=None,
            actor="test",
        )
        _reachable(session, official, "o@example.cn")  # confirmed already: only the summary will go
    settings = smtp_settings.model_copy(update={"outbox_in_serve": True, "outbox_interval_seconds": 0.2})
    with TestClient(create_app(settings, engine)) as client:
        loop = client.app.state.outbox_loop
        deadline = time.monotonic() + 120  # a bound for a loaded machine, not a measured figure
        while not relay.mailbox.accepted and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not loop.thread.is_alive()
    (summary,) = relay.mailbox.accepted
    assert summary["To"] == "o@example.cn" and "逾期事项周报" in summary["Subject"]


def test_a_county_officials_digest_covers_its_own_county_whatever_it_chose(
    app_client: TestClient, world: World, engine: Engine
) -> None:
    """The digest follows the account's bureau: a county official's covers its county, not the whole city."""
    today = date.today()
    audit = {
        "producer_id": world.producer_b_id,  # in 平江县 (430626)
        "indication_id": 1,
        "audit_date": (today - timedelta(days=40)).isoformat(),
        "officials": ["审核员（合成）"],
        "result": "minor_nonconformity",
        "rectify_by": (today - timedelta(days=5)).isoformat(),
    }
    assert app_client.post("/api/v1/audits", json=audit, headers=world.official).status_code == 201
    with Session(engine) as session:
        for username, area in (("pingjiang-digest", "430626"), ("yueyang-county-digest", "430621")):
            user = auth_service.create_user(
                session,
                username=username,
                password=PASSWORD,
                role=Role.official,
                producer_id=None,
                actor="test",
                level=ReviewLevel.county,
                area_code=area,
            )
            _reachable(session, user, f"{username}@example.cn")  # no county chosen: "all" for a city official
        schedule(session, today=today, include_synthetic=False)
    digests = {m.recipient: m.params for m in outbox(engine) if m.kind == MessageKind.weekly_digest}
    assert digests["pingjiang-digest@example.cn"]["county"] == "430626"
    assert len(digests["pingjiang-digest@example.cn"]["items"]) >= 1
    assert digests["yueyang-county-digest@example.cn"]["county"] == "430621"
    assert digests["yueyang-county-digest@example.cn"]["items"] == []
