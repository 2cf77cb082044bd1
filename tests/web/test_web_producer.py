"""A producer signs in on the website, sees where it stands, and applies with documents."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.core.i18n import Lang
from tests.language import visible_text
from tests.workflow import PASSWORD, PDF, PNG, build_world


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, username: str) -> None:
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_producer_applies_through_the_website(client: TestClient, session: Session) -> None:
    world = build_world(client, session)
    site = TestClient(client.app)  # a separate browser: cookies of its own
    sign_in(site, "producer-a")
    home = site.get("/producer")
    assert home.status_code == 200
    assert f'id="authorization-{world.authorization_id}"' in home.text
    # The legacy label must be switched, said in words (issue 15: never the raw value switch_required).
    seen = visible_text(home.text, Lang.zh).text
    assert "须换用统一标志" in seen and "switch_required" not in seen

    bad = site.post(
        "/producer/renewals",
        data={"authorization_id": str(world.authorization_id), "csrf": csrf_of(home.text)},
        files=[("documents", ("scan.pdf", PNG, "application/pdf"))],
    )
    assert bad.status_code == 422 and 'id="form-error"' in bad.text
    assert client.get("/api/v1/renewals", headers=world.official).json()["data"] == []

    forged = site.post(
        "/producer/renewals",
        data={"authorization_id": str(world.authorization_id), "csrf": "forged"},
        files=[("documents", ("application.pdf", PDF, "application/pdf"))],
    )
    assert forged.status_code == 403

    done = site.post(
        "/producer/renewals",
        data={"authorization_id": str(world.authorization_id), "csrf": csrf_of(home.text)},
        files=[("documents", ("application.pdf", PDF, "application/pdf"))],
        follow_redirects=False,
    )
    assert done.status_code == 303
    listed = site.get("/producer").text
    seen = visible_text(listed, Lang.zh).text
    assert "application.pdf" in seen and "已提交" in seen and "submitted" not in seen
    assert "/api/v1/calendar/" in listed


def test_officials_cannot_use_producer_pages_and_anonymous_is_sent_to_sign_in(
    client: TestClient, session: Session
) -> None:
    build_world(client, session)
    assert client.get("/producer", follow_redirects=False).headers["location"].startswith("/login")
    site = TestClient(client.app)
    sign_in(site, "official")
    refused = site.get("/producer")
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    # In the page's language (Chinese by default), and only in it.
    assert "此页面仅供生产者账户使用" in refused.text and "producer accounts" not in refused.text
    assert "producer accounts" in site.get("/producer?lang=en").text
