"""The officials' casework pages (applications, reports, audits, producers and authorizations), zh and en."""

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.settings import Settings
from gi_registry.demo.service import load_demo
from gi_registry.http.app import create_app
from tests.factories import make_uscc
from tests.web.test_web_officials import csrf_of
from tests.workflow import PASSWORD, PDF, PNG, SOURCE, World, bearer, build_world, submit


def browser_sign_in(client: TestClient, username: str) -> None:
    """Sign a TestClient in on the website (session cookie)."""
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def _application(client: TestClient, world: World) -> int:
    response = submit(client, world.producer_a, world.authorization_id)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_the_queue_links_each_application_and_shows_its_state_in_words(
    client: TestClient, world: World
) -> None:
    renewal_id = _application(client, world)
    browser_sign_in(client, "official")
    desk = client.get("/officials?lang=zh")
    assert 'href="/officials/applications?lang=zh"' in desk.text
    queue = client.get("/officials/applications?lang=zh")
    assert queue.status_code == 200
    assert f'href="/officials/applications/{renewal_id}?lang=zh"' in queue.text
    assert "已提交" in queue.text and "甲合作社（合成）" in queue.text and "共 1 件" in queue.text
    assert ">submitted<" not in queue.text
    english = client.get("/officials/applications?lang=en&status=approved")
    assert "0 in all" in english.text and "Submitted" in english.text  # the filter's choices


def test_an_official_reviews_then_returns_with_a_reason_and_the_history_says_so(
    client: TestClient, world: World
) -> None:
    renewal_id = _application(client, world)
    browser_sign_in(client, "official")
    page = client.get(f"/officials/applications/{renewal_id}?lang=en")
    assert page.status_code == 200
    assert "application.pdf" in page.text and "within 10 working days" in page.text
    assert 'value="review"' in page.text and 'value="return"' in page.text
    assert 'value="approve"' not in page.text  # approval comes after the review has started
    document = re.search(r'href="(/documents/\d+)"', page.text).group(1)
    opened = client.get(document)
    assert opened.status_code == 200 and opened.content == PDF

    form = {
        "csrf": csrf_of(page.text),
        "seen_status": "submitted",
        "decision": "review",
        "reason": "收到，开始审查",
    }
    step = client.post(f"/officials/applications/{renewal_id}?lang=en", data=form, follow_redirects=False)
    assert step.status_code == 303
    page = client.get(step.headers["location"])
    assert "Saved." in page.text and "Under review" in page.text and 'value="approve"' in page.text

    returned = client.post(
        f"/officials/applications/{renewal_id}?lang=zh",
        data=form | {"seen_status": "under_review", "decision": "return", "reason": "请补充检测报告"},
    )
    assert returned.status_code == 200 and "已退回补正" in returned.text
    assert "请补充检测报告" in returned.text and "等待生产者补正" in returned.text
    history = returned.text.split('id="history"')[1]
    assert (
        "工作人员 official" in history and "已提交 → 审查中" in history and "审查中 → 已退回补正" in history
    )
    assert (
        client.get(f"/api/v1/renewals/{renewal_id}", headers=world.producer_a).json()["status"] == "returned"
    )


def test_a_refused_decision_is_shown_again_with_the_message_and_what_was_typed(
    client: TestClient, world: World
) -> None:
    renewal_id = _application(client, world)
    browser_sign_in(client, "official")
    page = client.get(f"/officials/applications/{renewal_id}?lang=zh")
    form = {"csrf": csrf_of(page.text), "seen_status": "submitted", "decision": "return", "reason": "缺"}
    refused = client.post(f"/officials/applications/{renewal_id}?lang=zh", data=form)
    assert refused.status_code == 422
    assert "太短：至少 3 个字。" in refused.text and ">缺</textarea>" in refused.text
    assert (
        client.get(f"/api/v1/renewals/{renewal_id}", headers=world.official).json()["status"] == "submitted"
    )


def test_a_step_another_official_took_meanwhile_is_explained_not_a_raw_409(
    client: TestClient, world: World
) -> None:
    renewal_id = _application(client, world)
    browser_sign_in(client, "official")
    page = client.get(f"/officials/applications/{renewal_id}?lang=en")
    # Another official starts the review over the API while this page is open.
    other = client.post(
        f"/api/v1/renewals/{renewal_id}/decision",
        json={"decision": "review", "reason": "taken by a colleague"},
        headers=world.official,
    )
    assert other.status_code == 200
    form = {"csrf": csrf_of(page.text), "seen_status": "submitted", "decision": "return", "reason": "missing"}
    late = client.post(f"/officials/applications/{renewal_id}?lang=en", data=form)
    assert late.status_code == 409
    assert (
        "Another official acted on this application before you" in late.text and "“Under review”" in late.text
    )
    assert 'value="approve"' in late.text  # the steps of the state it has now


