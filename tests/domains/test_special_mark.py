"""Applications to use the GI special mark, Hunan's two-level procedure (issue #20), over the API."""

import io
from datetime import date, timedelta

import docx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import ReviewLevel, Role, User
from gi_registry.labels import mark_applications
from gi_registry.labels.mark_models import MarkApplication, MarkStep, MarkStepIn
from gi_registry.labels.reminder_schedule import schedule
from gi_registry.reminders import service as reminders_service
from gi_registry.reminders.messages import render
from gi_registry.reminders.models import ContactIn, MessageKind, OutboxMessage
from gi_registry.reminders.tokens import verify_token
from tests.workflow import PASSWORD, PDF, PNG, bearer, create_producer

PINGJIANG, YUEYANG_COUNTY = "430626", "430621"


def _official(
    session: Session, client: TestClient, name: str, level: ReviewLevel | None = None, area: str | None = None
) -> dict:
    auth_service.create_user(
        session,
        username=name,
        password=PASSWORD,
        role=Role.official,
        producer_id=None,
        actor="test",
        level=level,
        area_code=area,
    )
    return bearer(client, name)


@pytest.fixture
def desk(client: TestClient, session: Session) -> dict:
    """A city, two county and a provincial official; a producer in 平江县 with an account."""
    city = _official(session, client, "city-official")
    accounts = {
        "city": city,
        "pingjiang": _official(session, client, "pingjiang-official", ReviewLevel.county, PINGJIANG),
        "yueyang_county": _official(
            session, client, "yueyang-county-official", ReviewLevel.county, YUEYANG_COUNTY
        ),
        "province": _official(session, client, "province-official", ReviewLevel.province),
    }
    producer = create_producer(client, city, "丙茶叶合作社（合成）", "TEMP0003")
    auth_service.create_user(
        session,
        username="producer-c",
        password=PASSWORD,
        role=Role.producer,
        producer_id=producer["id"],
        actor="test",
    )
    accounts["producer"] = bearer(client, "producer-c")
    accounts["producer_id"] = producer["id"]
    accounts["uscc"] = producer["uscc"]
    return accounts


def _gi(client: TestClient, slug: str) -> int:
    return client.get(f"/api/v1/indications/{slug}").json()["id"]


def _file(client: TestClient, headers: dict, gi: int, **data: str) -> object:
    files = [("documents", ("application.pdf", PDF, "application/pdf"))]
    if data.pop("with_evidence", None):
        files.append(("evidence", ("licence.pdf", PDF, "application/pdf")))
    return client.post(
        "/api/v1/mark-applications",
        data={"kind": "first_use", "indication_id": str(gi), "basis": "protected_product", **data},
        files=files,
        headers=headers,
    )


def _step(client: TestClient, headers: dict, application_id: int, step: str, **extra: str) -> object:
    body = {"step": step, "reason": f"{step} (test)", **extra}
    return client.post(f"/api/v1/mark-applications/{application_id}/steps", json=body, headers=headers)


def _site_check(client: TestClient, headers: dict, application_id: int, outcome: str = "conforms") -> object:
    return client.post(
        f"/api/v1/mark-applications/{application_id}/site-checks",
        data={
            "checked_on": date.today().isoformat(),
            "officials": "王某、李某（合成）",
            "findings": "生产场所与申请材料一致（合成）",
            "outcome": outcome,
        },
        files=[("photos", ("site.png", PNG, "image/png"))],
        headers=headers,
    )


