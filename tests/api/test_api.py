"""The read API: envelopes, filters, search, paging, GeoJSON, coverage, and clear 4xx answers."""

import re

import pytest
from fastapi.testclient import TestClient
from pyproj import Geod
from shapely.geometry import shape

from gi_registry.indications.models import IndicationPublic
from gi_registry.producers.models import ProducerPublic
from gi_registry.standards.models import StandardPublic


def names(response) -> list[str]:  # noqa: ANN001
    return [item["name_zh"] for item in response.json()["data"]]


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_indications_envelope_lists_every_gi_with_sources(client: TestClient) -> None:
    response = client.get("/api/v1/indications", params={"limit": 500})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "count"}
    assert body["count"] == len(body["data"]) == 21
    for item in body["data"]:
        IndicationPublic.model_validate(item)
        assert {"id", "slug", "name_zh", "name_pinyin", "name_en", "protections", "sources"} <= set(item)
        assert item["sources"] and item["protections"]
        assert all(p["kind"] and p["sources"] for p in item["protections"])


def test_paging_with_limit_and_offset(client: TestClient) -> None:
    first = client.get("/api/v1/indications", params={"limit": 5}).json()
    second = client.get("/api/v1/indications", params={"limit": 5, "offset": 5}).json()
    assert first["count"] == second["count"] == 21
    assert len(first["data"]) == len(second["data"]) == 5
    assert not {i["id"] for i in first["data"]} & {i["id"] for i in second["data"]}
    last = client.get("/api/v1/indications", params={"offset": 20}).json()
    assert len(last["data"]) == 1


@pytest.mark.parametrize(
    "q",
    [
        "黄茶",
        "岳阳黄",
        "Yuèyáng Huángchá",
        "yueyang huangcha",
        "YueyangHuangcha",
        "yyhc",
        "yellow tea",
        "Yellow",
    ],
)
def test_search_by_chinese_pinyin_initials_and_english(client: TestClient, q: str) -> None:
    assert "岳阳黄茶" in names(client.get("/api/v1/indications", params={"q": q}))


def test_search_that_matches_nothing_returns_an_empty_page(client: TestClient) -> None:
    assert client.get("/api/v1/indications", params={"q": "%_"}).json() == {"data": [], "count": 0}


def test_filter_by_kind(client: TestClient) -> None:
    body = client.get("/api/v1/indications", params={"kind": "gi_protected_product"}).json()
    assert body["count"] == 5
    assert all(any(p["kind"] == "gi_protected_product" for p in i["protections"]) for i in body["data"])


@pytest.mark.parametrize("county", ["430623", "华容县", "Huarong County"])
def test_filter_by_county_includes_city_wide_products(client: TestClient, county: str) -> None:
    found = names(client.get("/api/v1/indications", params={"county": county, "limit": 100}))
    assert "华容芥菜" in found and "岳阳黄茶" in found
    assert "平江白术" not in found