def test_producers_and_the_public_cannot_open_the_casework_pages(client: TestClient, world: World) -> None:
    renewal_id = _application(client, world)
    assert client.get(f"/officials/applications/{renewal_id}", follow_redirects=False).status_code == 303
    browser_sign_in(client, "producer-b")
    assert client.get(f"/officials/applications/{renewal_id}").status_code == 403
    page = client.get("/login")  # any page, for a token of this session
    forged = client.post(
        f"/officials/applications/{renewal_id}",
        data={"csrf": csrf_of(page.text), "seen_status": "submitted", "decision": "return", "reason": "nope"},
    )
    assert forged.status_code == 403
    assert (
        client.get(f"/api/v1/renewals/{renewal_id}", headers=world.official).json()["status"] == "submitted"
    )


def test_a_producer_cannot_open_another_producers_document(client: TestClient, world: World) -> None:
    renewal_id = _application(client, world)
    document_id = client.get(f"/api/v1/renewals/{renewal_id}", headers=world.official).json()["documents"][0][
        "id"
    ]
    browser_sign_in(client, "producer-b")
    assert client.get(f"/documents/{document_id}").status_code == 404
    browser_sign_in(client, "producer-a")
    assert client.get(f"/documents/{document_id}").content == PDF


def _report(client: TestClient) -> str:
    page = client.get("/verify")
    sent = client.post(
        "/verify/report",
        data={
            "csrf": csrf_of(page.text),
            "location": "岳阳市某超市",
            "description": "包装上的标志与官方不同",
            "indication": "yueyang-huangcha",
            "contact": "13800000000",
        },
        files={"photo": ("label.png", PNG, "image/png")},
    )
    assert sent.status_code == 200, sent.text
    return re.search(r"<strong>(GI-[A-Z0-9]+)</strong>", sent.text.split('id="report-reference"')[1]).group(1)


@pytest.mark.usefixtures("world")  # the official's account
def test_a_report_is_triaged_and_closed_and_the_reporter_sees_the_outcome(client: TestClient) -> None:
    reference = _report(client)
    status_page = client.get(f"/reports?reference={reference}&lang=zh")
    assert status_page.status_code == 200 and "新收到" in status_page.text and "尚未办结" in status_page.text

    browser_sign_in(client, "official")
    listed = client.get("/officials/reports?lang=zh")
    assert 'href="/officials/reports?lang=zh"' in client.get("/officials?lang=zh").text
    case_link = re.search(r'href="(/officials/reports/\d+)\?lang=zh">' + reference, listed.text).group(1)
    case = client.get(f"{case_link}?lang=zh")
    assert "岳阳市某超市" in case.text and "13800000000" in case.text and '<img src="/documents/' in case.text
    photo = re.search(r'<img src="(/documents/\d+)"', case.text).group(1)
    assert client.get(photo).content == PNG

    no_outcome = client.post(f"{case_link}?lang=zh", data={"csrf": csrf_of(case.text), "status": "closed"})
    assert no_outcome.status_code == 422 and "办结举报需要填写处理结果。" in no_outcome.text
    step = client.post(f"{case_link}?lang=en", data={"csrf": csrf_of(case.text), "status": "investigating"})
    assert step.status_code == 200 and "Being investigated" in step.text
    closed = client.post(
        f"{case_link}?lang=en",
        data={"csrf": csrf_of(case.text), "status": "closed", "outcome": "已责令商家下架并立案调查"},
    )
    assert closed.status_code == 200 and "This report is closed." in closed.text
    assert "New → Being investigated" in closed.text and "Being investigated → Closed" in closed.text

    client.cookies.clear()
    followed = client.get(f"/reports?reference={reference.lower()}&lang=en")
    assert "Closed" in followed.text and "已责令商家下架并立案调查" in followed.text
    assert "13800000000" not in followed.text  # the reporter's contact is for officials only
    assert client.get("/reports?reference=NOSUCH&lang=en").status_code == 404


