"""Counts agree (issue 15, item 5), public and producer side: a figure on a page is the API's figure of the
same name, with demo records under one rule (shown in demo mode, on pages and in the API alike)."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.audits import service as audits_service
from gi_registry.audits.models import AuditCreate, AuditResult
from gi_registry.auth.models import User
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from gi_registry.http.app import create_app
from tests.workflow import PASSWORD, bearer


def _with_demo(engine: Engine) -> None:
    today = date.today()
    with Session(engine) as session:
        load_demo(session, password=PASSWORD, today=today)
        official = session.exec(select(User).where(User.username == "demo-official")).one()
        producer = session.exec(select(User).where(User.username == "demo-producer")).one()
        audit = AuditCreate(
            producer_id=producer.producer_id,
            indication_id=1,
            audit_date=today - timedelta(days=1),
            officials=["演示检查员"],
            result=AuditResult.minor_nonconformity,
            rectify_by=today + timedelta(days=10),
        )
        audits_service.record_audit(session, audit_in=audit, user=official, today=today)


def _producers_listed(html: str) -> int:
    section = html.split("<h2>生产者</h2>", 1)[1].split("<h2>", 1)[0]
    return len(re.findall(r'<a href="/producers/\d+', section))


@pytest.mark.parametrize("demo_mode", [True, False])
def test_public_figures_are_the_apis(settings: Settings, engine: Engine, demo_mode: bool) -> None:
    _with_demo(engine)
    with TestClient(create_app(settings.model_copy(update={"demo_mode": demo_mode}), engine)) as client:
        home = client.get("/?lang=zh").text
        shown = int(re.search(r"\((\d+) 个结果\)", home).group(1))
        assert shown == client.get("/api/v1/indications", params={"limit": 1}).json()["count"] > 0
        demo_seen = 0
        for gi in client.get("/api/v1/indications", params={"limit": 100}).json()["data"]:
            api = client.get("/api/v1/producers", params={"indication": gi["slug"], "limit": 1}).json()
            page = client.get(f"/indications/{gi['slug']}?lang=zh").text
            assert _producers_listed(page) == api["count"], gi["slug"]
            demo_seen += page.count("演示数据 demo")
        assert (demo_seen > 0) == demo_mode  # one rule for demo records on pages and in the API


def test_the_producers_figures_are_the_apis(settings: Settings, engine: Engine) -> None:
    _with_demo(engine)
    with TestClient(create_app(settings, engine)) as client:
        api = bearer(client, "demo-producer", PASSWORD)
        site = TestClient(client.app)
        form = site.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        site.post("/login", data={"username": "demo-producer", "password": PASSWORD, "csrf": csrf})
        home = site.get("/producer?lang=zh").text

        applications = client.get("/api/v1/renewals", headers=api).json()["data"]
        assert len(re.findall(r'<a href="/producer/applications/\d+', home)) == len(applications) == 1

        deadlines = client.get("/api/v1/deadlines", params={"within_days": 365}, headers=api).json()["data"]
        listed = home.split('<ul id="deadlines">', 1)[1].split("</ul>", 1)[0]
        assert listed.count("<li") == len(deadlines) > 0

        open_audits = client.get("/api/v1/audits", params={"open": "true"}, headers=api).json()["data"]
        assert f"({len(open_audits)} 未结案)" in home and len(open_audits) == 1
        audits_page = site.get("/producer/audits?lang=zh").text
        assert audits_page.count('<section class="protection" id="audit-') == len(
            client.get("/api/v1/audits", headers=api).json()["data"]
        )