def test_filter_by_category_and_confidence(client: TestClient) -> None:
    teas = names(client.get("/api/v1/indications", params={"category": "tea"}))
    assert "岳阳黄茶" in teas and "华容芥菜" not in teas
    high = client.get("/api/v1/indications", params={"confidence": "H"}).json()["data"]
    assert high and all(i["confidence"] == "H" for i in high)
    low = client.get("/api/v1/indications", params={"confidence": "L"}).json()["data"]
    assert low and all(p["confidence"] == "L" for i in low for p in i["protections"])


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"kind": "gi"}, "kind"),
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "at most 500"),
        ({"offset": -1}, "offset"),
        ({"county": "北京"}, "not a county of Yueyang"),
        ({"confidence": "X"}, "confidence"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_parameters_get_a_readable_4xx(client: TestClient, params: dict, fragment: str) -> None:
    response = client.get("/api/v1/indications", params=params)
    assert response.status_code == 422
    messages = " ".join(d["msg"] for d in response.json()["detail"])
    assert fragment in messages


def test_one_indication_by_id_and_by_slug(client: TestClient) -> None:
    by_slug = client.get("/api/v1/indications/huarong-jiecai").json()
    by_id = client.get(f"/api/v1/indications/{by_slug['id']}").json()
    assert by_slug == by_id
    assert sorted(p["kind"] for p in by_slug["protections"]) == [
        "agricultural_product_gi", "gi_protected_product", "gi_trademark",
    ]  # fmt: skip
    assert by_slug["counties"][0]["code"] == "430623"


def test_trademark_protections_carry_their_term_and_others_do_not(client: TestClient) -> None:
    body = client.get("/api/v1/indications/huarong-jiecai").json()
    for protection in body["protections"]:
        if protection["kind"] == "gi_trademark":
            assert protection["trademark_term"]["status"] == "unknown"
        else:
            assert protection["trademark_term"] is None


def test_declared_coordinate_range_is_parsed_into_a_bbox(client: TestClient) -> None:
    body = client.get("/api/v1/indications/zhangshugang-huanggua").json()
    area = body["protections"][0]["area"]
    assert area["coordinate_range"] == "E112°47′11″–112°53′18″, N28°32′25″–28°35′40″"
    assert area["bbox"] == pytest.approx([112.786389, 28.540278, 112.888333, 28.594444])


@pytest.mark.parametrize("path", ["/api/v1/indications/no-such-gi", "/api/v1/indications/99999"])
def test_unknown_indication_is_404_with_a_message(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "No GI product" in response.json()["detail"][0]["msg"]


def test_producers_list_and_one(client: TestClient) -> None:
    body = client.get("/api/v1/producers").json()
    assert body["count"] == len(body["data"]) > 0
    for item in body["data"]:
        ProducerPublic.model_validate(item)
        assert item["sources"]
    licensees = client.get("/api/v1/producers", params={"role": "public_brand_licensee"}).json()
    assert licensees["count"] == 4
    assert all(
        link["role"] == "public_brand_licensee" and link["indication_slug"] == "pingjiang-gaoshancha"
        for p in licensees["data"]
        for link in p["links"]
    )
    first = body["data"][0]
    assert client.get(f"/api/v1/producers/{first['id']}").json() == first


def test_producers_filtered_by_indication(client: TestClient) -> None:
    body = client.get("/api/v1/producers", params={"indication": "changle-tianjiu"}).json()
    assert body["count"] >= 1
    assert all(any(link["indication_slug"] == "changle-tianjiu" for link in p["links"]) for p in body["data"])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/producers/99999", 404),
        ("/api/v1/producers/0", 422),
        ("/api/v1/producers/abc", 422),
        ("/api/v1/producers?indication=nope", 422),
        ("/api/v1/producers?role=owner", 422),
        ("/api/v1/standards/99999", 404),
        ("/api/v1/standards?kind=law", 422),
        ("/api/v1/standards?indication=nope", 422),
    ],
)
def test_producer_and_standard_errors(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["detail"][0]["msg"]


def test_standards_list_filters_and_one(client: TestClient) -> None:
    body = client.get("/api/v1/standards").json()
    assert body["count"] == 4
    for item in body["data"]:
        StandardPublic.model_validate(item)
    group = client.get("/api/v1/standards", params={"kind": "group"}).json()["data"]
    assert [s["number"] for s in group] == ["T/YYSCX 001-2022", "T/YYSCX 005-2022", "T/YYSCX 007-2023"]
    assert group[0]["indications"][0]["slug"] == "yueyang-huangcha"
    for_tea = client.get("/api/v1/standards", params={"indication": "yueyang-huangcha"}).json()
    assert for_tea["count"] == 4
    rules = client.get("/api/v1/standards", params={"kind": "management_rules"}).json()["data"]
    assert [s["number"] for s in rules] == [None]
    assert client.get("/api/v1/standards", params={"indication": "huarong-jiecai"}).json()["count"] == 0
    assert client.get(f"/api/v1/standards/{group[0]['id']}").json() == group[0]


def test_areas_are_nine_county_polygons_adding_up_to_yueyang(client: TestClient) -> None:
    response = client.get("/api/v1/areas")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    collection = response.json()
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == 9
    geod = Geod(ellps="WGS84")
    total_km2 = 0.0
    for feature in collection["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and geometry.geom_type in ("Polygon", "MultiPolygon")
        minx, miny, maxx, maxy = geometry.bounds
        assert 112.0 < minx < maxx < 114.5 and 28.0 < miny < maxy < 30.0  # lon/lat order, around Yueyang
        total_km2 += abs(geod.geometry_area_perimeter(geometry)[0]) / 1e6
    assert total_km2 == pytest.approx(14858, rel=0.01)


def test_divisions_include_townships_and_quyuan(client: TestClient) -> None:
    townships = client.get("/api/v1/divisions", params={"level": "township"}).json()
    assert len(townships) == 138
    counties = {d["code"]: d["name_zh"] for d in client.get("/api/v1/divisions?level=county").json()}
    assert "430671" in counties and len(counties) == 10


def test_coverage_shows_recorded_against_official_totals(client: TestClient) -> None:
    body = client.get("/api/v1/coverage").json()
    kinds = {k["kind"]: k for k in body["kinds"]}
    trademarks = kinds["gi_trademark"]
    assert trademarks["official_total"]["total"] == 32
    assert trademarks["official_total"]["as_of"] == "2020-12-31"
    assert trademarks["official_total"]["sources"]
    assert trademarks["recorded"] == sum(trademarks["by_confidence"].values())
    # Missing counts against what is known to exist by the total's date, not against all recorded.
    assert trademarks["missing"] == 32 - trademarks["as_of"]["known_by_date"]
    assert trademarks["as_of"]["known_by_date"] <= trademarks["recorded"]
    assert kinds["gi_protected_product"]["official_total"]["total"] == 5
    assert kinds["agricultural_product_gi"]["official_total"] is None
    unknown = trademarks["unknown_fields"]
    assert [u["unknown"] for u in unknown] == sorted((u["unknown"] for u in unknown), reverse=True)
    assert body["indications"] == 21


def test_coverage_per_county_counts_each_products_own_protections(client: TestClient) -> None:
    body = client.get("/api/v1/coverage").json()
    counties = {c["code"]: c for c in body["counties"]}
    # The whole city and all ten county-level divisions, also those with nothing recorded.
    assert len(counties) == 11 and "430600" in counties and "430671" in counties
    indications = client.get("/api/v1/indications", params={"limit": 500}).json()["data"]
    for code, county in counties.items():
        own = [i for i in indications if code in {c["code"] for c in i["counties"]}]
        assert county["indications"] == len(own)
        for k in county["kinds"]:
            assert k["recorded"] == sum(p["kind"] == k["kind"] for i in own for p in i["protections"])
            # Totals are only published for the whole city; no county invents one.
            assert k["official_total"] is None and k["missing"] is None
    huarong = {k["kind"]: k["recorded"] for k in counties["430623"]["kinds"]}
    assert huarong["agricultural_product_gi"] >= 9


def test_coverage_lists_the_fields_still_unknown_for_each_gi(client: TestClient) -> None:
    body = client.get("/api/v1/coverage").json()
    listed = client.get("/api/v1/indications", params={"limit": 500}).json()["data"]
    indications = {i["slug"]: i for i in listed}
    gaps = {g["slug"]: g for g in body["gaps"]}
    assert gaps and set(gaps) <= set(indications)
    column = {"holder_name": "holder_name", "number": "number", "authority": "authority"}
    for slug, gap in gaps.items():
        protections = {p["key"]: p for p in indications[slug]["protections"]}
        for lacking in gap["protections"]:
            assert lacking["unknown"], "only protections lacking something are listed"
            protection = protections[lacking["key"]]
            assert protection["kind"] == lacking["kind"]
            for field in lacking["unknown"]:
                if field in column:
                    assert protection[column[field]] is None
            for field in set(column) - set(lacking["unknown"]):
                assert protection[field] is not None
    # 岳阳黄茶's trademark is known by name and mark type only (one aggregator): the rest is missing.
    tea_tm = next(p for p in gaps["yueyang-huangcha"]["protections"] if p["kind"] == "gi_trademark")
    assert {"number", "registration_date", "holder_name", "authority"} <= set(tea_tm["unknown"])
    assert "mark_type" not in tea_tm["unknown"]


def test_about_page_shows_coverage_per_county_and_unknown_fields(client: TestClient) -> None:
    page = client.get("/about", params={"lang": "en"})
    assert page.status_code == 200
    assert 'id="coverage-by-county"' in page.text and 'id="unknown-by-gi"' in page.text
    assert "Huarong" in page.text or "华容县" in page.text
    assert "Whole city" in page.text and "Fields still unknown" in page.text
    assert 'href="/counties/430623?lang=en"' in page.text  # each county row links to its page
    assert 'href="/indications/yueyang-huangcha?lang=en"' in page.text  # and each product with gaps
    zh = client.get("/about", params={"lang": "zh"}).text
    assert "各县市区已记录数" in zh and "各产品尚未知的字段" in zh and "华容县" in zh


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_shows_the_same_as_of_figures_as_the_api(client: TestClient, lang: str) -> None:
    kinds = {k["kind"]: k["as_of"] for k in client.get("/api/v1/coverage").json()["kinds"] if k["as_of"]}
    page = client.get("/about", params={"lang": lang}).text
    assert 'id="coverage-as-of"' in page
    for kind, as_of in kinds.items():
        row = page.split(f'data-kind="{kind}"', 1)[1].split("</tr>", 1)[0]
        shown = dict(re.findall(r'data-figure="(\w+)">(\d+)<', row))
        assert shown == {
            "reported": str(as_of["reported"]),
            "well_supported": str(as_of["well_supported"]),
            "weak": str(as_of["weak"]),
            "not_identified": str(as_of["not_identified"]),
            "unknown_date": str(len(as_of["unknown_date"])),
            "later": str(len(as_of["later"])),
        }
    products = kinds["gi_protected_product"]
    assert products["not_identified"] > 0  # never "0 missing" while three of five are undated
    words = "有可靠来源" if lang == "zh" else "Well supported"
    assert words in page and ("Well supported" in page) == (lang == "en")


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/indications", "/api/v1/coverage", "/api/v1/areas"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_home_page_lists_gis_in_chinese_and_english(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "岳阳黄茶" in page.text and "Yueyang yellow tea" in page.text


def test_unknown_path_answers_404_in_the_common_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert "see /docs" in response.json()["detail"][0]["msg"]


def test_point_lookup_in_huarong(client: TestClient) -> None:
    # A point in 华容县's county seat area: 华容青豆角's townships' county within its published range.
    body = client.get("/api/v1/areas/lookup", params={"lon": 112.56, "lat": 29.52}).json()
    assert body["county"]["code"] == "430623"
    found = {(a["slug"], a["basis"]) for a in body["areas"]}
    assert ("huarong-qing-doujiao", "townships_in_range") in found
    assert ("yueyang-huangcha", "whole_city") in found
    assert all(a["certainty"] for a in body["areas"])


def test_point_lookup_outside_yueyang_and_out_of_range(client: TestClient) -> None:
    beijing = client.get("/api/v1/areas/lookup", params={"lon": 116.4, "lat": 39.9}).json()
    assert beijing["county"] is None and beijing["areas"] == []
    for params in (
        {"lon": 200, "lat": 29},
        {"lon": 112, "lat": -91},
        {"lon": "east", "lat": 29},
        {"lon": "nan", "lat": 1},
    ):
        response = client.get("/api/v1/areas/lookup", params=params)
        assert response.status_code == 400, params
        assert response.json()["detail"][0]["msg"]
