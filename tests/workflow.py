"""Helpers for tests that act as officials and producers over HTTP (all data synthetic)."""

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests.factories import make_uscc

PASSWORD = "correct horse battery"
SOURCE = [{"document": "test fixture (synthetic)", "confidence": "L", "fields": ["name_zh"]}]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Authorization header for a signed-in account."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def create_producer(client: TestClient, official: dict, name: str, org_body: str) -> dict:
    """An official adds a synthetic producer in 平江县."""
    body = {
        "name_zh": name,
        "uscc": make_uscc(division="430626", org_body=org_body),
        "county_code": "430626",
        "reason": "test",
        "sources": SOURCE,
    }
    response = client.post("/api/v1/producers", json=body, headers=official)
    assert response.status_code == 201, response.text
    return response.json()


@dataclass
class World:
    """Two producers, a legacy authorization of the first, and an account for each role."""

    official: dict[str, str]
    producer_a: dict[str, str]
    producer_b: dict[str, str]
    producer_a_id: int
    producer_b_id: int
    authorization_id: int


def build_world(client: TestClient, session: Session) -> World:
    """The start of the issue's scenario: accounts, two producers, one legacy authorization."""
    auth_service.create_user(
        session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    official = bearer(client, "official")
    a = create_producer(client, official, "甲合作社（合成）", "TEMP0001")
    b = create_producer(client, official, "乙合作社（合成）", "TEMP0002")
    for username, producer in (("producer-a", a), ("producer-b", b)):
        auth_service.create_user(
            session,
            username=username,
            password=PASSWORD,
            role=Role.producer,
            producer_id=producer["id"],
            actor="test",
        )
    response = client.post(
        "/api/v1/authorizations",
        json={
            "producer_id": a["id"],
            "indication_id": 1,
            "label_version": "legacy",
            "authorized": "2019-05-10",
            "reason": "recorded from the provincial approval (synthetic)",
            "sources": SOURCE,
        },
        headers=official,
    )
    assert response.status_code == 201, response.text
    return World(
        official=official,
        producer_a=bearer(client, "producer-a"),
        producer_b=bearer(client, "producer-b"),
        producer_a_id=a["id"],
        producer_b_id=b["id"],
        authorization_id=response.json()["id"],
    )


def submit(client: TestClient, headers: dict, authorization_id: int, files=None, extra_headers=None):  # noqa: ANN001, ANN201
    """POST /api/v1/renewals with documents."""
    files = files if files is not None else [("documents", ("application.pdf", PDF, "application/pdf"))]
    return client.post(
        "/api/v1/renewals",
        data={"authorization_id": str(authorization_id)},
        files=files,
        headers={**headers, **(extra_headers or {})},
    )
