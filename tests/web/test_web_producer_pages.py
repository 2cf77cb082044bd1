"""A producer's pages: an application with the officials' reasons, the answer to a returned one, audits,
the calendar, documents; and never another producer's records (issue 15, item 2)."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.core.i18n import Lang
from gi_registry.core.settings import Settings
from gi_registry.http.app import create_app
from tests.language import problems, raw_values, visible_text
from tests.workflow import PASSWORD, PDF, PNG, World, build_world, submit

REASON = "请补充2026年产品检验报告"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def browser(client: TestClient, username: str) -> TestClient:
    site = TestClient(client.app)  # a browser of its own: cookies apart from the API client
    form = site.get("/login")
    signed_in = site.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    return site


def returned_application(client: TestClient, world: World) -> int:
    """Producer A applies over the API; an official reviews it and returns it with a reason."""
    renewal = submit(client, world.producer_a, world.authorization_id).json()["id"]
    for decision, reason in (("review", "开始审查"), ("return", REASON)):
        answer = client.post(
            f"/api/v1/renewals/{renewal}/decision",
            json={"decision": decision, "reason": reason},
            headers=world.official,
        )
        assert answer.status_code == 200, answer.text
    return renewal


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def test_a_returned_application_is_answered_with_new_documents(client: TestClient, world: World) -> None:
    renewal = returned_application(client, world)
    site = browser(client, "producer-a")
    home = site.get("/producer?lang=zh").text
    link = f"/producer/applications/{renewal}?lang=zh"
    assert link in home  # reached by a link from /producer

    page = site.get(link)
    seen = visible_text(page.text, Lang.zh)
    assert "已退回补正" in seen.text and REASON in seen.text  # the state in words, the official's reason
    assert "审查中 → 已退回补正" in seen.text  # the history, step by step
    assert not problems(seen, Lang.zh, raw_values(Lang.zh))
    assert 'id="resubmit"' in page.text

    # A file that is not what it claims: refused, shown beside the field, nothing stored or moved.
    bad = site.post(
        f"/producer/applications/{renewal}/resubmit?lang=zh",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("report.pdf", PNG, "application/pdf"))],
    )
    assert bad.status_code == 422 and 'id="documents-error"' in bad.text
    assert 'aria-describedby="documents-hint documents-error"' in bad.text
    assert "文件未被接受" in bad.text
    after_bad = client.get(f"/api/v1/renewals/{renewal}", headers=world.producer_a).json()
    assert after_bad["status"] == "returned" and len(after_bad["documents"]) == 1

    forged = site.post(
        f"/producer/applications/{renewal}/resubmit",
        data={"csrf": "forged"},
        files=[("documents", ("report.pdf", PDF, "application/pdf"))],
    )
    assert forged.status_code == 403
    assert client.get(f"/api/v1/renewals/{renewal}", headers=world.producer_a).json()["status"] == "returned"

    done = site.post(
        f"/producer/applications/{renewal}/resubmit?lang=zh",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("inspection-2026.pdf", PDF, "application/pdf"))],
        follow_redirects=False,
    )
    assert done.status_code == 303
    confirmed = site.get(done.headers["location"])
    seen = visible_text(confirmed.text, Lang.zh).text
    assert "已重新提交" in seen and "inspection-2026.pdf" in seen and "已提交" in seen
    assert 'id="resubmit"' not in confirmed.text  # no longer returned: nothing to answer
    api = client.get(f"/api/v1/renewals/{renewal}", headers=world.producer_a).json()
    assert api["status"] == "submitted" and len(api["documents"]) == 2

    # Resubmitting again (e.g. from an old tab) is refused with what the application is now.
    again = site.post(
        f"/producer/applications/{renewal}/resubmit?lang=en",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("again.pdf", PDF, "application/pdf"))],
    )
    assert again.status_code == 409 and "it is now: Submitted" in again.text

    newest = api["documents"][-1]["id"]
    download = site.get(f"/producer/documents/{newest}")
    assert download.status_code == 200 and download.content == PDF


def test_a_refused_form_speaks_english_on_an_english_page(client: TestClient, world: World) -> None:
    renewal = returned_application(client, world)
    site = browser(client, "producer-a")
    page = site.get(f"/producer/applications/{renewal}?lang=en")
    seen = visible_text(page.text, Lang.en)
    assert "Returned for new documents" in seen.text and not problems(seen, Lang.en, raw_values(Lang.en))
    empty = site.post(
        f"/producer/applications/{renewal}/resubmit?lang=en",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("", b"", "application/octet-stream"))],
    )
    assert empty.status_code == 422 and "The files were refused" in empty.text


def test_the_upload_limit_of_the_api_applies(settings: Settings, engine, session: Session) -> None:  # noqa: ANN001
    small = create_app(settings.model_copy(update={"max_upload_mb": 0.001}), engine)
    with TestClient(small) as client:
        world = build_world(client, session)
        renewal = returned_application(client, world)
        site = browser(client, "producer-a")
        page = site.get(f"/producer/applications/{renewal}?lang=en")
        big = PDF + b"%" * 2048
        refused = site.post(
            f"/producer/applications/{renewal}/resubmit?lang=en",
            data={"csrf": csrf_of(page.text)},
            files=[("documents", ("big.pdf", big, "application/pdf"))],
        )
        assert refused.status_code == 413 and "larger than the 0.001 MB allowed" in refused.text
        api = client.post(
            f"/api/v1/renewals/{renewal}/resubmit",
            files=[("documents", ("big.pdf", big, "application/pdf"))],
            headers=world.producer_a,
        )
        assert api.status_code == 413  # the same limit, from the same service function


def test_a_producer_never_sees_another_producers_records(client: TestClient, world: World) -> None:
    renewal = returned_application(client, world)
    audit = client.post(
        "/api/v1/audits",
        json={
            "producer_id": world.producer_a_id,
            "indication_id": 1,
            "audit_date": (date.today() - timedelta(days=2)).isoformat(),
            "officials": ["检查员甲"],
            "result": "minor_nonconformity",
            "findings": "标志位置不规范",
            "rectify_by": (date.today() + timedelta(days=20)).isoformat(),
        },
        headers=world.official,
    )
    assert audit.status_code == 201, audit.text
    document = client.get(f"/api/v1/renewals/{renewal}", headers=world.producer_a).json()["documents"][0][
        "id"
    ]

    own = browser(client, "producer-a")
    audits = own.get("/producer/audits?lang=zh")
    seen = visible_text(audits.text, Lang.zh).text
    assert "轻微不符合" in seen and "标志位置不规范" in seen
    assert (date.today() + timedelta(days=20)).isoformat() in seen  # what must be rectified by when

    other = browser(client, "producer-b")
    assert other.get(f"/producer/applications/{renewal}").status_code == 404
    assert other.get(f"/producer/documents/{document}").status_code == 404
    assert "标志位置不规范" not in other.get("/producer/audits").text
    assert f"/producer/applications/{renewal}" not in other.get("/producer").text
    page = other.get("/producer")
    refused = other.post(
        f"/producer/applications/{renewal}/resubmit",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("x.pdf", PDF, "application/pdf"))],
    )
    assert refused.status_code == 404
    assert client.get(f"/api/v1/renewals/{renewal}", headers=world.official).json()["status"] == "returned"


def test_officials_and_the_public_are_kept_out(client: TestClient, world: World) -> None:
    renewal = returned_application(client, world)
    for path in ("/producer/audits", "/producer/calendar", f"/producer/applications/{renewal}"):
        assert client.get(path, follow_redirects=False).headers["location"].startswith("/login")
    official = browser(client, "official")
    assert official.get(f"/producer/applications/{renewal}").status_code == 403
    page = official.get("/login")
    refused = official.post(
        f"/producer/applications/{renewal}/resubmit",
        data={"csrf": csrf_of(page.text)},
        files=[("documents", ("x.pdf", PDF, "application/pdf"))],
    )
    assert refused.status_code == 403


def test_the_calendar_page_and_feed_speak_the_page_language(
    client: TestClient,
    world: World,  # noqa: ARG001 - the accounts and the legacy authorization whose switch is due
) -> None:
    site = browser(client, "producer-a")
    page = site.get("/producer/calendar?lang=zh").text
    assert "添加已订阅的日历" in page  # how to add it to a phone
    address = re.search(r'id="calendar-address" value="([^"]+)"', page).group(1)
    assert address.endswith("?lang=zh")
    zh = site.get(address.replace("http://testserver", "")).text
    assert "SUMMARY:换用统一的地理标志专用标志" in zh and "Switch to the unified" not in zh
    en = site.get(address.replace("http://testserver", "").replace("lang=zh", "lang=en")).text
    assert "SUMMARY:Switch to the unified GI special mark" in en
