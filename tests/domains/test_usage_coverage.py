"""Usage coverage of the GI special mark per GI (issue 20, item 4): figures against an independent count.

The expected figures are computed here from the same rows (links, producers, the change log), by the
rules the page states, without calling the service; the scenario's own GI is also checked by hand.
"""

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.core.i18n import Lang
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from gi_registry.history.models import ChangeLog
from gi_registry.http.app import create_app
from gi_registry.indications.models import Indication
from gi_registry.producers.models import Producer, ProducerLink
from tests.language import visible_text
from tests.web.test_web_producer import sign_in
from tests.workflow import PASSWORD, SOURCE, World, bearer, build_world, create_producer

GI = "yueyang-huangcha"  # indication 1, the world's authorization
TEA = "pingjiang-gaoshancha"  # four real public-brand licensees in the dataset, no authorized user
PINGJIANG = "430626"


def authorize(client: TestClient, world: World, producer_id: int, indication_id: int, **extra: object) -> int:
    body = {
        "producer_id": producer_id,
        "indication_id": indication_id,
        "label_version": "unified",
        "reason": "recorded for the test (synthetic)",
        "sources": SOURCE,
        **extra,
    }
    response = client.post("/api/v1/authorizations", json=body, headers=world.official)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def change(client: TestClient, world: World, authorization_id: int, status: str) -> None:
    body = {"status": status, "reason": "decided for the test", "sources": SOURCE}
    response = client.patch(f"/api/v1/authorizations/{authorization_id}", json=body, headers=world.official)
    assert response.status_code == 200, response.text


def scene(client: TestClient, session: Session) -> World:
    """In 平江县, for 岳阳黄茶: a legacy user (must switch, still a user), an active user, one suspended, one
    revoked, one whose validity ended yesterday, one with no status recorded; one user of 平江高山茶."""
    world = build_world(client, session)
    year = date.today().year
    tea_id = session.exec(select(Indication.id).where(Indication.slug == TEA)).one()
    ids = {
        name: create_producer(client, world.official, f"{name}合作社（合成）", f"TEMP00{n}")["id"]
        for n, name in enumerate(("丙", "丁", "戊", "己", "庚"), start=10)
    }
    authorize(client, world, ids["丙"], 1, authorized=f"{year}-01-15")
    change(client, world, authorize(client, world, ids["丁"], 1, authorized=f"{year}-02"), "suspended")
    change(client, world, authorize(client, world, ids["戊"], 1), "revoked")
    authorize(client, world, ids["己"], 1, valid_until=(date.today() - timedelta(days=1)).isoformat())
    unknown = session.get(ProducerLink, authorize(client, world, ids["庚"], 1))
    unknown.status = None  # as a spreadsheet import may leave it: the status is not known
    session.add(unknown)
    session.commit()
    authorize(client, world, world.producer_b_id, tea_id, authorized=str(year))
    return world


