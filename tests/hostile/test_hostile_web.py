"""R30+: hostile input to the web layer (issue 21): maps, spreadsheets, sign-in limits, sessions, the lows.

Each test is one case of the issue and asserts the 4xx (or the safe result) it promises. Memory bounds
are "not unbounded" checks with a wide margin; no test asserts a speed.
"""

import asyncio
import csv
import io
import re
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role, User
from gi_registry.auth.security import create_access_token
from gi_registry.core.limits import SlidingWindowLimit
from gi_registry.core.settings import Settings
from gi_registry.core.spreadsheets import append_row, csv_bytes, csv_cell
from gi_registry.demo.service import load_demo
from gi_registry.http.app import create_app
from gi_registry.http.middleware import signed_in_form_paths
from gi_registry.producers.models import Producer, ProducerLink
from tests.figures import report
from tests.live import serving
from tests.workflow import PASSWORD, PNG, SOURCE, World, bearer, build_world, submit

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
MB = 1024 * 1024


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def _app_client(
    settings: Settings, engine: Engine, peer: str = "testclient", **changes: object
) -> TestClient:
    """A client on this test's database with changed settings, seen by the app as coming from `peer`."""
    return TestClient(create_app(settings.model_copy(update=changes), engine), client=(peer, 50000))


def _csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _web_sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": _csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


# R30 maps ----------------------------------------------------------------------------------------------


def test_r30_map_documents_allow_only_their_own_scripts(client: TestClient) -> None:
    """Every map document: a CSP without 'unsafe-inline' scripts, and a fresh nonce on each of its scripts."""
    paths = [
        "/maps/overview.html",
        "/maps/label-switch.html",
        "/maps/indications/yueyang-huangcha.html",
        "/maps/counties/430602.html",
    ]
    nonces = set()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src
        nonce = re.search(r"'nonce-([A-Za-z0-9_-]{20,})'", script_src).group(1)
        nonces.add(nonce)
        tags = re.findall(r"<script\b[^>]*>", response.text)
        assert tags and all(f'nonce="{nonce}"' in tag for tag in tags), path
        body = response.text.split("<body>", 1)[1].split("</body>", 1)[0]
        assert "<script" not in body  # the body holds no script of its own: it could only be injected
    assert len(nonces) == len(paths)  # a new nonce per response
    # Pages have no inline scripts at all, so their policy is just as strict.
    assert "'unsafe-inline'" not in client.get("/").headers["content-security-policy"].split("style-src")[0]


def test_r30_a_script_in_the_body_of_a_map_gets_no_nonce() -> None:
    """The nonce goes to the maps' own script tags, never to one that a missed escape let into the body."""
    import folium

    from maps.render import document

    fmap = folium.Map()
    folium.Element("<p><script>window.__xss = 1</script></p>").add_to(fmap.get_root().html)
    html = document(fmap, "n0nce")
    body = html.split("<body>", 1)[1].split("</body>", 1)[0]
    assert "<script>window.__xss" in body and "n0nce" not in body
    assert html.count('nonce="n0nce"') >= 2  # the header's scripts and the map's script block


def test_r30_map_tooltips_escape_the_registry_text(client: TestClient, world: World) -> None:
    """A GI name with HTML reaches the GI map only inside the escaping tooltip (the browser test runs it)."""
    payload = '<img src=x onerror="window.__xss=1">'
    response = client.patch(
        "/api/v1/indications/yueyang-huangcha",
        json={"name_zh": payload, "reason": "hostile input test", "sources": SOURCE},
        headers=world.official,
    )
    assert response.status_code == 200, response.text
    html = client.get("/maps/indications/yueyang-huangcha.html").text
    assert "bindTooltip(function (layer) {\n        var escape" in html
    assert not re.search(r"bindTooltip\(\s*function\(layer\)", html)  # folium's unescaped tooltip: nowhere
    assert payload not in html  # as JSON in the script block, "<" is \u003c and never raw HTML


# R31 spreadsheets --------------------------------------------------------------------------------------


