"""What changed since: `modified_since` on lists, and the public change feed in JSON Feed and Atom."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import read_dataset
from tests.workflow import build_world, submit


def change_one_gi(session: Session, data: Path) -> None:
    path = data / "indications.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    records[1]["notes"] = "更正 (test correction)"
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_dataset(session, read_dataset(data), actor="official:test", reason="test correction")


def test_modified_since_lists_only_what_changed(
    client: TestClient, session: Session, data_copy: Path
) -> None:
    assert (
        client.get("/api/v1/indications", params={"modified_since": "2000-01-01T00:00:00"}).json()["count"]
        == 21
    )
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert client.get("/api/v1/indications", params={"modified_since": future}).json()["count"] == 0
    before = datetime.now(UTC).isoformat()
    change_one_gi(session, data_copy)
    changed = client.get("/api/v1/indications", params={"modified_since": before}).json()
    assert [i["slug"] for i in changed["data"]] == ["changle-tianjiu"]
    assert client.get("/api/v1/producers", params={"modified_since": before}).json()["count"] == 0
    assert client.get("/api/v1/standards", params={"modified_since": before}).json()["count"] == 0
    assert client.get("/api/v1/indications", params={"modified_since": "last week"}).status_code == 422


def test_json_and_atom_feeds_carry_public_changes_with_stable_ids(
    client: TestClient,
    session: Session,
    data_copy: Path,
) -> None:
    before = datetime.now(UTC).isoformat()
    change_one_gi(session, data_copy)
    world = build_world(client, session)
    submit(client, world.producer_a, world.authorization_id)

    feed = client.get("/api/v1/changes.json", params={"since": before}).json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    titles = [item["title"] for item in feed["items"]]
    assert any(title.startswith("indication 2: changed notes") for title in titles)
    assert any(title.startswith("producer_link ") for title in titles)  # the authorization
    assert not any(title.startswith(("renewal", "user")) for title in titles)  # private records stay out
    again = client.get("/api/v1/changes.json", params={"since": before}).json()
    assert [i["id"] for i in again["items"]] == [i["id"] for i in feed["items"]]

    atom = client.get("/api/v1/changes.atom", params={"since": before})
    assert atom.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert ids == [i["id"] for i in feed["items"]]
    assert "更正" in atom.content.decode("utf-8")
