"""Audits, misuse reports, deadlines and the producer's calendar."""

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.labels.authorizations import usage_report_due
from tests.workflow import PNG, World, build_world, submit


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def audit_body(world: World, **changes) -> dict:  # noqa: ANN003
    body = {
        "producer_id": world.producer_a_id,
        "indication_id": 1,
        "audit_date": (date.today() - timedelta(days=3)).isoformat(),
        "officials": ["张三", "李四"],
        "checklist": [
            {"item": "标志印有统一社会信用代码", "passed": False, "note": "missing on 2 of 10 boxes"}
        ],
        "result": "minor_nonconformity",
        "findings": "code missing on some labels",
        "rectify_by": (date.today() + timedelta(days=30)).isoformat(),
    }
    return {**body, **changes}


def test_audit_with_major_nonconformity_suspends_the_authorization(client: TestClient, world: World) -> None:
    body = audit_body(world, result="major_nonconformity", suspend_authorization=True)
    response = client.post("/api/v1/audits", json=body, headers=world.official)
    assert response.status_code == 201, response.text
    audit = response.json()
    assert audit["result"] == "major_nonconformity" and audit["overdue"] is False
    authorization = client.get(f"/api/v1/authorizations/{world.authorization_id}").json()
    assert authorization["status"] == "suspended"
    history = client.get(
        "/api/v1/history", params={"entity": "authorization", "id": world.authorization_id}
    ).json()
    assert any(r["field"] == "status" and r["new_value"] == "suspended" for r in history["data"])


TOMORROW = "tomorrow"  # resolved when the test runs


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"rectify_by": None}, 422),  # a nonconformity needs a deadline
        ({"suspend_authorization": True}, 422),  # only a major nonconformity suspends
        ({"audit_date": TOMORROW}, 422),  # an audit cannot be recorded before it happened
        ({"officials": []}, 422),
        ({"producer_id": 99999}, 422),
    ],
)
def test_bad_audits_are_refused(client: TestClient, world: World, changes: dict, status: int) -> None:
    if changes.get("audit_date") == TOMORROW:
        # Tomorrow as of the request, not as of collection: a run that crosses midnight collected the
        # parameters on the day before.
        changes = {**changes, "audit_date": (date.today() + timedelta(days=1)).isoformat()}
    assert (
        client.post("/api/v1/audits", json=audit_body(world, **changes), headers=world.official).status_code
        == status
    )


def test_audits_are_visible_to_officials_and_the_audited_producer_only(
    client: TestClient, world: World
) -> None:
    assert client.post("/api/v1/audits", json=audit_body(world), headers=world.producer_a).status_code == 403
    audit_id = client.post("/api/v1/audits", json=audit_body(world), headers=world.official).json()["id"]
    assert client.get(f"/api/v1/audits/{audit_id}", headers=world.producer_a).status_code == 200
    assert client.get(f"/api/v1/audits/{audit_id}", headers=world.producer_b).status_code == 404
    assert client.get("/api/v1/audits", headers=world.producer_b).json()["data"] == []
    closed = client.post(
        f"/api/v1/audits/{audit_id}/follow-up",
        json={"follow_up": "labels reprinted", "closed": True},
        headers=world.official,
    )
    assert closed.json()["closed"] is True
    again = client.post(
        f"/api/v1/audits/{audit_id}/follow-up", json={"follow_up": "more"}, headers=world.official
    )
    assert again.status_code == 409
    assert client.get("/api/v1/audits", params={"open": "true"}, headers=world.official).json()["data"] == []


def test_deadlines_for_officials_and_producers(client: TestClient, world: World) -> None:
    submit(client, world.producer_a, world.authorization_id)
    client.post("/api/v1/audits", json=audit_body(world), headers=world.official)
    soon = {d["kind"] for d in client.get("/api/v1/deadlines", headers=world.official).json()["data"]}
    next_report, _ = usage_report_due("2019-05-10", date.today())
    assert ("usage_report" in soon) == ((next_report - date.today()).days <= 90)
    everything = client.get("/api/v1/deadlines", params={"within_days": 400}, headers=world.official).json()[
        "data"
    ]
    kinds = {d["kind"] for d in everything}
    assert {"application_review", "rectification", "label_switch", "usage_report"} <= kinds
    assert next(d for d in everything if d["kind"] == "label_switch")["overdue"] is True
    assert [d["due"] for d in everything] == sorted(d["due"] for d in everything)
    own = client.get("/api/v1/deadlines", headers=world.producer_a).json()["data"]
    assert own and all(d["producer_id"] == world.producer_a_id for d in own)
    assert client.get("/api/v1/deadlines", headers=world.producer_b).json()["data"] == []
    by_county = client.get("/api/v1/deadlines", params={"county": "430623"}, headers=world.official).json()[
        "data"
    ]
    assert all(d["county_code"] == "430623" for d in by_county)
    assert client.get("/api/v1/deadlines").status_code == 401