def test_r31_spreadsheet_rule_neutralises_text_only() -> None:
    assert [csv_cell(v) for v in FORMULAS] == ["'" + v for v in FORMULAS]
    assert csv_cell(-3) == -3 and csv_cell(-2.5) == -2.5 and csv_cell("岳阳黄茶") == "岳阳黄茶"
    rows = list(csv.reader(io.StringIO(csv_bytes([["=1+1", -3, "ok"]]).decode("utf-8-sig"))))
    assert rows == [["'=1+1", "-3", "ok"]]
    workbook = Workbook()
    append_row(workbook.active, ["=1+1", -3, 4.5, "-x", "ok"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows(values_only=False))[0]
    assert [(c.value, c.data_type) for c in cells] == [
        ("=1+1", "s"),
        (-3, "n"),
        (4.5, "n"),
        ("-x", "s"),
        ("ok", "s"),
    ]
    assert cells[0].quotePrefix and cells[3].quotePrefix and not cells[4].quotePrefix


def _formula_cells_xlsx(content: bytes) -> list[str]:
    """Cells an spreadsheet program would evaluate: typed as formulas, or text starting like one unquoted."""
    found = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str)
                    and cell.value.startswith(tuple("=+-@\t\r"))
                    and not cell.quotePrefix
                ):
                    found.append(f"{sheet.title}!{cell.coordinate}={cell.value!r}")
    return found