def expected_usage(session: Session, today: date, *, include_synthetic: bool) -> dict[str, dict]:
    """Per GI slug, computed from the rows by the page's definitions."""
    producers = {p.id: p for p in session.exec(select(Producer))}
    figures: dict[str, dict] = {}
    gis = {gi.id: gi for gi in session.exec(select(Indication)) if include_synthetic or not gi.synthetic}
    for gi in gis.values():
        figures[gi.slug] = {"known": set(), "users": set(), "unknown": 0}
    for link in session.exec(select(ProducerLink)):
        demo = link.synthetic or producers[link.producer_id].synthetic
        if link.indication_id not in gis or (demo and not include_synthetic):
            continue
        if link.role.value not in ("authorized_user", "public_brand_licensee"):
            continue  # holders and applicants are registrant bodies
        line = figures[gis[link.indication_id].slug]
        line["known"].add(link.producer_id)
        if link.role.value != "authorized_user":
            continue
        status = link.status.value if link.status else None
        if status is None and link.label_version.value == "legacy":
            status = "switch_required"  # a legacy label without a status after 2020 must be switched
        if status is None:
            line["unknown"] += 1
        elif status in ("active", "switch_required") and (
            link.valid_until is None or link.valid_until >= today
        ):
            line["users"].add(link.producer_id)
    result = {}
    for slug, line in figures.items():
        known, users = len(line["known"]), len(line["users"])
        half, most = -(-known // 2), -(-known * 4 // 5)  # ceilings: at least half, at least 80 %
        result[slug] = {
            "known_producers": known,
            "users": users,
            "status_unknown": line["unknown"],
            "share": users / known if known else None,
            "more_users_for_min_users": max(0, 5 - users),
            "more_users_for_min_share": max(0, half - users) if known else None,
            "more_users_for_build_up": max(0, most - users) if known else None,
            "meets_registry_thresholds": (users >= 5 and 2 * users >= known) if known else None,
        }
    return result


def test_coverage_and_distances_equal_an_independent_count(client: TestClient, session: Session) -> None:
    world = scene(client, session)
    today = date.today()
    response = client.get("/api/v1/usage-coverage", headers=world.official)
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == today.isoformat()
    assert body["thresholds"]["min_users"] == 5 and body["thresholds"]["build_up_share"] == 0.8
    got = {gi["slug"]: {k: gi[k] for k in expected_usage(session, today, include_synthetic=False)[GI]}
           for gi in body["indications"]}  # fmt: skip
    assert got == expected_usage(session, today, include_synthetic=False)
    # By hand: six producers on record for 岳阳黄茶, two of them users (the legacy one must switch).
    assert got[GI] == {
        "known_producers": 6, "users": 2, "status_unknown": 1, "share": 2 / 6,
        "more_users_for_min_users": 3, "more_users_for_min_share": 1, "more_users_for_build_up": 3,
        "meets_registry_thresholds": False,
    }  # fmt: skip
    assert got[TEA]["known_producers"] == 5 and got[TEA]["users"] == 1  # four licensees and one user
    assert got["huarong-jiecai"]["known_producers"] == 0  # a holder only: no producers on record
    assert (
        got["huarong-jiecai"]["share"] is None and got["huarong-jiecai"]["more_users_for_min_share"] is None
    )
    assert len(got) == 21


def test_the_api_is_for_officials(client: TestClient, session: Session) -> None:
    world = build_world(client, session)
    assert client.get("/api/v1/usage-coverage").status_code == 401
    assert client.get("/api/v1/usage-coverage", headers=world.producer_a).status_code == 403
    year = date.today().year
    report = f"/api/v1/usage-coverage/counties/{PINGJIANG}/{year}.xlsx"
    assert client.get(report).status_code == 401
    assert client.get(report, headers=world.producer_a).status_code == 403
    assert client.get(report, headers=world.official).status_code == 200
    assert (
        client.get(f"/api/v1/usage-coverage/counties/999999/{year}.xlsx", headers=world.official).status_code
        == 404
    )
    future = f"/api/v1/usage-coverage/counties/{PINGJIANG}/{year + 1}.xlsx"
    assert client.get(future, headers=world.official).status_code == 422
    schema = client.get("/openapi.json").json()
    assert "UsageCoverage" in schema["components"]["schemas"] and "GIUsage" in schema["components"]["schemas"]


def test_demo_users_count_only_in_demo_mode(
    client: TestClient, session: Session, engine: Engine, settings: Settings
) -> None:
    world = build_world(client, session)
    load_demo(session, password=PASSWORD, today=date.today())
    today = date.today()
    plain = client.get("/api/v1/usage-coverage", headers=world.official).json()
    assert {gi["slug"]: gi["users"] for gi in plain["indications"]}[GI] == 1
    demo = TestClient(create_app(settings.model_copy(update={"demo_mode": True}), engine))
    answer = demo.get("/api/v1/usage-coverage", headers=bearer(demo, "official")).json()  # the app's own key
    shown = {gi["slug"]: gi for gi in answer["indications"]}
    expected = expected_usage(session, today, include_synthetic=True)
    assert shown[GI]["users"] == expected[GI]["users"] == 3  # the two demo tea producers and the world's
    assert {slug: gi["known_producers"] for slug, gi in shown.items()} == {
        slug: line["known_producers"] for slug, line in expected.items()
    }


def _rows_after(sheet: openpyxl.worksheet.worksheet.Worksheet, first: str) -> dict[str, tuple]:
    rows = list(sheet.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == first)
    return {row[0]: row for row in rows[start + 1 :] if row[0]}


def test_annual_report_has_the_usage_sheet(client: TestClient, session: Session) -> None:
    world = scene(client, session)
    response = client.get(f"/api/v1/supervision-report/{date.today().year}.xlsx", headers=world.official)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["usage"]
    rows = _rows_after(sheet, "GI (slug)")
    expected = expected_usage(session, date.today(), include_synthetic=False)
    assert set(rows) == set(expected)
    for slug, line in expected.items():
        share = "—" if line["share"] is None else f"{line['share']:.0%}"
        unknown = tuple(
            "—" if line[key] is None else line[key]
            for key in ("more_users_for_min_share", "more_users_for_build_up")
        )
        assert rows[slug][2:9] == (
            line["known_producers"], line["users"], share, line["status_unknown"],
            line["more_users_for_min_users"], *unknown,
        ), slug  # fmt: skip
    assert rows[GI][4] == "33%" and rows[GI][9] == "否 no"
    assert rows["huarong-jiecai"][4] == "—" and rows["huarong-jiecai"][9] == "—"
    assert "producers on record" in sheet.cell(row=3, column=1).value


def test_county_report_counts_the_counties_producers_and_the_years_changes(
    client: TestClient, session: Session
) -> None:
    world = scene(client, session)
    year = date.today().year
    response = client.get(f"/api/v1/usage-coverage/counties/{PINGJIANG}/{year}.xlsx", headers=world.official)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = _rows_after(sheet, "GI (slug)")
    # Independently: this county's producers, their links, and the status changes logged this year.
    local = {p.id for p in session.exec(select(Producer).where(Producer.county_code == PINGJIANG))}
    links = [
        link
        for link in session.exec(select(ProducerLink))
        if link.producer_id in local and link.role.value in ("authorized_user", "public_brand_licensee")
    ]
    start = datetime(year, 1, 1, tzinfo=UTC)
    logged = [
        (c.entity_id, c.new_value)
        for c in session.exec(
            select(ChangeLog).where(ChangeLog.entity_type == "producer_link", ChangeLog.field == "status")
        )
        if (c.at if c.at.tzinfo else c.at.replace(tzinfo=UTC)) >= start
    ]
    for slug in (GI, TEA):
        gi_id = session.exec(select(Indication.id).where(Indication.slug == slug)).one()
        own = [link for link in links if link.indication_id == gi_id]
        granted = [link for link in own if link.role.value == "authorized_user"]
        ids = {str(link.id) for link in granted}
        assert rows[slug][2] == len({link.producer_id for link in own})
        assert rows[slug][5:9] == (
            sum((link.authorized or "").startswith(str(year)) for link in granted),
            sum(link.authorized is None for link in granted),
            len({i for i, new in logged if i in ids and new == "suspended"}),
            len({i for i, new in logged if i in ids and new == "revoked"}),
        )
    assert rows[GI][2:9] == (
        6,
        2,
        1,
        2,
        3,
        1,
        1,
    )  # by hand: 丙 and 丁 authorized this year, 丁 suspended, 戊 revoked
    assert rows[TEA][2:6] == (4, 1, 0, 1)  # three licensees in 平江县 on record (one has no county) and 乙
    assert "huarong-jiecai" not in rows  # no producer in 平江县 and no production area there
    elsewhere = client.get(f"/api/v1/usage-coverage/counties/430623/{year}.xlsx", headers=world.official)
    other = _rows_after(openpyxl.load_workbook(io.BytesIO(elsewhere.content)).active, "GI (slug)")
    assert other["huarong-jiecai"][2:4] == (0, 0)  # a production area there, no producer on record
    assert GI not in other or other[GI][2:4] == (0, 0)


@pytest.mark.parametrize("lang", [Lang.zh, Lang.en])
def test_officials_page_says_the_figures_and_the_definitions(
    client: TestClient, session: Session, lang: Lang
) -> None:
    scene(client, session)
    site = TestClient(client.app)
    assert site.get("/officials/usage", follow_redirects=False).status_code == 303  # sign in first
    sign_in(site, "producer-a")
    assert site.get("/officials/usage").status_code == 403
    official = TestClient(client.app)
    sign_in(official, "official")
    desk = official.get(f"/officials?lang={lang.value}").text
    assert f'href="/officials/usage?lang={lang.value}"' in desk
    page = official.get(f"/officials/usage?lang={lang.value}")
    assert page.status_code == 200
    text = visible_text(page.text, lang).text
    if lang == Lang.zh:
        assert "占在册生产者" in text and "登记簿中无该产品的生产者" in text and "无法判断" in text
    else:
        assert "producers on record" in text and "no producers on record" in text and "cannot tell" in text
    row = page.text.split(f'id="usage-{GI}"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split("<td")[2:]]
    assert [c.split(">", 1)[1] for c in cells[:7]] == ["6", "2", "33%", "1", "3", "1", "3"]
    assert "9000tv.cn" in page.text  # the thresholds' source is cited
    download = official.get(f"/officials/usage/counties/{PINGJIANG}/{date.today().year}.xlsx")
    assert download.status_code == 200 and download.content.startswith(b"PK")
    assert official.get(f"/officials/usage/counties/999999/{date.today().year}.xlsx").status_code == 404
