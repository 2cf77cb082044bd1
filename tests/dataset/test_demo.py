"""Demo data: loaded once, synthetic in every record, hidden from public pages unless demo mode is on."""

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.settings import Settings
from gi_registry.demo.service import DEMO_PRODUCERS, load_demo
from gi_registry.http.app import create_app

TABLES = ("producer", "producer_link", "user_account", "renewal")


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t} WHERE synthetic")).scalar_one()
            for t in TABLES
        }


def test_demo_load_is_synthetic_everywhere_and_idempotent(session: Session, engine: Engine) -> None:
    from datetime import date

    load_demo(session, password="demo-password", today=date(2026, 11, 25))
    first = counts(engine)
    assert first == {
        "producer": len(DEMO_PRODUCERS),
        "producer_link": len(DEMO_PRODUCERS),
        "user_account": 2,
        "renewal": 1,
    }
    load_demo(session, password="demo-password", today=date(2026, 11, 25))
    assert counts(engine) == first
    with engine.connect() as connection:
        real = connection.execute(text("SELECT count(*) FROM producer WHERE NOT synthetic")).scalar_one()
    assert real == 20  # the real dataset is untouched


def test_demo_records_show_only_in_demo_mode(session: Session, engine: Engine, settings: Settings) -> None:
    from datetime import date

    load_demo(session, password="demo-password", today=date(2026, 11, 25))
    public = TestClient(create_app(settings, engine))
    assert public.get("/api/v1/producers", params={"limit": 500}).json()["count"] == 20
    assert public.get("/ogc/collections/producers/items", params={"limit": 100}).json()["numberMatched"] == 20
    demo = TestClient(create_app(settings.model_copy(update={"demo_mode": True}), engine))
    body = demo.get("/api/v1/producers", params={"limit": 500}).json()
    assert body["count"] == 20 + len(DEMO_PRODUCERS)
    assert all("演示数据" in p["name_zh"] for p in body["data"] if p["key"].startswith("demo-"))
    token = demo.post("/api/v1/auth/token", data={"username": "demo-official", "password": "demo-password"})
    assert token.status_code == 200
    queue = demo.get("/api/v1/renewals", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert len(queue.json()["data"]) == 1


def test_exports_never_include_demo_records(session: Session, client: TestClient) -> None:
    from datetime import date

    load_demo(session, password="demo-password", today=date(2026, 11, 25))
    for table in ("producers", "authorizations"):
        body = client.get(f"/api/v1/exports/{table}", params={"f": "csv"}).content.decode("utf-8-sig")
        assert "演示数据" not in body, table


def test_a_demo_producer_is_not_found_by_id_outside_demo_mode(
    session: Session, engine: Engine, settings: Settings
) -> None:
    from datetime import date

    load_demo(session, password="demo-password", today=date(2026, 11, 25))
    demo_id = session.exec(text("SELECT id FROM producer WHERE key = 'demo-1'")).scalar_one()
    public = TestClient(create_app(settings, engine))
    assert public.get(f"/api/v1/producers/{demo_id}").status_code == 404
    assert public.get(f"/producers/{demo_id}").status_code == 404
    demo = TestClient(create_app(settings.model_copy(update={"demo_mode": True}), engine))
    assert demo.get(f"/api/v1/producers/{demo_id}").status_code == 200
