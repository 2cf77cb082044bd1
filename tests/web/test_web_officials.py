"""Website sign-in with a session cookie, CSRF on every form, and the officials' import page."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests.dataset.test_imports import csv_bytes, good_row
from tests.workflow import PASSWORD


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username: str):  # noqa: ANN201 - the login response
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text), "next": "/officials"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/officials"
    return response


def test_sign_in_needs_the_form_token_and_the_right_password(client: TestClient, session: Session) -> None:
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    assert client.get("/officials", follow_redirects=False).headers["location"].startswith("/login")
    form = client.get("/login")
    no_token = client.post("/login", data={"username": "li", "password": PASSWORD}, follow_redirects=False)
    assert no_token.status_code == 403
    wrong = client.post("/login", data={"username": "li", "password": "nope", "csrf": csrf_of(form.text)})
    assert (
        wrong.status_code == 401
        and "Wrong username or password" in wrong.text
        or "用户名或密码错误" in wrong.text
    )
    sign_in(client, "li")
    desk = client.get("/officials")
    assert desk.status_code == 200 and 'id="queue"' in desk.text


def test_open_redirects_are_refused(client: TestClient, session: Session) -> None:
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "li",
            "password": PASSWORD,
            "csrf": csrf_of(form.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/officials"


def test_import_page_checks_csrf_and_reports_rows(client: TestClient, session: Session) -> None:
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    sign_in(client, "li")
    page = client.get("/officials/imports")
    files = {"file": ("sheet.csv", csv_bytes(good_row(1), "坏行,bad,430626,L,x"), "text/csv")}
    forged = client.post("/officials/imports", data={"kind": "producers", "csrf": "forged"}, files=files)
    assert forged.status_code == 403
    report = client.post(
        "/officials/imports",
        data={"kind": "producers", "csrf": csrf_of(page.text), "dry_run": "true"},
        files=files,
    )
    assert report.status_code == 200 and 'id="import-report"' in report.text
    assert "nothing was written" in report.text or "未写入任何数据" in report.text
    assert "<td>3</td>" in report.text


def test_producers_cannot_open_officials_pages(client: TestClient, session: Session) -> None:
    auth_service.create_user(
        session, username="coop", password=PASSWORD, role=Role.producer, producer_id=1, actor="t"
    )
    form = client.get("/login")
    client.post("/login", data={"username": "coop", "password": PASSWORD, "csrf": csrf_of(form.text)})
    assert client.get("/officials").status_code == 403
    assert client.get("/officials/imports").status_code == 403
