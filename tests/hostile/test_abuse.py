"""R10 mass assignment, R12 token abuse, R13 resource limits: each refused with a 4xx, never a 5xx."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from gi_registry.auth.models import User
from gi_registry.labels.models import Renewal
from gi_registry.ogc.params import MAX_LIMIT
from tests.figures import report
from tests.workflow import PDF, SOURCE, World, build_world


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


# R10 ---------------------------------------------------------------------------------------------------


def test_fields_a_producer_may_not_set_have_no_effect_on_a_submission(
    client: TestClient, session: Session, world: World
) -> None:
    smuggled = {
        "status": "approved",
        "producer_id": str(world.producer_b_id),
        "approved_by": "1",
        "decided_by": "1",
        "submitted_by": "1",
        "decision_reason": "approved by myself",
        "id": "999999",
    }
    response = client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(world.authorization_id), **smuggled},
        files=[("documents", ("application.pdf", PDF, "application/pdf"))],
        headers=world.producer_a,
    )
    assert response.status_code == 201, response.text
    stored = session.get(Renewal, response.json()["id"])
    session.refresh(stored)
    producer_a = session.exec(text("SELECT id FROM user_account WHERE username = 'producer-a'")).scalar_one()
    taken = {
        "status": stored.status.value != "submitted",
        "producer_id": stored.producer_id != world.producer_a_id,
        "decided_by": stored.decided_by is not None,
        "submitted_by": stored.submitted_by != producer_a,
        "decision_reason": stored.decision_reason is not None,
        "id": stored.id == 999999,
    }
    report(f"R10: {len(smuggled)} smuggled fields in a submission, {sum(taken.values())} took effect")
    assert not any(taken.values()), taken


def test_an_official_cannot_set_server_owned_fields_of_an_audit(
    client: TestClient, session: Session, world: World
) -> None:
    body = {
        "producer_id": world.producer_a_id,
        "indication_id": 1,
        "audit_date": "2026-03-01",
        "officials": ["审核员（合成）"],
        "result": "compliant",
        "id": 4242,
        "recorded_by": 999,
        "closed": True,
        "synthetic": False,
        "recorded_at": "2000-01-01T00:00:00Z",
    }
    response = client.post("/api/v1/audits", json=body, headers=world.official)
    assert response.status_code == 201, response.text
    row = session.exec(
        text("SELECT id, recorded_by, closed, recorded_at FROM audit WHERE id = :id"),
        params={"id": response.json()["id"]},
    ).one()
    assert row.id != 4242 and row.recorded_by != 999 and not row.closed
    assert not str(row.recorded_at).startswith("2000")


# R12 ---------------------------------------------------------------------------------------------------


def _b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the HS512 token, on purpose
@pytest.mark.usefixtures("world")
def test_no_abused_token_is_accepted(client: TestClient, session: Session) -> None:
    secret = client.app.state.settings.secret_key
    official_id = session.exec(text("SELECT id FROM user_account WHERE username = 'official'")).scalar_one()
    now = datetime.now(UTC)
    valid = {"sub": str(official_id), "iat": now, "exp": now + timedelta(minutes=5)}
    good = jwt.encode(valid, secret, algorithm="HS256")
    header, payload, signature = good.split(".")
    tokens = {
        "expired": jwt.encode({**valid, "exp": now - timedelta(seconds=1)}, secret, algorithm="HS256"),
        "wrong signature": jwt.encode(valid, "another secret of thirty-two chars!!", algorithm="HS256"),
        "tampered payload": f"{header}.{_b64({'sub': '1', 'exp': 4102444800})}.{signature}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg none, no dot": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}",
        "HS/RS confusion": f"{_b64({'alg': 'RS256', 'typ': 'JWT'})}.{payload}.{signature}",
        "HS512": jwt.encode(valid, secret, algorithm="HS512"),
        "missing sub": jwt.encode({"exp": valid["exp"]}, secret, algorithm="HS256"),
        "missing exp": jwt.encode({"sub": valid["sub"]}, secret, algorithm="HS256"),
        "sub not a user id": jwt.encode({**valid, "sub": "official"}, secret, algorithm="HS256"),
        "sub as a number": jwt.encode({**valid, "sub": official_id}, secret, algorithm="HS256"),
        "sub of no user": jwt.encode({**valid, "sub": "987654"}, secret, algorithm="HS256"),
        "empty": "",
        "garbage": "not-a-token",
        "non-ASCII": "токен",
        "huge": "a" * 8000,
    }
    user = session.get(User, official_id)
    deactivated_token = good
    user.is_active = False
    session.add(user)
    session.commit()
    tokens["deactivated user"] = deactivated_token
    statuses = {}
    for name, token in tokens.items():
        try:
            response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
            statuses[name] = response.status_code
        except UnicodeEncodeError:
            statuses[name] = 401  # the HTTP client itself cannot send it: nothing reaches the app
    accepted = [name for name, status in statuses.items() if status != 401]
    report(f"R12: {len(tokens)} abused tokens, {len(accepted)} accepted")
    assert accepted == [], statuses


def test_a_valid_token_is_accepted(client: TestClient, world: World) -> None:
    # The control for the test above: the same request with a real token works.
    assert client.get("/api/v1/auth/me", headers=world.official).json()["username"] == "official"


# R13 ---------------------------------------------------------------------------------------------------

LIMIT_CASES = [
    ("GET", "/api/v1/indications?limit=100000", 422),
    ("GET", "/api/v1/indications?limit=0", 422),
    ("GET", "/api/v1/indications?limit=-1", 422),
    ("GET", "/api/v1/indications?offset=-1", 422),
    ("GET", "/api/v1/indications?offset=99999999999999999999999999", 422),
    ("GET", "/api/v1/producers?offset=9223372036854775807", 422),
    ("GET", "/ogc/collections/indications/items?offset=-5", 400),
    ("GET", "/ogc/collections/indications/items?offset=99999999999999999999999", 400),
    ("GET", "/ogc/collections/indications/items?bbox=200,0,210,10", 400),
    ("GET", "/ogc/collections/indications/items?bbox=113,30,112,29", 400),
    ("GET", "/ogc/collections/indications/items?bbox=1,2,3", 400),
    ("GET", "/ogc/collections/indications/items?bbox=nan,0,1,1", 400),
    ("GET", "/ogc/collections/indications/items?bbox=" + ",".join(["1"] * 1000), 400),
]


def test_resource_limits_are_refused_with_the_documented_status(client: TestClient) -> None:
    wrong = []
    for method, url, expected in LIMIT_CASES:
        status = client.request(method, url).status_code
        if status != expected:
            wrong.append((url[:90], status, expected))
    assert wrong == []
    # OGC API - Features clamps a limit above the maximum instead of refusing it (its spec allows that).
    clamped = client.get("/ogc/collections/indications/items", params={"limit": 10**6})
    assert clamped.status_code == 200 and len(clamped.json()["features"]) <= MAX_LIMIT


def test_many_form_fields_and_huge_bodies_get_4xx(client: TestClient, world: World) -> None:
    statuses = {}
    fields = {f"field{i}": "x" for i in range(1001)}
    statuses["1,001 url-encoded fields"] = client.post(
        "/api/v1/reports", data={"location": "岳阳", "description": "假冒标志（合成）", **fields}
    ).status_code
    statuses["1,001 multipart files"] = client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(world.authorization_id)},
        files=[("documents", (f"{i}.pdf", PDF, "application/pdf")) for i in range(1001)],
        headers=world.producer_a,
    ).status_code
    huge_json = json.dumps({"name_zh": "x" * (10 * 1024 * 1024), "reason": "r", "sources": SOURCE})
    statuses["10 MB JSON"] = client.post(
        "/api/v1/producers",
        content=huge_json,
        headers={**world.official, "Content-Type": "application/json"},
    ).status_code
    deep_json = "[" * 100_000 + "]" * 100_000
    statuses["100,000-deep JSON"] = client.post(
        "/api/v1/producers", content=deep_json, headers={**world.official, "Content-Type": "application/json"}
    ).status_code
    assert all(400 <= s < 500 for s in statuses.values()), statuses
    assert statuses["1,001 url-encoded fields"] in (400, 413, 422)


@pytest.mark.usefixtures("world")
def test_a_hundred_failed_sign_ins_end_in_429_not_errors(client: TestClient) -> None:
    statuses = [
        client.post("/api/v1/auth/token", data={"username": "official", "password": f"guess {i}"}).status_code
        for i in range(100)
    ]
    limit = client.app.state.settings.login_failures_per_15_minutes
    assert statuses[:limit] == [401] * limit and set(statuses[limit:]) == {429}
    report(f"R13: {len(LIMIT_CASES)} limit cases + 4 huge bodies + 100 failed sign-ins, 0 5xx")
