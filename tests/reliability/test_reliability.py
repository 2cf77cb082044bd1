"""Reliability: append-only history (R14), one winner between racing officials (R6), durable commits."""

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from tests.workflow import build_world, submit


def test_the_change_log_refuses_updates_deletes_and_truncation(engine: Engine) -> None:
    statements = ["UPDATE change_log SET reason = 'rewritten'", "DELETE FROM change_log"]
    if engine.dialect.name == "postgresql":
        statements.append("TRUNCATE change_log")  # SQLite has no TRUNCATE; DELETE covers it there
    with engine.connect() as connection:
        before = connection.execute(text("SELECT count(*) FROM change_log")).scalar_one()
        for statement in statements:
            with pytest.raises(DatabaseError, match="append-only"):
                connection.execute(text(statement))
            connection.rollback()
        assert connection.execute(text("SELECT count(*) FROM change_log")).scalar_one() == before


def test_commits_are_durable_on_both_backends(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        else:
            assert connection.execute(text("SHOW synchronous_commit")).scalar_one() == "on"


def test_two_officials_deciding_at_once_exactly_one_wins(client: TestClient, session: Session) -> None:
    world = build_world(client, session)
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    client.post(url, json={"decision": "review", "reason": "complete"}, headers=world.official)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def decide(decision: str) -> None:
        barrier.wait()
        statuses.append(
            client.post(
                url, json={"decision": decision, "reason": "race"}, headers=world.official
            ).status_code
        )

    threads = [threading.Thread(target=decide, args=(d,)) for d in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409]
    final = client.get(f"/api/v1/renewals/{renewal_id}", headers=world.official).json()["status"]
    history = client.get(
        "/api/v1/history", params={"entity": "renewal", "id": renewal_id}, headers=world.official
    )
    decisions = [
        r for r in history.json()["data"] if r["field"] == "status" and r["old_value"] == "under_review"
    ]
    assert len(decisions) == 1 and decisions[0]["new_value"] == final


def test_security_headers_on_pages_maps_and_api(client: TestClient) -> None:
    for path in ("/", "/maps/overview.html", "/api/v1/indications", "/ogc"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert "default-src 'self'" in headers["content-security-policy"]
    assert "content-security-policy" not in client.get("/docs").headers  # Swagger UI comes from a CDN


def test_oversized_requests_are_refused_before_they_are_read(client: TestClient) -> None:
    client.app.state.settings = client.app.state.settings.model_copy(update={"max_request_mb": 0.01})
    from gi_registry.http.app import create_app

    small = TestClient(create_app(client.app.state.settings, client.app.state.engine))
    response = small.post("/api/v1/reports", data={"location": "x" * 20_000, "description": "y" * 10})
    assert response.status_code == 413 and "larger than" in response.json()["detail"][0]["msg"]


def test_repeated_failed_sign_ins_are_throttled(client: TestClient, session: Session) -> None:
    build_world(client, session)
    statuses = [
        client.post(
            "/api/v1/auth/token", data={"username": "official", "password": "wrong password!"}
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429
    # Even the right password waits until the window has passed: guessing cannot continue.
    right = client.post(
        "/api/v1/auth/token", data={"username": "official", "password": "correct horse battery"}
    )
    assert right.status_code == 429


def test_cors_is_off_by_default_and_read_only_when_configured(client: TestClient) -> None:
    from gi_registry.http.app import create_app

    assert (
        "access-control-allow-origin"
        not in client.get("/ogc", headers={"Origin": "https://gis.example"}).headers
    )
    settings = client.app.state.settings.model_copy(update={"cors_origins": ["https://gis.example"]})
    open_client = TestClient(create_app(settings, client.app.state.engine))
    response = open_client.get("/ogc", headers={"Origin": "https://gis.example"})
    assert response.headers["access-control-allow-origin"] == "https://gis.example"
    preflight = open_client.options(
        "/api/v1/producers",
        headers={"Origin": "https://gis.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400  # writes are not offered cross-origin


def test_backup_and_restore_drill(settings, tmp_path) -> None:  # noqa: ANN001
    """R15: back up a serving database, change it, restore: the row counts are the snapshot's again."""
    from typer.testing import CliRunner

    from gi_registry.cli.app import app
    from gi_registry.core.db import make_engine
    from gi_registry.core.settings import get_settings

    def counts() -> dict[str, int]:
        engine = make_engine(settings)
        with engine.connect() as connection:
            found = {
                t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("indication", "protection", "citation", "change_log", "producer")
            }
        engine.dispose()
        return found

    runner = CliRunner()
    environment = {"GI_DATABASE_URL": settings.database_url}
    get_settings.cache_clear()
    snapshot = counts()
    target = tmp_path / "backup.dump"
    assert runner.invoke(app, ["backup", str(target)], env=environment).exit_code == 0
    engine = make_engine(settings)
    with Session(engine) as session:
        from gi_registry.auth import service as auth_service
        from gi_registry.auth.models import Role

        auth_service.create_user(
            session,
            username="after-backup",
            password="a long password",
            role=Role.official,
            producer_id=None,
            actor="test",
        )
    engine.dispose()
    assert counts()["change_log"] == snapshot["change_log"] + 1
    restored = runner.invoke(app, ["restore", str(target)], env=environment)
    assert restored.exit_code == 0, restored.output
    assert counts() == snapshot
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not a backup")
    assert runner.invoke(app, ["restore", str(broken)], env=environment).exit_code == 1
    assert counts() == snapshot
    get_settings.cache_clear()


def test_chunked_bodies_over_the_limit_are_refused(client: TestClient) -> None:
    from gi_registry.http.app import create_app

    settings = client.app.state.settings.model_copy(update={"max_request_mb": 0.01})
    small = TestClient(create_app(settings, client.app.state.engine))

    def chunks():  # no Content-Length: the body is streamed
        for _ in range(20):
            yield b"x" * 1024

    response = small.post(
        "/api/v1/auth/token", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def test_non_ascii_tokens_are_refused_not_crashing(client: TestClient) -> None:
    assert client.get("/api/v1/calendar/1-%C3%A9.ics").status_code == 404
    assert client.get("/api/v1/calendar/%D9%A1-abc.ics").status_code == 404
    client.get("/login")
    assert client.post("/login", data={"username": "x", "password": "y", "csrf": "é"}).status_code == 403