def test_a_first_application_goes_through_both_levels_to_an_announced_user(
    client: TestClient, desk: dict
) -> None:
    gi = _gi(client, "yueyang-huangcha")
    filed = _file(client, desk["producer"], gi, lang="en")
    assert filed.status_code == 201, filed.text
    application = filed.json()
    assert application["status"] == "submitted" and application["clock"]["running"]
    assert application["clock"]["working_days"] == 10
    number = application["id"]

    # The province cannot act on the city's initial review, and the city cannot approve.
    assert _step(client, desk["province"], number, "accept").status_code == 403
    accepted = _step(client, desk["city"], number, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "initial_review"
    assert "acceptance" in accepted.json()["notices"]
    # The notice is written in the applicant's language (English here), signed by the city bureau.
    notice = client.get(f"/api/v1/mark-applications/{number}/notices/acceptance", headers=desk["producer"])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(notice.content)).paragraphs)
    assert "Notice of acceptance" in text and f"no. {number}" in text and "岳阳市市场监督管理局" in text
    assert "受理通知书" not in text
    # Forwarding needs a conforming on-site check on file.
    assert _step(client, desk["city"], number, "forward").status_code == 409
    # The city delegates the check to 平江县, whose official records it; 岳阳县's cannot.
    delegated = client.post(
        f"/api/v1/mark-applications/{number}/delegation",
        json={"county_code": PINGJIANG, "reason": "生产地在平江县（合成）"},
        headers=desk["city"],
    )
    assert delegated.status_code == 200 and delegated.json()["site_check_delegated_to"] == PINGJIANG
    assert _site_check(client, desk["yueyang_county"], number).status_code == 404
    checked = _site_check(client, desk["pingjiang"], number)
    assert checked.status_code == 201, checked.text
    assert checked.json()["site_checks"][0]["bureau_area"] == PINGJIANG
    assert len(checked.json()["site_checks"][0]["photos"]) == 1
    # The county may not forward: the initial review is the city's.
    assert _step(client, desk["pingjiang"], number, "forward").status_code == 403
    forwarded = _step(client, desk["city"], number, "forward")
    assert forwarded.json()["status"] == "provincial_review"
    assert forwarded.json()["clock"] == {
        "level": "province",
        "review_due": None,
        "working_days": None,
        "running": False,
        "overdue": False,
    }
    # Approval names the announcement.
    assert _step(client, desk["province"], number, "approve").status_code == 422
    approved = _step(
        client,
        desk["province"],
        number,
        "approve",
        announcement_number="湘市监地标〔2026〕1号（合成）",
        announced_on=date.today().isoformat(),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    announcement_id = approved.json()["announcement_id"]

    # The announcement is public while demo data is hidden? The producer here is not synthetic.
    announcement = client.get(f"/api/v1/announcements/{announcement_id}").json()
    assert announcement["indication_id"] == gi
    assert [u["producer_id"] for u in announcement["users"]] == [desk["producer_id"]]
    listed = client.get("/api/v1/announcements", params={"indication": gi}).json()["data"]
    assert [a["id"] for a in listed] == [announcement_id]
    # The announcement is the new authorization's source, and a consumer can verify the label.
    verified = client.get(f"/api/v1/verify/{desk['uscc']}").json()
    assert verified["authorized"] is True
    (authorization,) = [a for a in verified["authorizations"] if a["indication_slug"] == "yueyang-huangcha"]
    assert authorization["announcement_number"] == "湘市监地标〔2026〕1号（合成）"
    assert authorization["label_version"] == "unified"
    assert "湖南省市场监督管理局" in authorization["sources"][0]["document"]
    # A second first-use application for the same GI is refused: the producer is now a user.
    assert _file(client, desk["producer"], gi).status_code == 409


def test_a_correction_request_stops_the_clock_and_resubmission_restarts_it(
    client: TestClient, desk: dict
) -> None:
    gi = _gi(client, "changle-tianjiu")
    number = _file(client, desk["producer"], gi).json()["id"]
    _step(client, desk["city"], number, "accept")
    asked = _step(client, desk["city"], number, "request_corrections")
    assert asked.json()["status"] == "initial_corrections"
    assert asked.json()["clock"]["running"] is False and asked.json()["clock"]["review_due"] is None
    assert "review_opinions" in asked.json()["notices"]
    notice = client.get(
        f"/api/v1/mark-applications/{number}/notices/review_opinions", headers=desk["producer"]
    )
    assert notice.status_code == 200
    assert notice.content[:2] == b"PK"  # a DOCX is a zip archive
    # An official cannot resubmit for the producer; the producer can.
    again = [("documents", ("corrected.pdf", PDF, "application/pdf"))]
    assert (
        client.post(
            f"/api/v1/mark-applications/{number}/resubmit", files=again, headers=desk["city"]
        ).status_code
        == 403
    )
    resubmitted = client.post(
        f"/api/v1/mark-applications/{number}/resubmit", files=again, headers=desk["producer"]
    )
    assert resubmitted.json()["status"] == "initial_review"
    assert resubmitted.json()["clock"]["running"] is True


def test_the_clock_counts_working_days_with_holidays_and_make_up_days(
    session: Session, client: TestClient, desk: dict
) -> None:
    """Asked on 2026-09-28, resubmitted on 2026-09-30: ten working days skip the National Day holiday
    (10-01 to 10-07) and count the make-up Saturday 10-10: 10-08, 09, 10, 12–16, 19, 20 (State Council's
    2026 holiday notice)."""
    gi = _gi(client, "changle-tianjiu")
    number = _file(client, desk["producer"], gi).json()["id"]
    city = auth_service.by_username(session, "city-official")
    producer = auth_service.by_username(session, "producer-c")
    for step in (MarkStep.accept, MarkStep.request_corrections):
        mark_applications.take_step(
            session,
            application_id=number,
            step_in=MarkStepIn(step=step, reason="test"),
            user=city,
            today=date(2026, 9, 28),
        )
    assert session.get(MarkApplication, number).review_due is None
    mark_applications.resubmit(
        session,
        application_id=number,
        user=producer,
        uploads=[mark_applications.Upload("c.pdf", "application/pdf", PDF)],
        budget=mark_applications.Budget(client.app.state.settings.upload_dir, 10_000_000),
        today=date(2026, 9, 30),
    )
    session.expire_all()
    assert session.get(MarkApplication, number).review_due == date(2026, 10, 20)


def test_a_county_official_sees_and_acts_only_on_its_own_county(client: TestClient, desk: dict) -> None:
    gi = _gi(client, "yueyang-huangcha")
    number = _file(client, desk["producer"], gi).json()["id"]
    mine = client.get("/api/v1/mark-applications", headers=desk["pingjiang"]).json()["data"]
    other = client.get("/api/v1/mark-applications", headers=desk["yueyang_county"]).json()["data"]
    assert [a["id"] for a in mine] == [number]
    assert other == []
    assert (
        client.get(f"/api/v1/mark-applications/{number}", headers=desk["yueyang_county"]).status_code == 404
    )
    assert _step(client, desk["yueyang_county"], number, "accept").status_code == 404
    # Its own county's file is visible, but the initial review of this GI is the city's.
    assert _step(client, desk["pingjiang"], number, "accept").status_code == 403
    notice = client.get(
        f"/api/v1/mark-applications/{number}/notices/acceptance", headers=desk["yueyang_county"]
    )
    assert notice.status_code == 404


def test_a_gi_trademark_user_files_the_licence_or_membership_evidence(client: TestClient, desk: dict) -> None:
    gi = _gi(client, "linxiang-heicha")  # a GI trademark only
    assert _file(client, desk["producer"], gi).status_code == 422  # protected_product does not apply
    refused = _file(client, desk["producer"], gi, basis="certification_licensee")
    assert refused.status_code == 422 and "licence" in refused.text
    filed = _file(client, desk["producer"], gi, basis="certification_licensee", with_evidence="1")
    assert filed.status_code == 201, filed.text
    assert len(filed.json()["documents"]) == 2


def test_filing_is_idempotent_and_a_producer_never_sees_another_producers(
    client: TestClient, session: Session, desk: dict
) -> None:
    gi = _gi(client, "yueyang-huangcha")
    key = {"Idempotency-Key": "mark-1"}
    first = _file(client, {**desk["producer"], **key}, gi)
    replay = _file(client, {**desk["producer"], **key}, gi)
    assert first.status_code == 201 and replay.status_code == 200
    assert replay.json()["id"] == first.json()["id"]
    other = create_producer(client, desk["city"], "丁合作社（合成）", "TEMP0004")
    auth_service.create_user(
        session,
        username="producer-d",
        password=PASSWORD,
        role=Role.producer,
        producer_id=other["id"],
        actor="test",
    )
    stranger = bearer(client, "producer-d")
    assert client.get(f"/api/v1/mark-applications/{first.json()['id']}", headers=stranger).status_code == 404
    assert client.get("/api/v1/mark-applications", headers=stranger).json()["data"] == []
    # An official files on behalf of a producer without an account.
    for_other = _file(client, desk["city"], gi, producer_id=str(other["id"]))
    assert for_other.status_code == 201 and for_other.json()["filed_by_official"] is True
    assert _file(client, desk["producer"], gi, producer_id=str(other["id"])).status_code == 403


def test_a_step_the_table_does_not_allow_names_both_states(client: TestClient, desk: dict) -> None:
    number = _file(client, desk["producer"], _gi(client, "changle-tianjiu")).json()["id"]
    refused = _step(
        client, desk["province"], number, "approve", announcement_number="x", announced_on="2026-01-01"
    )
    assert refused.status_code == 409
    assert "submitted" in refused.text and "approved" in refused.text


def test_a_change_application_is_decided_by_the_initial_bureau_and_changes_the_producer(
    client: TestClient, desk: dict
) -> None:
    gi = _gi(client, "yueyang-huangcha")
    client.post(
        "/api/v1/authorizations",
        json={
            "producer_id": desk["producer_id"],
            "indication_id": gi,
            "label_version": "unified",
            "authorized": "2024-05-10",
            "reason": "test",
            "sources": [{"document": "test (synthetic)", "confidence": "L"}],
        },
        headers=desk["city"],
    )
    filed = client.post(
        "/api/v1/mark-applications",
        data={"kind": "change", "indication_id": str(gi), "address": "平江县新址（合成）"},
        files=[("documents", ("change.pdf", PDF, "application/pdf"))],
        headers=desk["producer"],
    )
    assert filed.status_code == 201, filed.text
    number = filed.json()["id"]
    _step(client, desk["city"], number, "accept")
    assert _step(client, desk["city"], number, "approve").status_code == 409  # the on-site check first
    _site_check(client, desk["city"], number)
    assert _step(client, desk["city"], number, "forward").status_code == 409  # a change stays at its bureau
    approved = _step(client, desk["city"], number, "approve")
    assert approved.json()["status"] == "approved"
    assert client.get(f"/api/v1/producers/{desk['producer_id']}").json()["address"] == "平江县新址（合成）"


def test_a_gi_whose_protection_names_the_county_bureau_is_reviewed_by_that_county(
    client: TestClient, desk: dict
) -> None:
    gi = client.get("/api/v1/indications/changle-tianjiu").json()
    (protection,) = [p for p in gi["protections"] if p["kind"] == "gi_protected_product"]
    corrected = client.patch(
        f"/api/v1/protections/{protection['id']}",
        json={
            "initial_review_bureau": "county",
            "reason": "the protection announcement names the county bureau (synthetic test)",
            "sources": [{"document": "test fixture (synthetic)", "confidence": "L"}],
        },
        headers=desk["city"],
    )
    assert corrected.status_code == 200, corrected.text
    number = _file(client, desk["producer"], gi["id"]).json()["id"]
    assert (
        client.get(f"/api/v1/mark-applications/{number}", headers=desk["city"]).json()["initial_level"]
        == "county"
    )
    assert _step(client, desk["city"], number, "accept").status_code == 403
    assert _step(client, desk["yueyang_county"], number, "accept").status_code == 404
    assert _step(client, desk["pingjiang"], number, "accept").json()["status"] == "initial_review"
    # A county bureau with authority checks on site itself; there is no delegation to make.
    delegation = client.post(
        f"/api/v1/mark-applications/{number}/delegation",
        json={"county_code": PINGJIANG, "reason": "no delegation at county level"},
        headers=desk["pingjiang"],
    )
    assert delegation.status_code == 403
    assert _site_check(client, desk["pingjiang"], number).status_code == 201
    assert _step(client, desk["pingjiang"], number, "forward").json()["status"] == "provincial_review"


def _corrections_asked_of_a_reachable_producer(
    client: TestClient, session: Session, desk: dict
) -> tuple[User, int]:
    """producer-c with a verified address (English); its application filed, accepted, corrections asked."""
    secret = client.app.state.settings.secret_key
    producer = auth_service.by_username(session, "producer-c")
    reminders_service.save_contact(
        session, user=producer, contact_in=ContactIn(email="coop@example.cn", lang="en")
    )
    reminders_service.verify_address(
        session, secret=secret, token=verify_token(secret, producer.id, "coop@example.cn")
    )
    number = _file(client, desk["producer"], _gi(client, "changle-tianjiu")).json()["id"]
    _step(client, desk["city"], number, "accept")
    _step(client, desk["city"], number, "request_corrections")
    return producer, number


def test_the_producer_hears_of_its_application_in_the_same_transaction_in_its_language(
    client: TestClient, session: Session, desk: dict
) -> None:
    """A reachable producer's outbox gets the filing (with the clock), the request for corrections (with the
    reason) and the decision, each linking to the special-mark application's page."""
    secret = client.app.state.settings.secret_key
    producer, number = _corrections_asked_of_a_reachable_producer(client, session, desk)
    client.post(
        f"/api/v1/mark-applications/{number}/resubmit",
        files=[("documents", ("c.pdf", PDF, "application/pdf"))],
        headers=desk["producer"],
    )
    _step(client, desk["city"], number, "refuse")
    session.expire_all()
    messages = session.exec(
        select(OutboxMessage).where(OutboxMessage.user_id == producer.id).order_by(OutboxMessage.id)
    ).all()
    kinds = [m.kind.value for m in messages if m.kind != MessageKind.verify_address]
    assert kinds == [
        "application_received",
        "application_returned",
        "application_received",
        "application_decided",
    ]
    decided = render(messages[-1], secret=secret, public_url="https://gi.example.cn")
    assert decided.action_url == f"https://gi.example.cn/producer/mark-applications/{number}?lang=en"
    assert "Refused" in decided.subject and "refuse (test)" in decided.body
    assert "refused" not in decided.subject  # the label, never the raw value


def test_an_application_waiting_for_corrections_is_recalled_weekly_until_resubmitted(
    client: TestClient, session: Session, desk: dict
) -> None:
    """The weekly "still waiting for your answer" reminder covers special-mark applications too, linking to
    their own page, and stops once the producer resubmits."""
    secret = client.app.state.settings.secret_key
    producer, number = _corrections_asked_of_a_reachable_producer(client, session, desk)

    def recalls() -> list[OutboxMessage]:
        session.expire_all()
        return [
            m
            for m in session.exec(select(OutboxMessage).where(OutboxMessage.user_id == producer.id))
            if m.kind == MessageKind.application_returned and m.params.get("days")
        ]

    today = date.today()
    counts = []
    for day in (0, 6, 7, 8, 14):
        schedule(session, today=today + timedelta(days=day), include_synthetic=False)
        counts.append(len(recalls()))
    assert counts == [0, 0, 1, 1, 2]
    assert sorted(m.params["days"] for m in recalls()) == [7, 14]
    text = render(recalls()[0], secret=secret, public_url="https://gi.example.cn")
    assert text.action_url == f"https://gi.example.cn/producer/mark-applications/{number}?lang=en"
    assert f"Application {number} is still waiting for your answer" in text.subject
    assert "request_corrections (test)" in text.body

    client.post(
        f"/api/v1/mark-applications/{number}/resubmit",
        files=[("documents", ("c.pdf", PDF, "application/pdf"))],
        headers=desk["producer"],
    )
    schedule(session, today=today + timedelta(days=21), include_synthetic=False)
    assert len(recalls()) == 2  # answered: no third reminder
