"""Special-mark application pages: the same scoping and refusals as the API, said on the page."""

import pytest
from fastapi.testclient import TestClient

from tests.domains.test_special_mark import PINGJIANG, _file, _gi, _step
from tests.domains.test_special_mark import desk as desk  # noqa: F401 - the fixture
from tests.web.test_web_casework import browser_sign_in
from tests.web.test_web_officials import csrf_of


@pytest.fixture
def filed(client: TestClient, desk: dict) -> int:  # noqa: F811
    response = _file(client, desk["producer"], _gi(client, "yueyang-huangcha"))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _browser(client: TestClient, username: str) -> TestClient:
    browser = TestClient(client.app)
    browser_sign_in(browser, username)
    return browser


def test_a_county_official_finds_its_countys_application_and_not_another_countys(
    client: TestClient, filed: int
) -> None:
    own = _browser(client, "pingjiang-official")
    queue = own.get("/officials/mark-applications?lang=zh")
    assert f"/officials/mark-applications/{filed}" in queue.text
    other = _browser(client, "yueyang-county-official")
    assert f"/officials/mark-applications/{filed}" not in other.get("/officials/mark-applications").text
    page = other.get(f"/officials/mark-applications/{filed}?lang=en")
    assert page.status_code == 404 and "No such application that you can see." in page.text
    # Its own county's file shows no steps: the initial review of this GI is the city's.
    case = own.get(f"/officials/mark-applications/{filed}?lang=zh")
    assert 'id="steps"' not in case.text and "此申请当前没有由您办理的步骤" in case.text


def test_a_refused_step_re_renders_the_page_with_the_reason_and_what_was_typed(
    client: TestClient,
    filed: int,
    desk: dict,  # noqa: F811
) -> None:
    _step(client, desk["city"], filed, "accept")
    city = _browser(client, "city-official")
    page = city.get(f"/officials/mark-applications/{filed}?lang=en")
    refused = city.post(
        f"/officials/mark-applications/{filed}/steps?lang=en",
        data={
            "csrf": csrf_of(page.text),
            "seen_status": "initial_review",
            "step": "forward",
            "reason": "passes",
        },
    )
    assert refused.status_code == 409
    assert "Record an on-site check that found the producer conforming first." in refused.text
    assert ">passes</textarea>" in refused.text
    # A reason too short is a field error, not a 500.
    short = city.post(
        f"/officials/mark-applications/{filed}/steps?lang=zh",
        data={"csrf": csrf_of(page.text), "seen_status": "initial_review", "step": "refuse", "reason": "x"},
    )
    assert short.status_code == 422 and 'id="reason-error"' in short.text
    # A page opened before someone else moved the file says so instead of acting.
    stale = city.post(
        f"/officials/mark-applications/{filed}/steps?lang=en",
        data={"csrf": csrf_of(page.text), "seen_status": "submitted", "step": "refuse", "reason": "too late"},
    )
    assert stale.status_code == 409 and "Someone else has moved this application" in stale.text
    # Without the form's token nothing happens.
    forged = city.post(
        f"/officials/mark-applications/{filed}/steps",
        data={"seen_status": "initial_review", "step": "refuse", "reason": "forged form"},
    )
    assert forged.status_code == 403
    assert (
        client.get(f"/api/v1/mark-applications/{filed}", headers=desk["city"]).json()["status"]
        == "initial_review"
    )


def test_delegation_to_a_place_that_is_not_a_county_of_yueyang_is_refused_in_words(
    client: TestClient,
    filed: int,
    desk: dict,  # noqa: F811
) -> None:
    _step(client, desk["city"], filed, "accept")
    city = _browser(client, "city-official")
    page = city.get(f"/officials/mark-applications/{filed}?lang=zh")
    refused = city.post(
        f"/officials/mark-applications/{filed}/delegation?lang=zh",
        data={"csrf": csrf_of(page.text), "county_code": "110101", "delegation_reason": "委托核查"},
    )
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    done = city.post(
        f"/officials/mark-applications/{filed}/delegation?lang=zh",
        data={"csrf": csrf_of(page.text), "county_code": PINGJIANG, "delegation_reason": "委托核查"},
        follow_redirects=False,
    )
    assert done.status_code == 303


def test_a_producer_files_on_its_page_and_a_missing_document_is_said_in_its_language(
    client: TestClient,
    desk: dict,  # noqa: F811
) -> None:
    producer = _browser(client, "producer-c")
    form = producer.get("/producer/mark-applications/new?lang=en")
    assert form.status_code == 200
    gi = str(_gi(client, "yueyang-huangcha"))
    without = producer.post(
        "/producer/mark-applications/new?lang=en",
        data={
            "csrf": csrf_of(form.text),
            "kind": "first_use",
            "indication_id": gi,
            "basis": "protected_product",
        },
    )
    assert without.status_code == 422
    assert 'role="alert"' in without.text and "invalid_upload" not in without.text
    assert client.get("/api/v1/mark-applications", headers=desk["producer"]).json()["data"] == []
    # An official's page is not the producer's.
    assert producer.get("/officials/mark-applications").status_code == 403


def test_notices_download_for_whoever_may_see_the_application(
    client: TestClient,
    filed: int,
    desk: dict,  # noqa: F811
) -> None:
    _step(client, desk["city"], filed, "accept")
    producer = _browser(client, "producer-c")
    notice = producer.get(f"/producer/mark-applications/{filed}/notices/acceptance")
    assert notice.status_code == 200 and notice.content[:2] == b"PK"
    assert producer.get(f"/producer/mark-applications/{filed}/notices/non_acceptance").status_code == 404
    other = _browser(client, "yueyang-county-official")
    assert other.get(f"/officials/mark-applications/{filed}/notices/acceptance").status_code == 404
