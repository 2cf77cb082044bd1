"""OGC items are served from snapshots per data version, with ETags: fast, and never stale after a write."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.indications.models import Indication

ITEMS = "/ogc/collections/indications/items"


def test_items_carry_an_etag_and_answer_304_when_unchanged(client: TestClient) -> None:
    first = client.get(ITEMS, params={"limit": 5})
    etag = first.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(ITEMS, params={"limit": 5}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other_page = client.get(ITEMS, params={"limit": 5, "offset": 5}, headers={"If-None-Match": etag})
    assert other_page.status_code == 200 and other_page.headers["etag"] != etag
    assert other_page.json()["features"][0]["id"] != first.json()["features"][0]["id"]


def test_one_feature_has_an_etag_too(client: TestClient) -> None:
    slug = client.get(ITEMS, params={"limit": 1}).json()["features"][0]["id"]
    answer = client.get(f"{ITEMS}/{slug}")
    assert answer.status_code == 200 and answer.json()["id"] == slug
    assert answer.json()["links"][0]["rel"] == "self"
    assert client.get(f"{ITEMS}/{slug}", headers={"If-None-Match": answer.headers["etag"]}).status_code == 304


def test_a_logged_write_is_seen_at_once_and_changes_the_etag(client: TestClient, session: Session) -> None:
    before = client.get(ITEMS, params={"limit": 1})
    slug = before.json()["features"][0]["id"]
    indication = session.exec(select(Indication).where(Indication.slug == slug)).one()
    apply_changes(
        session,
        ChangeSet(actor="test", reason="cache test"),
        "indication",
        indication,
        {"name_en": "Renamed for the cache test"},
    )
    session.commit()
    after = client.get(ITEMS, params={"limit": 1}, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["features"][0]["properties"]["name_en"] == "Renamed for the cache test"
    assert after.headers["etag"] != before.headers["etag"]
    one = client.get(f"{ITEMS}/{slug}").json()
    assert one["properties"]["name_en"] == "Renamed for the cache test"


def test_cached_pages_still_filter_and_page_exactly(client: TestClient) -> None:
    everything = client.get(ITEMS, params={"limit": 1000}).json()
    ids = []
    url, params = ITEMS, {"limit": 7}
    while url:
        page = client.get(url, params=params).json()
        ids += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
        params = None
    assert ids == [f["id"] for f in everything["features"]]
    boxed = client.get(ITEMS, params={"bbox": "113.0,29.3,113.2,29.5", "limit": 1000}).json()
    assert 0 < boxed["numberMatched"] < everything["numberMatched"]