def test_an_audit_with_a_major_nonconformity_suspends_and_is_followed_up_and_closed(
    client: TestClient, world: World
) -> None:
    browser_sign_in(client, "official")
    audits = client.get("/officials/audits?lang=zh")
    assert 'href="/officials/audits?lang=zh"' in client.get("/officials?lang=zh").text
    assert 'href="/officials/audits/new?lang=zh"' in audits.text
    form = client.get("/officials/audits/new?lang=zh")
    assert "甲合作社（合成）" in form.text
    body = {
        "csrf": csrf_of(form.text),
        "producer_id": str(world.producer_a_id),
        "indication_id": "1",
        "audit_date": "2026-11-20",
        "officials": "王明、李华",
        "item_0": "包装使用专用标志",
        "passed_0": "no",
        "note_0": "使用旧版标志",
        "result": "major_nonconformity",
        "findings": "产品包装仍印旧版标志",
        "suspend_authorization": "on",
    }
    refused = client.post("/officials/audits/new?lang=zh", data=body)
    assert refused.status_code == 422
    assert "有不符合项时须填写整改期限。" in refused.text and 'value="王明、李华"' in refused.text
    recorded = client.post("/officials/audits/new?lang=zh", data=body | {"rectify_by": "2026-12-20"})
    assert recorded.status_code == 200, recorded.text
    assert "严重不符合" in recorded.text and "2026-12-20" in recorded.text and "王明、李华" in recorded.text
    authorization = client.get(f"/api/v1/authorizations/{world.authorization_id}").json()
    assert authorization["status"] == "suspended"

    case_path = re.search(
        r'action="(/officials/audits/\d+)\?lang=zh" class="stack" id="follow-up"', recorded.text
    )
    closed = client.post(
        f"{case_path.group(1)}?lang=en",
        data={"csrf": csrf_of(recorded.text), "follow_up": "New packaging checked on site", "closed": "on"},
    )
    assert closed.status_code == 200 and "Saved." in closed.text and 'id="follow-up"' not in closed.text
    assert "Follow-up" in closed.text and "closed: no → yes" in closed.text
    assert "0 in all" in client.get("/officials/audits?lang=en").text  # open ones only
    assert "1 in all" in client.get("/officials/audits?show=all&lang=en").text


SOURCE_FORM = {"source_document": "岳阳县市场监管局批复（合成）", "source_confidence": "H"}


@pytest.mark.usefixtures("world")  # the official's account and two producers
def test_an_official_adds_a_producer_with_the_code_checked_as_typed(client: TestClient) -> None:
    browser_sign_in(client, "official")
    assert 'href="/officials/producers?lang=zh"' in client.get("/officials?lang=zh").text
    listed = client.get("/officials/producers?lang=zh")
    assert 'href="/officials/producers/new?lang=zh"' in listed.text and "甲合作社（合成）" in listed.text
    form = client.get("/officials/producers/new?lang=zh")
    assert "华容县" in form.text and "<optgroup" in form.text  # counties and their townships to choose from
    body = {
        "csrf": csrf_of(form.text),
        "name_zh": "丙茶叶合作社（合成）",
        "uscc": "92430626MA4L0P7K0X",
        "county_code": "430626",
        "reason": "新申请用标的生产者",
    }
    refused = client.post("/officials/producers/new?lang=zh", data=body)
    assert refused.status_code == 422
    assert "统一社会信用代码无效" in refused.text and "请给出来源" in refused.text
    assert 'value="丙茶叶合作社（合成）"' in refused.text and 'value="92430626MA4L0P7K0X"' in refused.text
    good = client.post(
        "/officials/producers/new?lang=zh",
        data=body | SOURCE_FORM | {"uscc": make_uscc(division="430626", org_body="TEMP0003")},
    )
    assert good.status_code == 200 and "已保存。" in good.text and "丙茶叶合作社（合成）" in good.text
    assert "新建记录" in good.text.split('id="history"')[1]

    edit_link = re.search(r'href="(/officials/producers/\d+/edit)\?lang=zh"', good.text).group(1)
    edit_form = client.get(f"{edit_link}?lang=en")
    assert 'value="丙茶叶合作社（合成）"' in edit_form.text
    edited = client.post(
        f"{edit_link}?lang=en",
        data={
            "csrf": csrf_of(edit_form.text),
            "name_zh": "丙茶叶专业合作社（合成）",
            "uscc": make_uscc(division="430626", org_body="TEMP0003"),
            "county_code": "430626",
            "reason": "full registered name",
        }
        | SOURCE_FORM,
    )
    shown = re.sub(r"<[^>]+>", "", edited.text)  # Chinese names are marked with lang on an English page
    assert edited.status_code == 200 and "丙茶叶合作社（合成） → 丙茶叶专业合作社（合成）" in shown


