"""Officials correct GIs, protections and standards, each change logged with its reason and sources."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.workflow import SOURCE, World, build_world


@pytest.fixture
def world(client: TestClient, session: Session) -> World:
    return build_world(client, session)


def test_protection_correction_is_logged_old_to_new_with_its_source(client: TestClient, world: World) -> None:
    gi = client.get("/api/v1/indications/linxiang-heicha").json()
    protection = gi["protections"][0]
    body = {
        "number": "TM-TEST-0001",
        "registration_date": "2015-04-23",
        "reason": "from the certificate",
        "sources": [{"document": "scan of the certificate (test)", "confidence": "H", "fields": ["number"]}],
    }
    response = client.patch(f"/api/v1/protections/{protection['id']}", json=body, headers=world.official)
    assert response.status_code == 200, response.text
    updated = next(p for p in response.json()["protections"] if p["id"] == protection["id"])
    assert updated["number"] == "TM-TEST-0001"
    assert updated["trademark_term"]["term_end"] == "2025-04-22"  # computed from the new exact date
    assert len(updated["sources"]) == len(protection["sources"]) + 1
    history = client.get("/api/v1/history", params={"entity": "protection", "id": protection["id"]}).json()[
        "data"
    ]
    rows = [(r["field"], r["old_value"], r["new_value"], r["reason"]) for r in history]
    assert ("number", None, "TM-TEST-0001", "from the certificate") in rows


def test_indication_rename_updates_search(client: TestClient, world: World) -> None:
    body = {
        "name_en": "Linxiang dark tea (brick)",
        "reason": "English name used by the holder",
        "sources": SOURCE,
    }
    assert (
        client.patch("/api/v1/indications/linxiang-heicha", json=body, headers=world.official).status_code
        == 200
    )
    found = client.get("/api/v1/indications", params={"q": "brick"}).json()["data"]
    assert [g["slug"] for g in found] == ["linxiang-heicha"]


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/indications/linxiang-heicha", {"notes": "x", "reason": "test"}, 422),  # no sources
        ("/api/v1/indications/linxiang-heicha", {"reason": "nothing", "sources": SOURCE}, 422),  # no field
        ("/api/v1/indications/linxiang-heicha", {"category": None, "reason": "test", "sources": SOURCE}, 422),
        (
            "/api/v1/indications/linxiang-heicha",
            {"name_zh": "岳阳黄茶", "reason": "test", "sources": SOURCE},
            409,
        ),
        ("/api/v1/indications/no-such-gi", {"notes": "x", "reason": "test", "sources": SOURCE}, 404),
        ("/api/v1/protections/99999", {"notes": "x", "reason": "test", "sources": SOURCE}, 404),
        ("/api/v1/standards/1", {"number": "T/YYSCX 005-2022", "reason": "test", "sources": SOURCE}, 409),
        ("/api/v1/standards/1", {"issued": "2022-13", "reason": "test", "sources": SOURCE}, 422),
    ],
)
def test_bad_edits_are_refused_and_change_nothing(
    client: TestClient, world: World, path: str, body: dict, status: int
) -> None:
    before = client.get("/api/v1/indications/linxiang-heicha").json()
    assert client.patch(path, json=body, headers=world.official).status_code == status
    assert client.get("/api/v1/indications/linxiang-heicha").json() == before


def test_only_officials_edit(client: TestClient, world: World) -> None:
    body = {"notes": "x", "reason": "test", "sources": SOURCE}
    assert client.patch("/api/v1/indications/linxiang-heicha", json=body).status_code == 401
    assert (
        client.patch("/api/v1/indications/linxiang-heicha", json=body, headers=world.producer_a).status_code
        == 403
    )
    assert (
        client.patch(
            "/api/v1/standards/1", json=body | {"scope_zh": "x"}, headers=world.producer_a
        ).status_code
        == 403
    )


def test_standard_text_upload_and_superseded_audits(client: TestClient, world: World) -> None:
    from datetime import date, timedelta

    from tests.workflow import PDF, PNG

    url = "/api/v1/standards/1/document"
    refused = client.post(url, files={"document": ("text.png", PNG, "image/png")}, headers=world.official)
    assert refused.status_code == 422
    attached = client.post(
        url, files={"document": ("T-YYSCX-001-2022.pdf", PDF, "application/pdf")}, headers=world.official
    )
    assert attached.status_code == 200
    link = attached.json()["file_path"]
    assert client.get(link).content == PDF  # the text of a standard is public
    assert (
        client.post(url, files={"document": ("x.pdf", PDF, None)}, headers=world.producer_a).status_code
        == 403
    )

    audit = client.post(
        "/api/v1/audits",
        json={
            "producer_id": world.producer_a_id,
            "indication_id": 1,
            "standard_id": 1,
            "officials": ["张三"],
            "audit_date": (date.today() - timedelta(days=1)).isoformat(),
            "result": "compliant",
        },
        headers=world.official,
    ).json()
    assert audit["standard_superseded"] is False
    new_version = {
        "title_zh": "岳阳黄茶（新版，测试）",
        "kind": "group",
        "number": "T/YYSCX 001-2098",
        "supersedes_number": "T/YYSCX 001-2022",
        "indication_ids": [1],
        "reason": "new version",
        "sources": SOURCE,
    }
    assert client.post("/api/v1/standards", json=new_version, headers=world.official).status_code == 201
    assert (
        client.get(f"/api/v1/audits/{audit['id']}", headers=world.official).json()["standard_superseded"]
        is True
    )
