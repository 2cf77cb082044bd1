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