def test_an_official_records_suspends_and_switches_authorizations(client: TestClient, world: World) -> None:
    browser_sign_in(client, "official")
    page = client.get(f"/officials/producers/{world.producer_b_id}?lang=en")
    assert page.status_code == 200 and 'id="new-authorization"' in page.text
    created = client.post(
        f"/officials/producers/{world.producer_b_id}/authorizations?lang=en",
        data={
            "csrf": csrf_of(page.text),
            "indication_id": "1",
            "label_version": "legacy",
            "authorized": "2019-06",
            "reason": "recorded from the approval",
        }
        | SOURCE_FORM,
    )
    assert created.status_code == 200 and "Old special mark (before 2020)" in created.text
    authorization_id = int(re.search(r'action="/officials/authorizations/(\d+)\?', created.text).group(1))
    again = client.post(
        f"/officials/producers/{world.producer_b_id}/authorizations?lang=en",
        data={"csrf": csrf_of(page.text), "indication_id": "1", "label_version": "unified", "reason": "twice"}
        | SOURCE_FORM,
    )
    assert again.status_code == 422 and "already holds an authorization for this GI" in again.text

    def act(action: str, **extra: str):  # noqa: ANN202
        return client.post(
            f"/officials/authorizations/{authorization_id}?lang=zh",
            data={"csrf": csrf_of(page.text), "action": action, "reason": f"{action} after review"}
            | SOURCE_FORM
            | extra,
        )

    switched = act("switch")
    assert switched.status_code == 200 and "统一专用标志（2020年起）" in switched.text
    assert client.get(f"/api/v1/authorizations/{authorization_id}").json()["label_version"] == "unified"
    suspended = act("suspend")
    assert "有效 → 暂停使用" in suspended.text
    assert client.get(f"/api/v1/authorizations/{authorization_id}").json()["status"] == "suspended"
    no_source = client.post(
        f"/officials/authorizations/{authorization_id}?lang=zh",
        data={"csrf": csrf_of(page.text), "action": "revoke", "reason": "no source given"},
    )
    assert no_source.status_code == 422 and "请给出来源" in no_source.text
    assert client.get(f"/api/v1/authorizations/{authorization_id}").json()["status"] == "suspended"
    assert act("revoke").status_code == 200
    reinstated = act("reinstate")
    assert reinstated.status_code == 422 and "该核准已撤销，不能恢复" in reinstated.text


def test_the_api_corrects_producers_and_changes_authorizations_for_officials_only(
    client: TestClient, world: World
) -> None:
    body = {"name_en": "Jia Cooperative", "reason": "English name from its licence", "sources": SOURCE}
    assert (
        client.patch(
            f"/api/v1/producers/{world.producer_a_id}", json=body, headers=world.producer_a
        ).status_code
        == 403
    )
    edited = client.patch(f"/api/v1/producers/{world.producer_a_id}", json=body, headers=world.official)
    assert edited.status_code == 200 and edited.json()["name_en"] == "Jia Cooperative"
    bad = client.patch(
        f"/api/v1/producers/{world.producer_a_id}", json=body | {"uscc": "123"}, headers=world.official
    )
    assert bad.status_code == 422
    change = {"status": "suspended", "reason": "audit finding", "sources": SOURCE}
    path = f"/api/v1/authorizations/{world.authorization_id}"
    assert client.patch(path, json=change, headers=world.producer_a).status_code == 403
    assert client.patch(path, json=change, headers=world.official).json()["status"] == "suspended"
    computed = client.patch(path, json=change | {"status": "switch_required"}, headers=world.official)
    assert computed.status_code == 422


