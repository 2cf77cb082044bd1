"""The officials' area-upload page: the GCJ-02 question, the report, and who may use it."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from tests import boundary_files as files
from tests.web.test_web_officials import csrf_of, sign_in
from tests.workflow import PASSWORD


def _protection_id(client: TestClient) -> int:
    gi = client.get("/api/v1/indications/pingjiang-baizhu").json()
    return next(p["id"] for p in gi["protections"] if p["area"] is not None)


def _post(client: TestClient, content: bytes, target: str, **extra: str):  # noqa: ANN202
    form = client.get("/officials/areas?lang=en")
    assert form.status_code == 200
    data = {
        "csrf": csrf_of(form.text),
        "target": target,
        "valid_from": "2024-01-01",
        "reason": "delimitation map (test)",
        "source_document": "test fixture (synthetic shape)",
        "source_confidence": "L",
    } | extra
    return client.post("/officials/areas?lang=en", data=data, files={"file": ("a.geojson", content)})


def test_an_official_is_asked_about_gcj02_then_converts(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    sign_in(client, "li")
    assert 'href="/officials/areas' in client.get("/officials").text
    shifted = files.write(files.frame(files.gcj02_copy(files.PINGJIANG)), tmp_path, "geojson")
    target = str(_protection_id(client))
    asked = _post(client, shifted, target)
    assert asked.status_code == 422 and 'id="upload-error"' in asked.text and "GCJ-02" in asked.text
    stored = _post(client, shifted, target, gcj02="convert")
    assert stored.status_code == 201, stored.text
    assert 'id="area-report"' in stored.text and 'data-code="probably_gcj02"' in stored.text
    page = client.get("/indications/pingjiang-baizhu?lang=en").text
    # The GCJ-02 choice in words (issue 15: never the raw value "converted").
    assert 'data-basis="uploaded_area"' in page and "Converted from GCJ-02 to WGS84" in page


def test_the_page_refuses_producers_and_the_public(client: TestClient, session: Session) -> None:
    assert client.get("/officials/areas", follow_redirects=False).status_code == 303
    producer_id = client.get("/api/v1/producers").json()["data"][0]["id"]
    auth_service.create_user(
        session, username="p", password=PASSWORD, role=Role.producer, producer_id=producer_id, actor="t"
    )
    form = client.get("/login")
    client.post("/login", data={"username": "p", "password": PASSWORD, "csrf": csrf_of(form.text)})
    assert client.get("/officials/areas").status_code == 403


def test_a_refused_upload_keeps_what_the_official_typed(client: TestClient, session: Session) -> None:
    auth_service.create_user(
        session, username="li", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
    )
    sign_in(client, "li")
    response = _post(client, b"not a map", str(_protection_id(client)))
    assert response.status_code == 415
    assert 'value="delimitation map (test)"' in response.text
