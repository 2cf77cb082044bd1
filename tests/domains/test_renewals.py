"""Accounts, authorizations and the renewal / label-switch workflow over HTTP."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.settings import Settings
from gi_registry.history import service as history_service
from tests.workflow import PDF, PNG, SOURCE, World, build_world, submit


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def stored_files(settings: Settings) -> list[Path]:
    return [p for p in settings.upload_dir.rglob("*") if p.is_file()] if settings.upload_dir.exists() else []


def test_the_issue_scenario_end_to_end(client: TestClient, world: World) -> None:
    before = client.get(f"/api/v1/authorizations/{world.authorization_id}").json()
    assert before["label_version"] == "legacy"
    assert before["effective_status"] == "switch_required"  # legacy marks ended on 2020-12-31

    submitted = submit(client, world.producer_a, world.authorization_id)
    assert submitted.status_code == 201, submitted.text
    renewal = submitted.json()
    assert renewal["status"] == "submitted"
    assert renewal["clock"]["working_days"] == 10 and renewal["clock"]["overdue"] is False
    assert [d["media_type"] for d in renewal["documents"]] == ["application/pdf"]

    assert client.get(f"/api/v1/renewals/{renewal['id']}", headers=world.producer_b).status_code == 404
    assert submit(client, world.producer_b, world.authorization_id).status_code == 403
    assert submit(client, {}, world.authorization_id).status_code == 401

    png_as_pdf = [("documents", ("scan.pdf", PNG, "application/pdf"))]
    assert submit(client, world.producer_a, world.authorization_id, png_as_pdf).status_code == 422
    path_name = [("documents", ("../../etc/passwd", PDF, "application/pdf"))]
    assert submit(client, world.producer_a, world.authorization_id, path_name).status_code == 422

    own_decision = client.post(
        f"/api/v1/renewals/{renewal['id']}/decision",
        json={"decision": "approve", "reason": "mine"},
        headers=world.producer_a,
    )
    assert own_decision.status_code == 403

    url = f"/api/v1/renewals/{renewal['id']}/decision"
    assert (
        client.post(
            url, json={"decision": "review", "reason": "file complete"}, headers=world.official
        ).json()["status"]
        == "under_review"
    )
    approved = client.post(
        url, json={"decision": "approve", "reason": "on-site check passed"}, headers=world.official
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    after = client.get(f"/api/v1/authorizations/{world.authorization_id}").json()
    assert after["label_version"] == "unified" and after["effective_status"] == "active"

    history = client.get(
        "/api/v1/history", params={"entity": "authorization", "id": world.authorization_id}
    ).json()
    rows = [(r["field"], r["old_value"], r["new_value"], r["reason"]) for r in history["data"]]
    assert rows[0][0] is None  # the creation
    # The authorization's history is public: a neutral reason; the official's own stays on the application.
    assert ("label_version", "legacy", "unified", "renewal / label-switch application approved") in rows
    assert not any(r[3] == "on-site check passed" for r in rows)
    private = client.get(
        "/api/v1/history", params={"entity": "renewal", "id": renewal["id"]}, headers=world.official
    )
    assert any(r["reason"] == "on-site check passed" for r in private.json()["data"])


@pytest.mark.parametrize(
    ("path", "start", "decision", "allowed"),
    [
        ([], "submitted", "review", True),
        ([], "submitted", "return", True),
        ([], "submitted", "approve", False),
        ([], "submitted", "reject", False),
        (["review"], "under_review", "approve", True),
        (["review"], "under_review", "reject", True),
        (["review"], "under_review", "return", True),
        (["review"], "under_review", "review", False),
        (["review", "approve"], "approved", "reject", False),
        (["review", "approve"], "approved", "return", False),
        (["review", "reject"], "rejected", "approve", False),
        (["return"], "returned", "approve", False),
        (["return"], "returned", "review", False),
    ],
)
def test_every_transition_is_allowed_or_refused_with_both_states(
    client: TestClient, world: World, path: list[str], start: str, decision: str, allowed: bool
) -> None:
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    for step in path:
        assert (
            client.post(url, json={"decision": step, "reason": "step"}, headers=world.official).status_code
            == 200
        )
    response = client.post(url, json={"decision": decision, "reason": "test"}, headers=world.official)
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 409
        message = response.json()["detail"][0]["msg"]
        assert start in message
        assert client.get(f"/api/v1/renewals/{renewal_id}", headers=world.official).json()["status"] == start


def test_returned_application_is_resubmitted_with_new_documents(client: TestClient, world: World) -> None:
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    client.post(
        f"/api/v1/renewals/{renewal_id}/decision",
        json={"decision": "return", "reason": "photo missing"},
        headers=world.official,
    )
    again = client.post(
        f"/api/v1/renewals/{renewal_id}/resubmit",
        files=[("documents", ("label.png", PNG, "image/png"))],
        headers=world.producer_a,
    )
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "submitted" and len(again.json()["documents"]) == 2
    other = client.post(
        f"/api/v1/renewals/{renewal_id}/resubmit",
        files=[("documents", ("x.png", PNG, "image/png"))],
        headers=world.producer_b,
    )
    assert other.status_code == 404


def test_idempotency_key_replays_instead_of_duplicating(
    client: TestClient, world: World, engine: Engine
) -> None:
    key = {"Idempotency-Key": "3f1c2a7e-renewal-1"}
    first = submit(client, world.producer_a, world.authorization_id, extra_headers=key)
    second = submit(client, world.producer_a, world.authorization_id, extra_headers=key)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert count(engine, "renewal") == 1


@pytest.mark.parametrize(
    ("files", "status", "fragment"),
    [
        ([("documents", ("scan.pdf", PNG, "application/pdf"))], 422, "content is image/png"),
        ([("documents", ("../../etc/passwd", PDF, "application/pdf"))], 422, "path"),
        ([("documents", ("..\\evil.pdf", PDF, "application/pdf"))], 422, "path"),
        ([("documents", ("empty.pdf", b"", "application/pdf"))], 422, "empty"),
        ([("documents", ("notes.txt", b"hello", "text/plain"))], 422, "not a PDF, JPEG or PNG"),
        ([("documents", ("a.pdf", PDF, "image/png"))], 422, "sent as image/png"),
        (
            [("documents", ("ok.pdf", PDF, "application/pdf")), ("documents", ("bad.pdf", PNG, "image/png"))],
            422,
            "bad.pdf",
        ),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    client: TestClient,
    world: World,
    engine: Engine,
    settings: Settings,
    files: list,
    status: int,
    fragment: str,
) -> None:
    response = submit(client, world.producer_a, world.authorization_id, files)
    assert response.status_code == status
    assert fragment in response.json()["detail"][0]["msg"]
    assert count(engine, "renewal") == 0 and count(engine, "document") == 0
    assert stored_files(settings) == []


def test_oversized_upload_is_413(client: TestClient, world: World, engine: Engine) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"max_upload_mb": 0.001})
    big = PDF + b"0" * 2000
    response = submit(
        client, world.producer_a, world.authorization_id, [("documents", ("big.pdf", big, None))]
    )
    assert response.status_code == 413
    assert count(engine, "renewal") == 0


def test_documents_are_stored_by_hash_and_readable_only_by_owner_and_officials(
    client: TestClient, world: World, settings: Settings
) -> None:
    renewal = submit(client, world.producer_a, world.authorization_id).json()
    document_id = renewal["documents"][0]["id"]
    [path] = stored_files(settings)
    assert path.name == f"{renewal['documents'][0]['sha256']}.pdf"
    url = f"/api/v1/documents/{document_id}"
    assert client.get(url, headers=world.producer_a).content == PDF
    assert client.get(url, headers=world.official).status_code == 200
    assert client.get(url, headers=world.producer_b).status_code == 404
    assert client.get(url).status_code == 404  # the public cannot tell it exists (issue 21)


def test_producers_see_only_their_own_applications(client: TestClient, world: World) -> None:
    submit(client, world.producer_a, world.authorization_id)
    assert len(client.get("/api/v1/renewals", headers=world.producer_a).json()["data"]) == 1
    assert client.get("/api/v1/renewals", headers=world.producer_b).json()["data"] == []
    assert len(client.get("/api/v1/renewals", headers=world.official).json()["data"]) == 1
    assert client.get("/api/v1/renewals").status_code == 401


def test_a_failure_during_approval_leaves_nothing_half_written(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    assert (
        client.post(
            url, json={"decision": "review", "reason": "complete"}, headers=world.official
        ).status_code
        == 200
    )
    original = history_service.ChangeSet.changed

    def fail_on_authorization(self, session, entity_type, *args):  # noqa: ANN001, ANN202
        if entity_type == "producer_link":
            raise RuntimeError("disk full")
        return original(self, session, entity_type, *args)

    monkeypatch.setattr(history_service.ChangeSet, "changed", fail_on_authorization)
    failing = TestClient(client.app, raise_server_exceptions=False)
    assert (
        failing.post(
            url, json={"decision": "approve", "reason": "approve"}, headers=world.official
        ).status_code
        == 500
    )
    monkeypatch.undo()
    assert client.get(url.rsplit("/", 1)[0], headers=world.official).json()["status"] == "under_review"
    assert client.get(f"/api/v1/authorizations/{world.authorization_id}").json()["label_version"] == "legacy"


def test_officials_create_producers_and_authorizations_others_cannot(
    client: TestClient, world: World
) -> None:
    body = {"name_zh": "丙（合成）", "county_code": "430626", "reason": "test", "sources": SOURCE}
    assert client.post("/api/v1/producers", json=body).status_code == 401
    assert client.post("/api/v1/producers", json=body, headers=world.producer_a).status_code == 403
    assert (
        client.post(
            "/api/v1/producers", json={**body, "county_code": "110101"}, headers=world.official
        ).status_code
        == 422
    )
    assert (
        client.post("/api/v1/producers", json={**body, "sources": []}, headers=world.official).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/producers", json={**body, "uscc": "91350100M000100Y44"}, headers=world.official
        ).status_code
        == 422
    )
    duplicate_code = client.get(f"/api/v1/producers/{world.producer_a_id}").json()["uscc"]
    response = client.post("/api/v1/producers", json={**body, "uscc": duplicate_code}, headers=world.official)
    assert response.status_code == 409
    again = client.post(
        "/api/v1/authorizations",
        json={
            "producer_id": world.producer_a_id,
            "indication_id": 1,
            "label_version": "unified",
            "reason": "dup",
            "sources": SOURCE,
        },
        headers=world.official,
    )
    assert again.status_code == 409


def test_tokens_are_checked(client: TestClient, world: World) -> None:  # noqa: ARG001 - accounts needed
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "official", "password": "wrong password"}
        ).status_code
        == 401
    )
    assert (
        client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x" * 12}).status_code
        == 401
    )
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.bad"}
    response = client.get("/api/v1/auth/me", headers=forged)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/v1/auth/me", headers=world.official).json()["role"] == "official"


def test_history_of_applications_is_for_officials(client: TestClient, world: World) -> None:
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    params = {"entity": "renewal", "id": renewal_id}
    assert client.get("/api/v1/history", params=params).status_code == 401
    assert client.get("/api/v1/history", params=params, headers=world.producer_b).status_code == 404
    assert len(client.get("/api/v1/history", params=params, headers=world.official).json()["data"]) == 1
    assert client.get("/api/v1/history", params={"entity": "secret", "id": 1}).status_code == 422


def test_officials_record_standards(client: TestClient, world: World) -> None:
    body = {
        "title_zh": "测试标准（合成）", "kind": "local", "number": "DB43/T 9999-2099", "indication_ids": [1],
        "reason": "test", "sources": SOURCE,
    }  # fmt: skip
    assert client.post("/api/v1/standards", json=body, headers=world.producer_a).status_code == 403
    created = client.post("/api/v1/standards", json=body, headers=world.official)
    assert created.status_code == 201 and created.json()["indications"][0]["slug"] == "yueyang-huangcha"
    assert client.post("/api/v1/standards", json=body, headers=world.official).status_code == 409
    unknown = {**body, "number": "DB43/T 9998-2099", "supersedes_number": "GB/T 0"}
    assert client.post("/api/v1/standards", json=unknown, headers=world.official).status_code == 422