def _formula_cells_csv(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [cell for row in rows for cell in row if cell.startswith(tuple("=+-@\t\r"))]


def test_r31_no_export_or_download_holds_a_live_formula(client: TestClient, world: World) -> None:
    names = {}
    for number, formula in enumerate(FORMULAS):
        body = {
            "name_zh": f"{formula}合作社",
            "county_code": "430626",
            "reason": "hostile input test",
            "sources": SOURCE,
        }
        created = client.post("/api/v1/producers", json=body, headers=world.official)
        assert created.status_code == 201, created.text
        names[number] = created.json()["id"]
        authorization = client.post(
            "/api/v1/authorizations",
            json={
                "producer_id": created.json()["id"],
                "indication_id": 1,
                "label_version": "legacy",
                "authorized": "2019-05-10",
                "reason": "hostile input test",
                "sources": SOURCE,
            },
            headers=world.official,
        )
        assert authorization.status_code == 201, authorization.text
    renamed = client.patch(
        "/api/v1/indications/1",
        json={"name_zh": "=1+2", "reason": "hostile input test", "sources": SOURCE},
        headers=world.official,
    )
    assert renamed.status_code == 200, renamed.text
    checked = 0
    for table in ("producers", "authorizations", "indications"):
        for fmt in ("csv", "xlsx"):
            response = client.get(f"/api/v1/exports/{table}?f={fmt}")
            assert response.status_code == 200, (table, fmt)
            found = (_formula_cells_csv if fmt == "csv" else _formula_cells_xlsx)(response.content)
            assert found == [], (table, fmt, found[:3])
            checked += 1
        # The names really are in the file, neutralised: the test would see them otherwise.
        csv_text = client.get(f"/api/v1/exports/{table}?f=csv").content.decode("utf-8-sig")
        assert "'=" in csv_text, table
    year = date.today().year
    supervision = client.get(f"/api/v1/supervision-report/{year}.xlsx", headers=world.official)
    assert supervision.status_code == 200
    assert _formula_cells_xlsx(supervision.content) == []
    assert any(
        c.value == "=1+2"
        for row in load_workbook(io.BytesIO(supervision.content)).active.iter_rows()
        for c in row
    )
    _web_sign_in(client, "official")
    for path in (
        "/officials/deadlines.csv",
        "/officials/queue.csv",
        f"/officials/supervision-report-{year}.xlsx",
        f"/officials/usage/counties/430626/{year}.xlsx",  # the producers above are in 平江县
    ):
        download = client.get(path)
        assert download.status_code == 200, path
        found = (_formula_cells_xlsx if path.endswith("xlsx") else _formula_cells_csv)(download.content)
        assert found == [], (path, found[:3])
        checked += 1
    assert "'=HYPERLINK" in client.get("/officials/deadlines.csv").content.decode("utf-8-sig")
    report(f"R31: {checked + 1} exports and downloads, {len(FORMULAS)} formula names, 0 live formulas")


# R32 sign-in limits ------------------------------------------------------------------------------------


def test_r32_a_megabyte_username_is_refused_and_costs_no_memory(client: TestClient) -> None:
    # One character over the limit is a 422 naming the field, as on the web form.
    long = client.post("/api/v1/auth/token", data={"username": "u" * 61, "password": "x" * 12})
    assert long.status_code == 422 and "username" in str(long.json()["detail"][0])
    huge = "u" * MB
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    statuses = set()
    for _ in range(200):
        statuses.add(
            client.post("/api/v1/auth/token", data={"username": huge, "password": "x" * 12}).status_code
        )
    statuses.add(
        client.post("/login", data={"username": huge, "password": "x" * 12, "csrf": "x"}).status_code
    )
    grown = (tracemalloc.get_traced_memory()[0] - before) / MB
    tracemalloc.stop()
    report(f"R32: 200 sign-ins with a 1 MB username: {sorted(statuses)}, memory +{grown:.1f} MB")
    # 400 when the form parser refuses a field that large, 422 when the length check does: never a lookup.
    assert statuses <= {400, 422}
    assert len(client.app.state.login_limit) == 0
    assert grown < 200


def test_r32_limiter_memory_is_bounded_in_keys_and_key_size() -> None:
    limit = SlidingWindowLimit(10, 900, max_keys=1_000)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for number in range(300):  # 300 distinct 1 MB keys: 300 MB if they were kept
        limit.hit(f"{number}|" + "k" * MB)
    for number in range(20_000):
        limit.hit(f"address-{number}")
    grown = (tracemalloc.get_traced_memory()[0] - before) / MB
    tracemalloc.stop()
    assert len(limit) <= 1_000
    assert grown < 200
    # Forgetting is least-recently-used: a key in use keeps its count.
    busy = SlidingWindowLimit(2, 900, max_keys=10)
    busy.hit("victim")
    busy.hit("victim")
    for number in range(100):
        busy.hit(f"flood-{number}")
        with pytest.raises(Exception, match="Too many"):
            busy.hit("victim")


def test_r32_rotated_forwarded_for_does_not_reset_the_per_address_limits(
    settings: Settings, engine: Engine, session: Session
) -> None:
    auth_service.create_user(
        session, username="owner", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    with _app_client(settings, engine, peer="127.0.0.1") as client:
        statuses = [
            client.post(
                "/api/v1/auth/token",
                data={"username": "owner", "password": "wrong password"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(12)
        ]
        reports = [
            client.post(
                "/api/v1/reports",
                data={"location": "某超市", "description": "可疑标志（测试）"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(7)
        ]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    assert reports[:5] == [201] * 5 and reports[5:] == [429, 429]


def test_r32_forwarded_for_counts_only_from_a_trusted_proxy(
    settings: Settings, engine: Engine, session: Session
) -> None:
    auth_service.create_user(
        session, username="owner", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    with _app_client(settings, engine, peer="10.0.0.5", trusted_proxies=["10.0.0.5"]) as client:
        for _ in range(10):
            client.post(
                "/api/v1/auth/token",
                data={"username": "owner", "password": "wrong password"},
                headers={"X-Forwarded-For": "203.0.113.7"},
            )
        stranger = client.post(
            "/api/v1/auth/token",
            data={"username": "owner", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        owner = client.post(
            "/api/v1/auth/token",
            data={"username": "owner", "password": PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.8"},
        )
    # Behind the trusted proxy each client has its own count: the stranger's failures lock only the stranger.
    assert stranger.status_code == 429
    assert owner.status_code == 200


def test_r32_a_stranger_cannot_lock_the_owner_out(
    settings: Settings, engine: Engine, session: Session
) -> None:
    auth_service.create_user(
        session, username="owner", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    with _app_client(settings, engine, peer="192.0.2.66") as stranger:
        answers = [
            stranger.post("/api/v1/auth/token", data={"username": "owner", "password": "guess"}).status_code
            for _ in range(15)
        ]
    with _app_client(settings, engine, peer="192.0.2.10") as owner:
        signed_in = owner.post("/api/v1/auth/token", data={"username": "owner", "password": PASSWORD})
    assert answers[-1] == 429
    assert signed_in.status_code == 200


def test_r32_one_address_trying_many_usernames_is_stopped(settings: Settings, engine: Engine) -> None:
    with _app_client(settings, engine, login_failures_per_address_per_15_minutes=20) as client:
        answers = [
            client.post("/api/v1/auth/token", data={"username": f"user{n}", "password": "guess"}).status_code
            for n in range(22)
        ]
    assert answers[:20] == [401] * 20 and answers[20:] == [429, 429]


def test_r32_public_feeds_and_history_name_roles_not_usernames(client: TestClient, world: World) -> None:
    response = client.patch(
        "/api/v1/indications/yueyang-huangcha",
        json={"name_en": "Yueyang Yellow Tea (renamed)", "reason": "hostile input test", "sources": SOURCE},
        headers=world.official,
    )
    assert response.status_code == 200
    feed = client.get("/api/v1/changes.json").text
    atom = client.get("/api/v1/changes.atom").text
    history = client.get("/api/v1/history?entity=indication&id=yueyang-huangcha").json()["data"]
    history += client.get("/api/v1/history?entity=indication&id=1").json()["data"]
    assert "renamed" in feed and "renamed" in atom
    assert "official:official" not in feed and "official:official" not in atom
    assert history and {row["actor"] for row in history if row["reason"] == "hostile input test"} == {
        "official"
    }
    as_official = client.get("/api/v1/history?entity=indication&id=1", headers=world.official).json()["data"]
    assert "official:official" in {row["actor"] for row in as_official}


# R33 sessions ------------------------------------------------------------------------------------------


def test_r33_sign_out_ends_the_cookie_and_the_bearer_token(client: TestClient, world: World) -> None:
    token = bearer(client, "official")
    _web_sign_in(client, "official")
    cookie = client.cookies.get("gi_session")
    assert client.get("/officials", follow_redirects=False).status_code == 200
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    page = client.get("/officials")
    signed_out = client.post("/logout", data={"csrf": _csrf_of(page.text)}, follow_redirects=False)
    assert signed_out.status_code == 303
    # The old cookie, sent again by hand, and the bearer token made before both stop working.
    client.cookies.set("gi_session", cookie)
    assert client.get("/officials", follow_redirects=False).status_code in (302, 303, 307)
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {cookie}"}).status_code == 401
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert client.get("/api/v1/auth/me", headers=world.official).status_code == 401
    assert client.get("/api/v1/auth/me", headers=bearer(client, "official")).status_code == 200


@pytest.mark.parametrize("how", ["deactivation", "password change"])
def test_r33_deactivation_and_a_new_password_end_every_session(
    client: TestClient, session: Session, world: World, how: str
) -> None:
    token = bearer(client, "producer-a")
    assert client.get("/api/v1/auth/me", headers=token).status_code == 200
    user = auth_service.by_username(session, "producer-a")
    if how == "deactivation":
        auth_service.deactivate(session, user, actor="test")
    else:
        auth_service.change_password(session, user, "a brand new password", actor="test")
    assert client.get("/api/v1/auth/me", headers=token).status_code == 401
    assert client.get("/api/v1/auth/me", headers=world.producer_a).status_code == 401
    again = client.post("/api/v1/auth/token", data={"username": "producer-a", "password": PASSWORD})
    assert again.status_code == 401
    if how == "password change":
        assert (
            client.get(
                "/api/v1/auth/me", headers=bearer(client, "producer-a", "a brand new password")
            ).status_code
            == 200
        )


def test_r33_cli_ends_sessions(
    client: TestClient, settings: Settings, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gi_registry.cli import app as cli
    from gi_registry.core.settings import get_settings

    monkeypatch.setenv("GI_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["users", "end-sessions", "--username", "official"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/auth/me", headers=world.official).status_code == 401


# R34 public 500s, demo data, documents -----------------------------------------------------------------

OUT_OF_RANGE = "0001-01-01T00:00:00+00:01"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/indications?modified_since=",
        "/api/v1/producers?modified_since=",
        "/api/v1/standards?modified_since=",
        "/api/v1/changes.json?since=",
        "/api/v1/changes.atom?since=",
    ],
)
def test_r34_a_time_outside_the_calendar_in_utc_is_a_422(client: TestClient, path: str) -> None:
    for value in (OUT_OF_RANGE, "9999-12-31T23:59:59-00:01"):
        response = client.get(path + value.replace("+", "%2B"))
        assert response.status_code == 422, (path, value, response.text)
        assert "outside the years 1 to 9999" in response.json()["detail"][0]["msg"]


def test_r34_a_code_with_a_slash_gets_the_verify_page_saying_it_is_malformed(client: TestClient) -> None:
    for lang, words in (("zh", "格式正确"), ("en", "well-formed")):
        response = client.get(f"/verify?code=a/b&lang={lang}", follow_redirects=False)
        assert response.status_code == 422
        assert words in response.text and "<form" in response.text


def test_r34_demo_records_are_not_public_outside_demo_mode(
    client: TestClient, session: Session, settings: Settings, engine: Engine
) -> None:
    load_demo(session, password="demo-password", today=date.today())
    link = session.exec(select(ProducerLink).where(ProducerLink.synthetic.is_(True))).first()
    producer = session.exec(select(Producer).where(Producer.synthetic.is_(True))).first()
    assert client.get(f"/api/v1/authorizations/{link.id}").status_code == 404
    assert client.get(f"/api/v1/history?entity=authorization&id={link.id}").json()["data"] == []
    assert client.get(f"/api/v1/history?entity=producer&id={producer.id}").json()["data"] == []
    feed = client.get("/api/v1/changes.json?limit=1000").json()["items"]
    assert not any("demo" in item["content_text"] for item in feed)
    with _app_client(settings, engine, demo_mode=True) as demo:
        assert demo.get(f"/api/v1/authorizations/{link.id}").status_code == 200
        assert demo.get(f"/api/v1/history?entity=producer&id={producer.id}").json()["data"]
        assert any(
            "demo" in item["content_text"]
            for item in demo.get("/api/v1/changes.json?limit=1000").json()["items"]
        )


def test_r34_demo_load_is_refused_in_production(
    settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gi_registry.cli import app as cli
    from gi_registry.core.settings import get_settings

    monkeypatch.setenv("GI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GI_ENVIRONMENT", "production")
    monkeypatch.setenv("GI_SECRET_KEY", "s" * 40)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["demo", "load"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "production" in result.output
    assert session.exec(select(User).where(User.synthetic.is_(True))).first() is None


def test_r34_anonymous_documents_are_404_whether_or_not_they_exist(client: TestClient, world: World) -> None:
    renewal = submit(client, world.producer_a, world.authorization_id).json()
    existing = client.get(f"/api/v1/documents/{renewal['documents'][0]['id']}")
    missing = client.get("/api/v1/documents/987654")
    assert existing.status_code == missing.status_code == 404
    assert existing.json()["detail"][0]["msg"].replace(
        str(renewal["documents"][0]["id"]), "N"
    ) == missing.json()["detail"][0]["msg"].replace("987654", "N")


def _post_upload(app, path: str, extra_headers: list[tuple[bytes, bytes]]) -> tuple[dict, list[int]]:  # noqa: ANN001
    """POST a 20 MB multipart upload straight to the ASGI app: (the response's start, body chunks read)."""
    received: list[int] = []
    sent: list[dict] = []

    async def receive() -> dict:
        received.append(1)
        return {"type": "http.request", "body": b"x" * 65536, "more_body": len(received) < 300}

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [(b"content-type", b"multipart/form-data; boundary=xyz"), (b"content-length", b"19660800")]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers + extra_headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "app": app,
        "state": {},
    }
    # In a thread of its own: earlier tests (Playwright) may leave an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return next(m for m in sent if m["type"] == "http.response.start"), received


def test_r34_an_upload_without_a_valid_token_is_refused_before_its_body_is_read(client: TestClient) -> None:
    for path in ("/api/v1/renewals", "/api/v1/imports", "/api/v1/renewals/1/resubmit"):
        for authorization in ([], [(b"authorization", b"Bearer forged.token.here")]):
            start, received = _post_upload(client.app, path, authorization)
            assert start["status"] == 401, path
            assert (b"www-authenticate", b"Bearer") in start["headers"]
            assert received == [], f"{path}: the body was read before the 401"


WEB_UPLOAD_FORMS = (
    "/producer/renewals",
    "/producer/applications/1/resubmit",
    "/producer/mark-applications/new",
    "/producer/mark-applications/1/resubmit",
    "/officials/mark-applications/new",
    "/officials/mark-applications/1/site-checks",
    "/officials/imports",
    "/officials/areas",
    "/officials/records/standard/1/text",
)


@pytest.mark.parametrize("path", WEB_UPLOAD_FORMS)
def test_r34_a_website_upload_without_a_session_goes_to_sign_in_before_its_body_is_read(
    client: TestClient, path: str
) -> None:
    for cookie in ([], [(b"cookie", b"lang=zh; gi_session=forged.token.here")]):
        start, received = _post_upload(client.app, path, cookie)
        assert start["status"] == 303, path
        assert (b"location", f"/login?next={path}".encode()) in start["headers"]
        assert received == [], f"{path}: the body was read before the way to sign in"


def test_r34_a_lapsed_session_reaches_the_form_which_sends_it_to_sign_in_after_the_upload(
    client: TestClient,
) -> None:
    """A producer whose session ran out while filling in the form is answered by the page after the
    upload, not cut off mid-upload: only a missing or forged session is refused before the body."""
    secret = client.app.state.settings.secret_key
    lapsed = create_access_token("1", secret, minutes=-5)
    cookie = [(b"cookie", b"gi_session=" + lapsed.encode())]
    _start, received = _post_upload(client.app, "/producer/renewals", cookie)
    assert received != []  # the page read the upload (this fake body is then refused in words)


def test_r34_every_website_form_that_takes_files_and_needs_an_account_is_covered(client: TestClient) -> None:
    """The forms are found from the routes, so a new one is covered without being listed: this keeps
    the list above (and so the test) complete, and the public's report form out of it."""
    found = [pattern for _method, pattern in signed_in_form_paths(client.app)]
    assert all(any(pattern.match(path) for pattern in found) for path in WEB_UPLOAD_FORMS)
    assert all(sum(bool(pattern.match(path)) for path in WEB_UPLOAD_FORMS) == 1 for pattern in found)
    assert not any(pattern.match("/verify/report") for pattern in found)


def test_r34_the_publics_report_form_still_takes_a_photo_without_an_account(client: TestClient) -> None:
    start, received = _post_upload(client.app, "/verify/report", [])
    assert start["status"] != 303
    assert received != []  # read (and refused in words if it is not a proper form), never sent to sign in


# R35 quotas --------------------------------------------------------------------------------------------


def test_r35_report_photos_have_a_daily_quota_per_address(settings: Settings, engine: Engine) -> None:
    with _app_client(settings, engine, report_photos_per_address_per_day=2) as client:
        answers = [
            client.post(
                "/api/v1/reports",
                data={"location": "某超市", "description": "可疑标志（测试）"},
                files={"photo": ("p.png", PNG + bytes([n]), "image/png")},
            ).status_code
            for n in range(3)
        ]
        without_photo = client.post(
            "/api/v1/reports", data={"location": "某超市", "description": "可疑标志（测试）"}
        )
    assert answers == [201, 201, 429]
    assert without_photo.status_code == 201


def test_r35_report_photos_have_a_total_quota(settings: Settings, engine: Engine, session: Session) -> None:
    with _app_client(settings, engine, report_photos_total_mb=64 / MB) as client:
        first = client.post(
            "/api/v1/reports",
            data={"location": "某超市", "description": "可疑标志（测试）"},
            files={"photo": ("p.png", PNG, "image/png")},
        )
        second = client.post(
            "/api/v1/reports",
            data={"location": "某超市", "description": "可疑标志（测试）"},
            files={"photo": ("q.png", PNG + b"more", "image/png")},
        )
    assert first.status_code == 201
    assert second.status_code == 413
    assert "without the photo" in second.json()["detail"][0]["msg"]
    stored = session.exec(text("SELECT count(*) FROM misuse_report")).scalar_one()
    assert stored == 1  # the refused report left nothing behind
    assert len([p for p in settings.upload_dir.rglob("*") if p.is_file()]) == 1


def test_r35_an_authorization_has_at_most_three_open_applications(client: TestClient, world: World) -> None:
    statuses = [submit(client, world.producer_a, world.authorization_id).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 409]
    refused = submit(client, world.producer_a, world.authorization_id)
    assert "open application" in refused.json()["detail"][0]["msg"]
    first = client.get("/api/v1/renewals", headers=world.producer_a).json()["data"][0]["id"]
    for decision in ("review", "reject"):  # a decided application no longer counts as open
        decided = client.post(
            f"/api/v1/renewals/{first}/decision",
            json={"decision": decision, "reason": "test"},
            headers=world.official,
        )
        assert decided.status_code == 200, decided.text
    assert submit(client, world.producer_a, world.authorization_id).status_code == 201


# R36 serve ---------------------------------------------------------------------------------------------


def test_r36_serve_ignores_forwarded_headers_and_limits_idle_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    from gi_registry.cli import app as cli

    called: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: called.update(kwargs))
    result = CliRunner().invoke(cli.app, ["serve"])
    assert result.exit_code == 0, result.output
    assert called["proxy_headers"] is False
    assert 0 < called["timeout_keep_alive"] <= 10
    assert called["h11_max_incomplete_event_size"] <= 128 * 1024


@pytest.mark.slow
def test_r36_a_live_server_does_not_believe_forwarded_for_from_loopback(
    session: Session, settings: Settings
) -> None:
    import httpx2 as httpx

    auth_service.create_user(
        session, username="owner", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    with serving(settings.database_url, GI_UPLOAD_DIR=str(settings.upload_dir)) as base:
        statuses = [
            httpx.post(
                f"{base}/api/v1/auth/token",
                data={"username": "owner", "password": "wrong password"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
                timeout=30,
            ).status_code
            for n in range(12)
        ]
    report(f"R32: 12 failed sign-ins with a new X-Forwarded-For each, on `serve`: {statuses[-2:]} at the end")
    assert statuses[10:] == [429, 429]


def test_r32_strangers_behind_the_owners_address_cannot_lock_the_owners_browser_out(
    client: TestClient, session: Session
) -> None:
    auth_service.create_user(
        session, username="owner", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    _web_sign_in(client, "owner")  # the owner's browser has signed in here before
    device = client.cookies.get("gi_device")
    assert device
    client.cookies.clear()
    stranger = []
    for _ in range(12):  # the same address (one office NAT), without the owner's browser cookie
        form = client.get("/login")
        stranger.append(
            client.post(
                "/login", data={"username": "owner", "password": "guess", "csrf": _csrf_of(form.text)}
            ).status_code
        )
    assert stranger[-1] == 429
    right_password_elsewhere = client.post(
        "/api/v1/auth/token", data={"username": "owner", "password": PASSWORD}
    )
    assert right_password_elsewhere.status_code == 429  # without the cookie the window holds
    client.cookies.clear()
    client.cookies.set("gi_device", device)
    _web_sign_in(client, "owner")  # the owner's own browser still gets in
    # A forged or another account's device cookie earns nothing.
    client.cookies.clear()
    client.cookies.set("gi_device", device.split(".")[0] + "." + "0" * 64)
    form = client.get("/login")
    forged = client.post(
        "/login", data={"username": "owner", "password": PASSWORD, "csrf": _csrf_of(form.text)}
    )
    assert forged.status_code == 429