@pytest.mark.usefixtures("world")
def test_an_official_corrects_a_date_with_a_source_after_checking_old_against_new(client: TestClient) -> None:
    browser_sign_in(client, "official")
    assert 'href="/officials/records?lang=zh"' in client.get("/officials?lang=zh").text
    index = client.get("/officials/records?lang=zh")
    protection_path = re.search(
        r'href="/officials/records/indication/changle-tianjiu\?lang=zh">[^<]*</a>\s*· <a href="([^"?]+)',
        index.text,
    ).group(1)
    form = client.get(f"{protection_path}?lang=zh")
    assert 'value="2016-11"' in form.text
    body = {
        "csrf": csrf_of(form.text),
        "registration_date": "2016-11-18",
        "reason": "公告原文给出具体日期",
        "source_url": "https://example.gov.cn/announcement",
        "source_confidence": "H",
        "step": "check",
    }
    check = client.post(f"{protection_path}?lang=zh", data=body)
    assert check.status_code == 200 and 'id="changes"' in check.text
    changes = check.text.split('id="changes"')[1].split("</table>")[0]
    assert "登记/批准日期" in changes and "2016-11" in changes and "2016-11-18" in changes
    assert changes.count("<tr>") == 2  # the header and the one field that changed
    before = client.get("/api/v1/indications/changle-tianjiu").json()["protections"][0]["registration_date"]
    assert before == "2016-11"  # nothing is saved by checking

    no_source = client.post(f"{protection_path}?lang=zh", data=body | {"source_url": "", "step": "confirm"})
    assert no_source.status_code == 422 and "请给出来源" in no_source.text
    saved = client.post(f"{protection_path}?lang=zh", data=body | {"step": "confirm"})
    assert saved.status_code == 200 and "已保存。" in saved.text
    assert "2016-11 → 2016-11-18" in saved.text.split('id="history"')[1]
    assert "公告原文给出具体日期" in saved.text.split('id="history"')[1]
    public = client.get("/indications/changle-tianjiu?lang=zh")
    assert "2016-11-18" in public.text
    history = client.get(
        "/api/v1/history", params={"entity": "protection", "id": protection_path.rsplit("/", 1)[1]}
    )
    assert any(row["new_value"] == "2016-11-18" for row in history.json()["data"])


@pytest.mark.usefixtures("world")
def test_an_official_adds_a_standard_and_attaches_its_text(client: TestClient) -> None:
    browser_sign_in(client, "official")
    form = client.get("/officials/records/standards/new?lang=en")
    body = {
        "csrf": csrf_of(form.text),
        "number": "T/YYGI 001-2026",
        "title_zh": "地理标志产品 测试标准（合成）",
        "kind": "group",
        "issued": "2026-13",
        "reason": "new group standard",
        "source_document": "synthetic test document",
        "source_confidence": "L",
    }
    refused = client.post("/officials/records/standards/new?lang=en", data=body)
    assert refused.status_code == 422 and "Give the date as YYYY, YYYY-MM or YYYY-MM-DD" in refused.text
    created = client.post("/officials/records/standards/new?lang=en", data=body | {"issued": "2026-11"})
    assert created.status_code == 200 and "Saved." in created.text and "T/YYGI 001-2026" in created.text
    text = client.post(
        created.url.path + "/text?lang=en",
        data={"csrf": csrf_of(created.text)},
        files={"document": ("standard.pdf", PDF, "application/pdf")},
    )
    assert text.status_code == 200 and "Open the text" in text.text
    not_pdf = client.post(
        created.url.path + "/text?lang=en",
        data={"csrf": csrf_of(created.text)},
        files={"document": ("standard.png", PNG, "image/png")},
    )
    assert not_pdf.status_code == 422 and "The text must be a PDF" in not_pdf.text


