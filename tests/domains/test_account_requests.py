"""A producer without an account requests one; an official confirms or refuses it (issue #20, item 1)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests.factories import make_uscc
from tests.web.test_web_casework import browser_sign_in
from tests.web.test_web_officials import csrf_of
from tests.workflow import PASSWORD, bearer

NEW_PASSWORD = "a long passphrase 2026"


def _request(client: TestClient, uscc: str, username: str = "tea-coop") -> object:
    return client.post(
        "/api/v1/account-requests",
        json={
            "producer_name": "平江县某茶叶合作社（合成）",
            "uscc": uscc,
            "county_code": "430626",
            "contact": "王某 0730-0000000（合成）",
            "username": username,
            "password": NEW_PASSWORD,
        },
    )


def _official(client: TestClient, session: Session) -> dict:
    auth_service.create_user(
        session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    return bearer(client, "official")


def test_a_confirmed_request_adds_the_producer_with_its_source_and_the_account_signs_in(
    client: TestClient, session: Session
) -> None:
    uscc = make_uscc(division="430626", org_body="TEMP0011")
    made = _request(client, uscc)
    assert made.status_code == 201, made.text
    reference = made.json()["reference"]
    assert client.get(f"/api/v1/account-requests/status/{reference}").json()["status"] == "pending"
    # The password is not usable before an official confirms, and never shown to them.
    assert (
        client.post("/api/v1/auth/token", data={"username": "tea-coop", "password": NEW_PASSWORD}).status_code
        == 401
    )
    official = _official(client, session)
    listed = client.get("/api/v1/account-requests", headers=official).json()["data"]
    assert [r["reference"] for r in listed] == [reference] and "password" not in str(listed[0])
    assert listed[0]["known_producer_id"] is None
    assert client.get("/api/v1/account-requests").status_code == 401
    decided = client.post(
        f"/api/v1/account-requests/{listed[0]['id']}/decision",
        json={"confirm": True, "reason": "营业执照已核对（合成）"},
        headers=official,
    )
    assert decided.status_code == 200, decided.text
    producer = client.get(f"/api/v1/producers/{decided.json()['producer_id']}").json()
    assert producer["uscc"] == uscc
    assert any(reference in (s.get("document") or "") for s in producer["sources"])
    token = client.post("/api/v1/auth/token", data={"username": "tea-coop", "password": NEW_PASSWORD})
    assert token.status_code == 200
    # Decided once: a second decision is a conflict.
    again = client.post(
        f"/api/v1/account-requests/{listed[0]['id']}/decision",
        json={"confirm": False, "reason": "twice"},
        headers=official,
    )
    assert again.status_code == 409


def test_a_request_for_a_producer_on_record_links_it_and_a_refusal_keeps_no_password(
    client: TestClient, session: Session
) -> None:
    official = _official(client, session)
    uscc = make_uscc(division="430626", org_body="TEMP0012")
    known = client.post(
        "/api/v1/producers",
        json={
            "name_zh": "已登记合作社（合成）",
            "uscc": uscc,
            "county_code": "430626",
            "reason": "test",
            "sources": [{"document": "test (synthetic)", "confidence": "L"}],
        },
        headers=official,
    ).json()
    first = _request(client, uscc, "known-coop")
    assert _request(client, uscc, "other-name").status_code == 409  # one pending request per code
    (row,) = client.get("/api/v1/account-requests", headers=official).json()["data"]
    assert row["known_producer_id"] == known["id"]
    refused = client.post(
        f"/api/v1/account-requests/{row['id']}/decision",
        json={"confirm": False, "reason": "名称与营业执照不符（合成）"},
        headers=official,
    )
    assert refused.json()["status"] == "refused"
    status = client.get(f"/api/v1/account-requests/status/{first.json()['reference']}").json()
    assert status == {
        "reference": first.json()["reference"],
        "status": "refused",
        "reason": "名称与营业执照不符（合成）",
    }
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "known-coop", "password": NEW_PASSWORD}
        ).status_code
        == 401
    )


def test_bad_requests_are_refused_in_words_on_the_page(client: TestClient, session: Session) -> None:
    browser = TestClient(client.app)
    form = browser.get("/login?lang=en")
    assert "/producer/register" in form.text
    page = browser.get("/producer/register?lang=en")
    bad = browser.post(
        "/producer/register?lang=en",
        data={
            "csrf": csrf_of(page.text),
            "producer_name": "x",
            "uscc": "123",
            "contact": "",
            "username": "a",
            "password": "short",
        },
    )
    assert bad.status_code == 422
    assert "unified social credit code" in bad.text.lower() and 'id="error-summary"' in bad.text
    good = browser.post(
        "/producer/register?lang=en",
        data={
            "csrf": csrf_of(page.text),
            "producer_name": "平江县某茶叶合作社（合成）",
            "uscc": make_uscc(division="430626", org_body="TEMP0013"),
            "county_code": "430626",
            "contact": "王某 0730-0000000",
            "username": "page-coop",
            "password": NEW_PASSWORD,
        },
    )
    assert good.status_code == 201
    reference = good.text.split('id="reference">', 1)[1].split("<", 1)[0]
    followed = browser.get(f"/producer/register?reference={reference}&lang=en")
    assert "Waiting for the bureau" in followed.text
    # The official confirms it on the desk page.
    _official(client, session)
    desk = TestClient(client.app)
    browser_sign_in(desk, "official")
    listing = desk.get("/officials/account-requests?lang=zh")
    assert reference in listing.text
    request_id = listing.text.split('id="request-', 1)[1].split('"', 1)[0]
    done = desk.post(
        f"/officials/account-requests/{request_id}?lang=zh",
        data={"csrf": csrf_of(listing.text), "confirm": "yes", "reason": "营业执照已核对"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert "已开通" in browser.get(f"/producer/register?reference={reference}&lang=zh").text
