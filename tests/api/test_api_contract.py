"""Regression tests for the bugs schemathesis (R7) found: each one is the smallest request that showed it."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.workflow import SOURCE, build_world


def test_a_second_standard_with_an_empty_number_is_a_conflict_not_a_crash(
    client: TestClient, session: Session
) -> None:
    world = build_world(client, session)
    body = {"number": "", "title_zh": "无编号标准（合成）", "kind": "national", "reason": "test"}
    body["sources"] = SOURCE
    assert client.post("/api/v1/standards", json=body, headers=world.official).status_code == 201
    again = client.post("/api/v1/standards", json=body, headers=world.official)
    assert again.status_code == 409 and "already" in again.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/indications/1", {"GET", "PATCH"}),
        ("/api/v1/standards/1", {"GET", "PATCH"}),
        ("/api/v1/producers", {"GET", "POST"}),
        ("/api/v1/renewals", {"GET", "POST"}),
    ],
)
def test_a_wrong_method_lists_every_method_the_address_answers(
    client: TestClient, path: str, methods: set[str]
) -> None:
    response = client.request("PUT", path)
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["allow"].split(",")} == methods
    assert "PUT" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "path", ["/api/v1/changes.json", "/api/v1/changes.atom", "/api/v1/indications", "/api/v1/producers"]
)
def test_a_bare_number_is_not_taken_for_a_time(client: TestClient, path: str) -> None:
    name = "since" if "changes" in path else "modified_since"
    response = client.get(path, params={name: "0.5"})
    assert response.status_code == 422 and "ISO 8601" in response.json()["detail"][0]["msg"]
    assert client.get(path, params={name: "2000-01-01T00:00:00Z"}).status_code == 200


def test_the_history_endpoint_declares_its_entity_names(client: TestClient) -> None:
    parameters = client.get("/openapi.json").json()["paths"]["/api/v1/history"]["get"]["parameters"]
    entity = next(p for p in parameters if p["name"] == "entity")
    assert {"indication", "authorization", "renewal"} <= set(entity["schema"]["enum"])


def test_undocumented_statuses_are_now_declared(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "404" in paths["/ogc/collections/{collection_id}"]["get"]["responses"]
    assert "429" in paths["/api/v1/auth/token"]["post"]["responses"]
    assert "400" in paths["/api/v1/standards"]["post"]["responses"]  # a body that is not JSON
    assert client.get("/ogc/collections/nothing").status_code == 404


def test_numbers_are_not_taken_for_dates_or_yes_no(client: TestClient, session: Session) -> None:
    world = build_world(client, session)
    audit = {
        "producer_id": world.producer_a_id,
        "indication_id": 1,
        "audit_date": 0,
        "officials": ["李（合成）"],
        "result": "compliant",
    }
    response = client.post("/api/v1/audits", json=audit, headers=world.official)
    assert response.status_code == 422 and "ISO 8601" in response.json()["detail"][0]["msg"]
    audit["audit_date"] = "2026-03-01"
    audit_id = client.post("/api/v1/audits", json=audit, headers=world.official).json()["id"]
    follow_up = {"follow_up": "checked again", "closed": 0}
    url = f"/api/v1/audits/{audit_id}/follow-up"
    assert client.post(url, json=follow_up, headers=world.official).status_code == 422
    follow_up["closed"] = True
    assert client.post(url, json=follow_up, headers=world.official).status_code == 200
    sheet = {"file": ("p.csv", b"name_zh\n", "text/csv")}
    for dry_run in ("0", "no"):
        form = {"kind": "producers", "dry_run": dry_run}
        response = client.post("/api/v1/imports", data=form, files=sheet, headers=world.official)
        assert response.status_code == 422 and "true or false" in response.json()["detail"][0]["msg"]
