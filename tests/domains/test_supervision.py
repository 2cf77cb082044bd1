"""The officials' desk and the annual GI supervision report, generated from the registry."""

import io
from datetime import date, timedelta

import openpyxl
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.test_web_producer import sign_in
from tests.workflow import World, build_world, submit


def prepare(client: TestClient, session: Session) -> World:
    world = build_world(client, session)
    renewal_id = submit(client, world.producer_a, world.authorization_id).json()["id"]
    url = f"/api/v1/renewals/{renewal_id}/decision"
    client.post(url, json={"decision": "review", "reason": "complete"}, headers=world.official)
    client.post(url, json={"decision": "approve", "reason": "checked on site"}, headers=world.official)
    client.post(
        "/api/v1/audits",
        json={
            "producer_id": world.producer_a_id,
            "indication_id": 1,
            "audit_date": (date.today() - timedelta(days=1)).isoformat(),
            "officials": ["张三"],
            "result": "compliant",
        },
        headers=world.official,
    )
    return world


def test_annual_report_counts_users_switch_audits_and_changes(client: TestClient, session: Session) -> None:
    world = prepare(client, session)
    year = date.today().year
    response = client.get(f"/api/v1/supervision-report/{year}.xlsx", headers=world.official)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    tea = rows["yueyang-huangcha"]
    assert tea[1] == "岳阳黄茶"
    assert tea[2:5] == (1, 1, "100%")  # one authorized user, switched to the unified mark
    assert tea[6:10] == (1, 1, 0, 0)  # one audit, compliant
    assert "T/YYSCX 001-2022" in tea[10]
    assert tea[11] >= 3  # creation and the switch of the authorization, at least
    assert len(rows) == 21
    assert client.get(f"/api/v1/supervision-report/{year}.xlsx", headers=world.producer_a).status_code == 403
    assert client.get("/api/v1/supervision-report/1999.xlsx", headers=world.official).status_code == 422


def test_desk_shows_progress_deadlines_queue_and_downloads(client: TestClient, session: Session) -> None:
    prepare(client, session)
    site = TestClient(client.app)
    sign_in(site, "official")
    desk = site.get("/officials").text
    assert 'id="switch-by-gi"' in desk and "岳阳黄茶" in desk and "100%" in desk
    assert 'id="switch-by-county"' in desk and "平江县" in desk
    assert site.get("/officials/deadlines.csv").content.startswith(b"\xef\xbb\xbfdue,overdue,kind")
    queue = site.get("/officials/queue.csv").content.decode("utf-8-sig").splitlines()
    assert queue[0].startswith("id,status") and ",approved," in queue[1]
    report = site.get(f"/officials/supervision-report-{date.today().year}.xlsx")
    assert report.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_annual_report_carries_coverage_as_of_each_totals_date(client: TestClient, session: Session) -> None:
    world = build_world(client, session)
    response = client.get(f"/api/v1/supervision-report/{date.today().year}.xlsx", headers=world.official)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["coverage"]
    rows: dict[str, tuple] = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if not any(row):
            break  # the figures end at the blank row; the protections not counted follow
        rows[row[0]] = row
    api = {k["kind"]: k["as_of"] for k in client.get("/api/v1/coverage").json()["kinds"] if k["as_of"]}
    for kind, as_of in api.items():
        assert rows[kind][1:8] == (
            as_of["as_of"],
            as_of["reported"],
            as_of["well_supported"],
            as_of["weak"],
            as_of["not_identified"],
            len(as_of["unknown_date"]),
            len(as_of["later"]),
        )
    assert api["gi_protected_product"]["not_identified"] > 0