def test_an_admin_creates_a_producer_account_which_can_then_sign_in(
    client: TestClient, session: Session, world: World
) -> None:
    auth_service.create_user(
        session, username="admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="test"
    )
    browser_sign_in(client, "official")
    assert "/officials/accounts" not in client.get("/officials?lang=zh").text
    assert client.get("/officials/accounts").status_code == 403
    browser_sign_in(client, "admin")
    assert 'href="/officials/accounts?lang=zh"' in client.get("/officials?lang=zh").text
    page = client.get("/officials/accounts?lang=zh")
    body = {"csrf": csrf_of(page.text), "username": "bing-coop", "password": "short", "role": "producer"}
    refused = client.post("/officials/accounts?lang=zh", data=body)
    assert (
        refused.status_code == 422
        and "密码至少 10 个字符。" in refused.text
        and 'value="bing-coop"' in refused.text
    )
    no_producer = client.post("/officials/accounts?lang=zh", data=body | {"password": "a long enough one"})
    assert no_producer.status_code == 422 and "生产者账户须选择其代表的生产者。" in no_producer.text
    created = client.post(
        "/officials/accounts?lang=zh",
        data=body | {"password": "a long enough one", "producer_id": str(world.producer_b_id)},
    )
    assert created.status_code == 200 and "已保存。" in created.text and "乙合作社（合成）" in created.text
    assert "创建账户" in created.text.split('id="history"')[1]

    client.cookies.clear()
    form = client.get("/login")
    signed = client.post(
        "/login",
        data={"username": "bing-coop", "password": "a long enough one", "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/producer"

    client.cookies.clear()
    browser_sign_in(client, "admin")
    account_path = "/officials/accounts/" + re.search(
        r'href="/officials/accounts/(\d+)\?lang=en">bing-coop', client.get("/officials/accounts?lang=en").text
    ).group(1)
    account = client.get(f"{account_path}?lang=en")
    off = client.post(
        f"{account_path}?lang=en",
        data={"csrf": csrf_of(account.text), "action": "deactivate", "reason": "left the cooperative"},
    )
    assert off.status_code == 200 and "deactivated" in off.text and "account active: yes → no" in off.text
    assert (
        client.post(
            "/api/v1/auth/token", data={"username": "bing-coop", "password": "a long enough one"}
        ).status_code
        == 401
    )

    me = re.search(
        r'href="/officials/accounts/(\d+)\?lang=en">admin<', client.get("/officials/accounts?lang=en").text
    ).group(1)
    last = client.post(
        f"/officials/accounts/{me}?lang=en",
        data={"csrf": csrf_of(account.text), "action": "deactivate", "reason": "testing the guard"},
    )
    assert last.status_code == 409 and "change your own with the gi-registry users command" in last.text


def test_the_accounts_api_is_for_administrators(client: TestClient, session: Session, world: World) -> None:
    auth_service.create_user(
        session, username="admin", password=PASSWORD, role=Role.admin, producer_id=None, actor="test"
    )
    admin = bearer(client, "admin")
    body = {"username": "new-official", "password": "a long enough one", "role": "official"}
    assert client.post("/api/v1/users", json=body, headers=world.official).status_code == 403
    created = client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["is_active"] is True
    assert client.post("/api/v1/users", json=body, headers=admin).status_code == 409
    assert client.post("/api/v1/users", json=body | {"username": "x" * 61}, headers=admin).status_code == 422
    path = f"/api/v1/users/{created.json()['id']}"
    old_token = bearer(client, "new-official", "a long enough one")
    changed = client.patch(path, json={"password": "another long one", "reason": "forgotten"}, headers=admin)
    assert changed.status_code == 200
    assert client.get("/api/v1/auth/me", headers=old_token).status_code == 401  # a new password ends sessions
    assert bearer(client, "new-official", "another long one")
    assert len(client.get("/api/v1/users", headers=admin).json()["data"]) == 5


@pytest.mark.parametrize("demo_mode", [False, True])
def test_the_desk_counts_demo_records_by_one_rule_and_agrees_with_the_api(
    settings: Settings, engine: Engine, session: Session, demo_mode: bool
) -> None:
    load_demo(session, password=PASSWORD, today=date.today())
    with TestClient(create_app(settings.model_copy(update={"demo_mode": demo_mode}), engine)) as client:
        browser_sign_in(client, "demo-official")
        desk = client.get("/officials?lang=zh").text
        official = bearer(client, "demo-official")
        deadlines = client.get("/api/v1/deadlines", headers=official).json()["data"]
        queue = client.get("/api/v1/renewals", headers=official).json()["data"]
    listed = desk.split('id="deadlines"')[1].split("</ul>")[0]
    assert listed.count("<li") == max(len(deadlines), 1)  # one "none recorded" line when empty
    queue_rows = desk.split('id="queue"')[1].split("</table>")[0]
    assert queue_rows.count("/officials/applications/") == len(queue)
    switch_tables = desk.split('id="switch-by-gi"')[1].split('id="deadlines"')[0]
    demo_in_deadlines = any("演示数据" in (d["producer_name_zh"] or "") for d in deadlines)
    assert demo_in_deadlines is demo_mode and ("演示数据" in listed) is demo_mode
    assert (
        "尚无专用标志核准记录" in switch_tables
    ) is not demo_mode  # the demo's authorizations count only in demo mode
    assert (len(queue) == 1) is demo_mode
