"""OGC API – Features Part 1 (Core, GeoJSON): links, paging, bbox, datetime, filters and 400s."""

import pytest
from fastapi.testclient import TestClient

ITEMS = "/ogc/collections/{}/items"


def rels(body: dict) -> dict[str, dict]:
    return {link["rel"]: link for link in body["links"]}


def test_landing_page_links_carry_types(client: TestClient) -> None:
    body = client.get("/ogc").json()
    links = rels(body)
    assert {"self", "alternate", "service-desc", "service-doc", "conformance", "data"} <= set(links)
    assert all(link.get("type") for link in body["links"])
    assert client.get(links["service-desc"]["href"].replace("http://testserver", "")).status_code == 200


def test_conformance_claims_only_what_is_implemented(client: TestClient) -> None:
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes
    assert not any(c.endswith(("/oas30", "/html")) for c in classes)


def test_collections_list_the_four_collections(client: TestClient) -> None:
    body = client.get("/ogc/collections").json()
    assert [c["id"] for c in body["collections"]] == [
        "indications",
        "producers",
        "production_areas",
        "counties",
    ]
    for collection in body["collections"]:
        assert "items" in rels(collection)
        assert collection["extent"]["spatial"]["bbox"]


@pytest.mark.parametrize(("collection", "total"), [("indications", 21), ("producers", 20), ("counties", 9)])
def test_paging_follows_next_links_keeping_parameters(
    client: TestClient, collection: str, total: int
) -> None:
    url = ITEMS.format(collection) + "?limit=4&f=json"
    seen = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/geo+json")
        body = response.json()
        assert body["numberMatched"] == total and body["numberReturned"] == len(body["features"])
        assert body["timeStamp"].endswith("Z")
        seen += [f["id"] for f in body["features"]]
        next_link = rels(body).get("next")
        if next_link:
            assert "f=json" in next_link["href"] and next_link["type"] == "application/geo+json"
        url = next_link["href"].replace("http://testserver", "") if next_link else None
    assert len(seen) == len(set(seen)) == total


def test_limit_is_clamped_never_an_error(client: TestClient) -> None:
    response = client.get(ITEMS.format("indications"), params={"limit": 10**9})
    assert response.status_code == 200 and response.json()["numberReturned"] == 21


def test_bbox_intersects_and_features_without_geometry_match(client: TestClient) -> None:
    everything = client.get(ITEMS.format("indications"), params={"limit": 100}).json()["features"]
    without_geometry = {f["id"] for f in everything if f["geometry"] is None}
    # A small box around 樟树港 (湘阴县): the declared rectangles there, city-wide areas, and no-geometry GIs.
    body = client.get(
        ITEMS.format("indications"), params={"bbox": "112.80,28.55,112.85,28.58", "limit": 100}
    ).json()
    ids = {f["id"] for f in body["features"]}
    assert {"zhangshugang-lajiao", "zhangshugang-huanggua", "yueyang-huangcha"} <= ids
    assert without_geometry <= ids
    assert "pingjiang-baizhu" not in ids  # 平江县's area lies far to the east


def test_datetime_matches_registration_dates(client: TestClient) -> None:
    body = client.get(
        ITEMS.format("indications"), params={"datetime": "2008-11-01/2008-11-30", "limit": 100}
    ).json()
    dated = [f for f in body["features"] if f["properties"]["registration_dates"]]
    assert [f["id"] for f in dated] == ["huarong-jiecai"]


def test_property_filters(client: TestClient) -> None:
    body = client.get(ITEMS.format("indications"), params={"kind": "gi_trademark", "limit": 100}).json()
    assert body["numberMatched"] == 7
    assert all("gi_trademark" in f["properties"]["kinds"] for f in body["features"])
    huarong = client.get(ITEMS.format("indications"), params={"county": "430623", "limit": 100}).json()
    assert "huarong-jiecai" in {f["id"] for f in huarong["features"]}


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("foo=1", "Unknown query parameter"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"),
        ("bbox=a,b,c,d", "bbox"),
        ("bbox=10,50,5,40", "bbox"),
        ("bbox-crs=EPSG:4326&bbox=112,28,113,29", "bbox-crs"),
        ("datetime=yesterday", "RFC 3339"),
        ("datetime=2020-01-01/2019-01-01", "ends before"),
        ("kind=tea", "kind"),
        ("f=xml", "f=xml"),
        ("limit=5&limit=6", "more than once"),
    ],
)
def test_undeclared_or_invalid_parameters_answer_400(client: TestClient, query: str, fragment: str) -> None:
    response = client.get(ITEMS.format("indications") + "?" + query)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and fragment in body["description"]


def test_property_filter_of_another_collection_is_400(client: TestClient) -> None:
    assert client.get(ITEMS.format("counties"), params={"kind": "gi_trademark"}).status_code == 400


def test_one_feature_and_missing_ones(client: TestClient) -> None:
    feature = client.get(ITEMS.format("indications") + "/huarong-jiecai").json()
    assert feature["type"] == "Feature" and feature["properties"]["name_zh"] == "华容芥菜"
    assert (
        client.get(ITEMS.format("counties") + "/430623").json()["properties"]["name_en"] == "Huarong County"
    )
    assert client.get(ITEMS.format("indications") + "/nope").status_code == 404
    assert client.get("/ogc/collections/nope/items").status_code == 404


def test_producers_expose_public_fields_only(client: TestClient) -> None:
    for feature in client.get(ITEMS.format("producers"), params={"limit": 100}).json()["features"]:
        assert set(feature["properties"]) == {
            "name_zh", "name_en", "uscc", "county_code", "roles", "indication_ids", "synthetic",
        }  # fmt: skip