def test_producer_calendar_at_a_secret_address(client: TestClient, world: World) -> None:
    submit(client, world.producer_a, world.authorization_id)
    url = client.get("/api/v1/deadlines/calendar", headers=world.producer_a).json()["url"]
    calendar = client.get(url.replace("http://testserver", ""))
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    text = calendar.text
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") >= 2 and "DTSTART;VALUE=DATE:" in text
    forged = url.replace("http://testserver", "")[:-8] + "0000.ics"
    assert client.get(forged).status_code == 404
    assert client.get("/api/v1/deadlines/calendar", headers=world.official).status_code == 403


def test_misuse_report_without_an_account_then_triage(client: TestClient, world: World) -> None:
    filed = client.post(
        "/api/v1/reports",
        data={
            "indication": "岳阳黄茶",
            "location": "长沙某超市",
            "description": "标志上没有统一社会信用代码",
        },
        files={"photo": ("label.png", PNG, "image/png")},
    )
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]
    assert reference.startswith("GI-") and filed.json()["status"] == "new"
    assert client.get(f"/api/v1/reports/status/{reference}").json()["status"] == "new"
    assert client.get("/api/v1/reports").status_code == 401
    [report] = client.get("/api/v1/reports", headers=world.official).json()["data"]
    url = f"/api/v1/reports/{report['id']}/triage"
    assert (
        client.post(url, json={"status": "closed"}, headers=world.official).status_code == 422
    )  # no outcome
    assert client.post(url, json={"status": "investigating"}, headers=world.official).status_code == 200
    closed = client.post(url, json={"status": "closed", "outcome": "seller warned"}, headers=world.official)
    assert closed.json()["status"] == "closed"
    assert client.post(url, json={"status": "investigating"}, headers=world.official).status_code == 409
    assert client.get(f"/api/v1/reports/status/{reference}").json()["outcome"] == "seller warned"


def test_misuse_reports_are_rate_limited_and_validated(client: TestClient) -> None:
    data = {"location": "岳阳", "description": "可疑的标志"}
    assert client.post("/api/v1/reports", data={**data, "indication": "不存在"}).status_code == 422
    pdf_photo = client.post(
        "/api/v1/reports", data=data, files={"photo": ("x.pdf", b"%PDF-1.4 x", "application/pdf")}
    )
    assert pdf_photo.status_code == 422
    statuses = [client.post("/api/v1/reports", data=data).status_code for _ in range(5)]
    assert statuses[-1] == 429 and 201 in statuses


def test_consumer_reports_misuse_from_the_verify_page(client: TestClient, world: World) -> None:
    import re

    page = client.get("/verify")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    data = {"indication": "yueyang-huangcha", "location": "岳阳市某商店", "description": "标志模糊，疑似伪造"}
    assert client.post("/verify/report", data=data).status_code == 403  # no form token
    sent = client.post("/verify/report", data={**data, "csrf": token})
    assert sent.status_code == 200
    reference = re.search(r"<strong>(GI-[A-Z0-9]{8})</strong>", sent.text).group(1)
    assert client.get(f"/api/v1/reports/status/{reference}").json()["status"] == "new"
    assert len(client.get("/api/v1/reports", headers=world.official).json()["data"]) == 1


def test_a_suspended_authorization_cannot_be_renewed_or_approved_back(
    client: TestClient, world: World
) -> None:
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    client.post(url, json={"decision": "review", "reason": "complete"}, headers=world.official)
    body = audit_body(
        world, result="major_nonconformity", suspend_authorization=True, findings="机密：检查细节"
    )
    assert client.post("/api/v1/audits", json=body, headers=world.official).status_code == 201
    approve = client.post(url, json={"decision": "approve", "reason": "approved"}, headers=world.official)
    assert approve.status_code == 409 and "suspended" in approve.json()["detail"][0]["msg"]
    assert client.get(f"/api/v1/authorizations/{world.authorization_id}").json()["status"] == "suspended"
    assert submit(client, world.producer_a, world.authorization_id).status_code == 409
    public = client.get(
        "/api/v1/history", params={"entity": "authorization", "id": world.authorization_id}
    ).json()
    reasons = {row["reason"] for row in public["data"]}
    assert "authorization suspended after an audit" in reasons
    assert not any("机密" in (row["reason"] or "") for row in public["data"])


def test_verification_does_not_confirm_a_legacy_label_after_2020(client: TestClient, world: World) -> None:
    code = client.get(f"/api/v1/producers/{world.producer_a_id}").json()["uscc"]
    body = client.get(f"/api/v1/verify/{code}").json()
    assert body["authorizations"][0]["status"] == "switch_required"
    assert body["authorized"] is False
