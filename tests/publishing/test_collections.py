"""One collection registry feeds OGC, the exports and the maps: they list the same collections and, fetched
each through its own HTTP interface, carry the same features."""

from datetime import date

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlmodel import Session, select

from gi_registry.layers import store
from gi_registry.layers.collections import COLLECTIONS, EXPORTED, LAYERS, PUBLISHED
from gi_registry.producers.models import Producer

# How far a map geometry may lie from the full one: it is simplified (maps.data.SIMPLIFY_DEGREES) and
# its coordinates rounded to 5 decimals.
MAP_TOLERANCE = 0.0003 + 1e-5


def _ogc_items(client: TestClient, collection_id: str, **params: str) -> list[dict]:
    """Every feature of an OGC collection, following the next links."""
    features: list[dict] = []
    url: str | None = f"/ogc/collections/{collection_id}/items"
    query: dict[str, str] | None = {"limit": "1000", **params}
    while url:
        body = client.get(url, params=query).json()
        features += body["features"]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        query = None  # the next link carries its own query
    return features


def _export(client: TestClient, collection_id: str) -> list[dict]:
    response = client.get(f"/api/v1/exports/{collection_id}", params={"f": "geojson"})
    assert response.status_code == 200
    return response.json()["features"]


@pytest.fixture
def located(session: Session) -> list[int]:
    """Give three producers a location (as a bulk load would, which redraws the layers after)."""
    producers = session.exec(select(Producer).order_by(Producer.id).limit(3)).all()
    for i, producer in enumerate(producers):
        producer.lon, producer.lat = 112.9 + i / 10, 28.7 + i / 100
    session.commit()
    store.redraw_all(session)
    return [p.id for p in producers]


def test_ogc_lists_exactly_the_registry_s_published_collections(client: TestClient) -> None:
    listed = [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
    assert listed == list(PUBLISHED)
    for collection_id, collection in COLLECTIONS.items():
        found = client.get(f"/ogc/collections/{collection_id}")
        assert found.status_code == (200 if collection.ogc else 404)
        if collection.ogc:
            assert found.json()["title"] == collection.title


def test_exports_offer_exactly_the_registry_s_exported_collections(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    (parameter,) = (
        p for p in spec["paths"]["/api/v1/exports/{table}"]["get"]["parameters"] if p["name"] == "table"
    )
    assert parameter["description"] == f"One of: {', '.join(EXPORTED)}"
    for collection_id, collection in COLLECTIONS.items():
        for fmt in ("csv", "geojson", "gpkg", "xlsx"):
            response = client.get(f"/api/v1/exports/{collection_id}", params={"f": fmt})
            assert response.status_code == (200 if fmt in collection.export_formats else 404)
    assert client.get("/api/v1/exports/layer_feature").status_code == 404


def test_the_stored_layers_are_the_registry_s() -> None:
    assert list(LAYERS) == [c.layer.id for c in COLLECTIONS.values() if c.layer is not None]
    assert all(c.layer is not None for c in PUBLISHED.values())  # OGC serves stored features only


@pytest.mark.parametrize("collection_id", [i for i in PUBLISHED if i in EXPORTED])
def test_ogc_and_export_carry_the_same_features(
    client: TestClient, located: list[int], collection_id: str
) -> None:
    collection = COLLECTIONS[collection_id]
    ogc = _ogc_items(client, collection_id)
    exported = _export(client, collection_id)
    assert ogc, "a collection with no features proves nothing"
    assert [str(f["id"]) for f in ogc] == [str(f["id"]) for f in exported]
    for mine, theirs in zip(ogc, exported, strict=True):
        assert (mine["geometry"] is None) == (theirs["geometry"] is None)
        if mine["geometry"] is not None:
            assert shape(mine["geometry"]).equals_exact(shape(theirs["geometry"]), 0)
        if collection.table_row is None:
            assert mine["properties"] == theirs["properties"]
        else:  # a flat row: the same facts, lists joined
            ours, row = mine["properties"], theirs["properties"]
            assert row["indication_slug"] == ours["slug"]
            assert row["county_codes"] == ",".join(ours["county_codes"])
            for key in ("name_zh", "protection_id", "kind", "basis", "coordinate_range", "version_id"):
                assert row[key] == ours[key]
    if collection_id == "producers":
        assert sum(f["geometry"] is not None for f in ogc) == len(located)


def test_map_producers_are_the_collection_s_located_features(client: TestClient, located: list[int]) -> None:
    assert COLLECTIONS["producers"].map_document == "producers"
    located_ogc = [f for f in _ogc_items(client, "producers") if f["geometry"] is not None]
    points = client.get("/maps/data/producers.json").json()
    assert points["fields"] == ["id", "lon", "lat", "name_zh", "name_en"]
    assert [row[0] for row in points["rows"]] == [f["id"] for f in located_ogc] == located
    for row, feature in zip(points["rows"], located_ogc, strict=True):
        lon, lat = feature["geometry"]["coordinates"]
        assert row[1:] == [
            round(lon, 5),
            round(lat, 5),
            feature["properties"]["name_zh"],
            feature["properties"]["name_en"],
        ]
    county = client.get("/maps/data/producers.json", params={"county": "430624"}).json()
    by_county = _ogc_items(client, "producers", county="430624")
    assert [row[0] for row in county["rows"]] == [f["id"] for f in by_county if f["geometry"] is not None]


def test_map_areas_are_today_s_drawn_production_areas(client: TestClient) -> None:
    assert COLLECTIONS["production_areas"].map_document == "areas"
    today = [
        f
        for f in _ogc_items(client, "production_areas", datetime=date.today().isoformat())
        if f["geometry"] is not None
    ]
    areas = client.get("/maps/data/areas.json").json()["features"]
    # The map names an area by its protection ("protection-7"), the collection by protection and period
    # ("7-sources", "7-v3"): today's period of each protection is the one the map draws.
    by_protection = {f["properties"]["protection_id"]: f for f in today}
    assert today and len(by_protection) == len(today)
    assert [f["id"] for f in areas] == [f"protection-{f['properties']['protection_id']}" for f in today]
    for light in areas:
        full = by_protection[int(light["id"].removeprefix("protection-"))]
        for key, value in light["properties"].items():
            if key == "range":  # the published range, rounded, where the map outlines it
                assert value == [round(v, 5) for v in full["properties"]["declared_range"]]
            else:
                assert value == full["properties"][key]
        assert shapely.hausdorff_distance(shape(light["geometry"]), shape(full["geometry"])) <= MAP_TOLERANCE
