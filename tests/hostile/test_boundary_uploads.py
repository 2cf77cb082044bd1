"""Officials upload production areas and township polygons; checks for CRS, GCJ-02, plausibility; versions."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from shapely.geometry import shape
from sqlmodel import Session, func, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.geo.models import BoundaryVersion
from gi_registry.history.models import ChangeLog
from gi_registry.http.app import create_app
from tests import boundary_files as files
from tests.workflow import PASSWORD, bearer

PINGJIANG_GI = "pingjiang-baizhu"  # its AGI's production area names the whole of 平江县


@pytest.fixture
def official(client: TestClient, session: Session) -> dict[str, str]:
    auth_service.create_user(
        session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    return bearer(client, "official")


def _protection_id(client: TestClient, slug: str = PINGJIANG_GI) -> int:
    gi = client.get(f"/api/v1/indications/{slug}").json()
    return next(p["id"] for p in gi["protections"] if p["area"] is not None)


def _form(valid_from: str = "2024-01-01", **extra: str) -> dict[str, str]:
    return {
        "valid_from": valid_from,
        "reason": "delimitation map of the protected area (test upload)",
        "source_document": "平江县农业农村局 产地范围图 (synthetic test shape)",
        "source_confidence": "L",
    } | extra


def _upload(client: TestClient, headers: dict, content: bytes, name: str, protection_id: int, **form: str):  # noqa: ANN202
    return client.post(
        f"/api/v1/protections/{protection_id}/area/versions",
        files={"file": (name, content, "application/octet-stream")},
        data=_form(**form),
        headers=headers,
    )


def _message(response) -> str:  # noqa: ANN001
    return response.json()["detail"][0]["msg"]


def test_kml_upload_becomes_the_area_the_map_the_ogc_feature_and_the_lookup_use(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    protection_id = _protection_id(client)
    square = files.square_in_pingjiang()
    kml = files.write(files.frame(square, name="白术产地"), tmp_path, "kml")
    response = _upload(client, official, kml, "area.kml", protection_id)
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["stored"] is True and report["file_format"] == "kml"
    version = report["versions"][0]
    assert version["valid_to"] is None and version["gcj02"] == "not_suspected"
    assert abs(version["area_km2"] - files.frame(square).to_crs(files_aea()).area.iloc[0] / 1e6) < 1

    areas = client.get(f"/api/v1/indications/{PINGJIANG_GI}/areas").json()["features"]
    drawn = next(f for f in areas if f["properties"]["protection_id"] == protection_id)
    assert drawn["properties"]["basis"] == "uploaded_area"
    assert drawn["properties"]["version_id"] == version["id"]
    assert shape(drawn["geometry"]).symmetric_difference(square).area < 1e-9

    ogc = client.get(
        "/ogc/collections/production_areas/items", params={"datetime": "2025-06-01", "limit": 100}
    )
    feature = next(f for f in ogc.json()["features"] if f["properties"]["protection_id"] == protection_id)
    assert feature["properties"]["basis"] == "uploaded_area"

    inside = square.centroid
    lookup = client.get("/api/v1/areas/lookup", params={"lon": inside.x, "lat": inside.y}).json()
    hit = next(a for a in lookup["areas"] if a["protection_id"] == protection_id)
    assert hit["basis"] == "uploaded_area" and "uploaded" in hit["certainty"]
    elsewhere = files.county(files.PINGJIANG).difference(square.buffer(0.01)).representative_point()
    lookup = client.get("/api/v1/areas/lookup", params={"lon": elsewhere.x, "lat": elsewhere.y}).json()
    assert lookup["county"]["code"] == files.PINGJIANG
    assert all(a["protection_id"] != protection_id for a in lookup["areas"])

    page = client.get(f"/indications/{PINGJIANG_GI}?lang=en").text
    assert 'data-basis="uploaded_area"' in page and "Production-area map uploaded by the authority" in page
    map_page = client.get(f"/maps/indications/{PINGJIANG_GI}.html?lang=en").text
    assert "Production-area map uploaded by the authority" in map_page


def files_aea() -> str:
    from gi_registry.geo.checks import LOCAL

    return LOCAL


def test_a_newer_shapefile_version_replaces_the_kml_and_as_of_still_answers_the_old_one(
    client: TestClient, official: dict, tmp_path: Path, session: Session
) -> None:
    protection_id = _protection_id(client)
    first = files.square_in_pingjiang(0.05)
    second = files.square_in_pingjiang(0.08)
    kml = files.write(files.frame(first), tmp_path / "a", "kml")
    assert _upload(client, official, kml, "a.kml", protection_id, valid_from="2023-03-01").status_code == 201
    shp = files.write(files.frame(second, name="area"), tmp_path / "b", "shp")
    response = _upload(client, official, shp, "area.zip", protection_id, valid_from="2025-07-01")
    assert response.status_code == 201, response.text
    assert response.json()["file_format"] == "shapefile"

    versions = client.get(f"/api/v1/protections/{protection_id}/area/versions").json()
    assert [v["valid_from"] for v in versions] == ["2023-03-01", "2025-07-01"]
    assert versions[0]["valid_to"] == "2025-07-01" and versions[1]["valid_to"] is None

    def drawn(as_of: str):  # noqa: ANN202
        body = client.get(f"/api/v1/indications/{PINGJIANG_GI}/areas", params={"as_of": as_of}).json()
        return next(f for f in body["features"] if f["properties"]["protection_id"] == protection_id)

    assert shape(drawn("2024-05-05")["geometry"]).symmetric_difference(first).area < 1e-9
    assert shape(drawn("2026-01-01")["geometry"]).symmetric_difference(second).area < 1e-9
    before = drawn("2020-01-01")["properties"]
    assert before["basis"] == "counties" and before["version_id"] is None

    ogc = client.get(
        "/ogc/collections/production_areas/items", params={"datetime": "2024-05-05", "limit": 100}
    )
    mine = [f for f in ogc.json()["features"] if f["properties"]["protection_id"] == protection_id]
    assert len(mine) == 1 and mine[0]["properties"]["version_id"] == versions[0]["id"]
    all_eras = client.get("/ogc/collections/production_areas/items", params={"limit": 1000}).json()
    assert len([f for f in all_eras["features"] if f["properties"]["protection_id"] == protection_id]) == 3

    history = session.exec(select(ChangeLog).where(ChangeLog.entity_type == "boundary_version")).all()
    assert {(h.field, h.new_value) for h in history if h.field == "valid_to"} == {("valid_to", "2025-07-01")}
    assert all(h.actor == "official:official" for h in history)


def test_an_older_valid_from_than_the_newest_version_is_refused(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    protection_id = _protection_id(client)
    content = files.write(files.frame(files.square_in_pingjiang()), tmp_path, "geojson")
    assert (
        _upload(client, official, content, "a.geojson", protection_id, valid_from="2024-01-01").status_code
        == 201
    )
    response = _upload(client, official, content, "a.geojson", protection_id, valid_from="2023-01-01")
    assert response.status_code == 409
    assert "2024-01-01" in _message(response)


def test_a_gcj02_shifted_county_is_flagged_and_the_officials_choice_is_recorded(
    client: TestClient, official: dict, tmp_path: Path, session: Session
) -> None:
    protection_id = _protection_id(client)
    shifted = files.write(files.frame(files.gcj02_copy(files.PINGJIANG)), tmp_path, "geojson")
    response = _upload(client, official, shifted, "pingjiang.geojson", protection_id)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "decision_needed"
    assert "GCJ-02" in _message(response) and "gcj02=convert" in _message(response)
    assert session.exec(select(func.count()).select_from(BoundaryVersion)).one() == 0

    response = _upload(client, official, shifted, "pingjiang.geojson", protection_id, gcj02="convert")
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["gcj02"] == "converted"
    assert any(f["code"] == "probably_gcj02" for f in report["findings"])
    stored = shape(client.get(f"/api/v1/boundary-versions/{report['versions'][0]['id']}").json()["geometry"])
    true_county = files.county(files.PINGJIANG)
    assert stored.symmetric_difference(true_county).area / true_county.area < 0.001
    history = session.exec(
        select(ChangeLog).where(ChangeLog.entity_type == "boundary_version", ChangeLog.field.is_(None))
    ).one()
    assert history.new_value["gcj02"] == "converted"


def test_keeping_a_flagged_layer_as_uploaded_is_recorded_too(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    protection_id = _protection_id(client)
    shifted = files.write(files.frame(files.gcj02_copy(files.PINGJIANG)), tmp_path, "geojson")
    response = _upload(client, official, shifted, "p.geojson", protection_id, gcj02="keep")
    assert response.status_code == 201
    assert response.json()["versions"][0]["gcj02"] == "kept"


def test_the_true_county_is_not_flagged(client: TestClient, official: dict, tmp_path: Path) -> None:
    protection_id = _protection_id(client)
    content = files.write(files.frame(files.county(files.PINGJIANG)), tmp_path, "geojson")
    response = _upload(client, official, content, "p.geojson", protection_id, dry_run="true")
    assert response.status_code == 200, response.text
    assert response.json()["stored"] is False and response.json()["gcj02"] == "not_suspected"
    assert client.get(f"/api/v1/protections/{protection_id}/area/versions").json() == []


def test_a_polygon_outside_yueyang_is_refused(client: TestClient, official: dict, tmp_path: Path) -> None:
    from shapely.geometry import box

    beijing = box(116.3, 39.8, 116.5, 40.0)
    content = files.write(files.frame(beijing), tmp_path, "geojson")
    response = _upload(client, official, content, "beijing.geojson", _protection_id(client))
    assert response.status_code == 422
    assert "outside Yueyang" in _message(response)


def test_swapped_coordinates_are_named_in_the_refusal(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    import shapely

    swapped = shapely.transform(files.square_in_pingjiang(), lambda xy: xy[:, ::-1])
    content = files.write(files.frame(swapped), tmp_path, "geojson")
    response = _upload(client, official, content, "swapped.geojson", _protection_id(client))
    assert response.status_code == 422
    assert "swapped" in _message(response)


def test_a_self_intersecting_polygon_is_refused_with_the_reason(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    content = files.write(files.frame(files.bow_tie_in_pingjiang()), tmp_path, "geojson")
    response = _upload(client, official, content, "bowtie.geojson", _protection_id(client))
    assert response.status_code == 422
    assert "Self-intersection" in _message(response)


def test_overlapping_parts_are_repaired_losslessly_and_the_repair_is_recorded(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    import geopandas as gpd
    from shapely.geometry import MultiPolygon

    square = files.square_in_pingjiang(0.04)
    overlapping = MultiPolygon([square, square.buffer(0.01, join_style="mitre")])
    assert not overlapping.is_valid
    content = files.write(gpd.GeoDataFrame(geometry=[overlapping], crs="EPSG:4326"), tmp_path, "geojson")
    response = _upload(client, official, content, "multi.geojson", _protection_id(client))
    assert response.status_code == 201, response.text
    assert "repaired" in response.json()["versions"][0]["repair"]


def test_a_shapefile_without_prj_needs_a_declared_crs(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    protection_id = _protection_id(client)
    content = files.write(files.frame(files.square_in_pingjiang(), name="a"), tmp_path, "shp-no-prj")
    response = _upload(client, official, content, "area.zip", protection_id)
    assert response.status_code == 422
    assert ".prj" in _message(response)
    response = _upload(client, official, content, "area.zip", protection_id, crs="EPSG:4490")
    assert response.status_code == 201, response.text
    assert "CGCS2000" in response.json()["crs_handling"]


def test_a_projected_geopackage_is_reprojected(client: TestClient, official: dict, tmp_path: Path) -> None:
    square = files.square_in_pingjiang()
    projected = files.frame(square).to_crs("EPSG:4547")  # CGCS2000 / 3-degree Gauss-Kruger CM 114E
    content = files.write(projected, tmp_path, "gpkg")
    response = _upload(client, official, content, "area.gpkg", _protection_id(client))
    assert response.status_code == 201, response.text
    assert "reprojected" in response.json()["crs_handling"]
    stored = client.get(f"/api/v1/boundary-versions/{response.json()['versions'][0]['id']}").json()
    assert shape(stored["geometry"]).symmetric_difference(square).area / square.area < 1e-4


def test_oversize_and_too_detailed_uploads_are_refused(
    settings,
    engine,
    tmp_path: Path,
    session: Session,  # noqa: ANN001
) -> None:
    small = settings.model_copy(update={"max_upload_mb": 0.01, "max_boundary_vertices": 100})
    with TestClient(create_app(small, engine)) as client:
        auth_service.create_user(
            session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="t"
        )
        headers = bearer(client, "official")
        protection_id = _protection_id(client)
        detailed = files.square_in_pingjiang().segmentize(0.0005)
        content = files.write(files.frame(detailed), tmp_path, "geojson")
        assert len(content) > 10_000
        response = _upload(client, headers, content, "big.geojson", protection_id)
        assert response.status_code == 413
        medium = files.square_in_pingjiang().segmentize(0.002)
        content = files.write(files.frame(medium), tmp_path / "m", "geojson")
        assert len(content) < 10_000, len(content)
        response = _upload(client, headers, content, "medium.geojson", protection_id)
        assert response.status_code == 422 and "vertices" in _message(response)


@pytest.mark.parametrize(
    ("content", "status", "words"),
    [
        (b"", 422, "empty"),
        (b"%PDF-1.7 not a map", 415, "not GeoJSON"),
        (b'{"type": "FeatureCollection", "features": [', 422, "could not be read"),
        (b"PK\x03\x04broken zip", 422, "damaged"),
    ],
)
def test_unreadable_files_get_a_clear_refusal(
    client: TestClient, official: dict, content: bytes, status: int, words: str
) -> None:
    response = _upload(client, official, content, "x.geojson", _protection_id(client))
    assert response.status_code == status, response.text
    assert words in _message(response)


def test_points_are_not_an_area(client: TestClient, official: dict, tmp_path: Path) -> None:
    point = files.square_in_pingjiang().centroid
    content = files.write(files.frame(point), tmp_path, "geojson")
    response = _upload(client, official, content, "p.geojson", _protection_id(client))
    assert response.status_code == 422 and "polygons" in _message(response)


def test_only_officials_upload(client: TestClient, tmp_path: Path) -> None:
    content = files.write(files.frame(files.square_in_pingjiang()), tmp_path, "geojson")
    response = _upload(client, {}, content, "a.geojson", _protection_id(client))
    assert response.status_code == 401


def test_a_source_is_required(client: TestClient, official: dict, tmp_path: Path) -> None:
    content = files.write(files.frame(files.square_in_pingjiang()), tmp_path, "geojson")
    response = client.post(
        f"/api/v1/protections/{_protection_id(client)}/area/versions",
        files={"file": ("a.geojson", content)},
        data={"valid_from": "2024-01-01", "reason": "test", "source_confidence": "L"},
        headers=official,
    )
    assert response.status_code == 422 and "url or a document" in _message(response)


def test_differences_from_the_named_counties_are_reported(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    # The AGI area of 平江白术 names 平江县 only; a polygon covering 汨罗市 as well is reported, not refused.
    both = files.county(files.PINGJIANG).union(files.county("430681"))
    content = files.write(files.frame(both), tmp_path, "geojson")
    response = _upload(client, official, content, "both.geojson", _protection_id(client), dry_run="true")
    assert response.status_code == 200, response.text
    finding = next(f for f in response.json()["findings"] if f["code"] == "counties_not_named")
    assert finding["codes"] == ["430681"] and "汨罗市" in finding["message"]


def _upload_townships(client: TestClient, headers: dict, content: bytes, **form: str):  # noqa: ANN202
    return client.post(
        "/api/v1/townships/boundaries",
        files={"file": ("townships.geojson", content, "application/geo+json")},
        data=_form(**form),
        headers=headers,
    )


def _only_coded_townships(session: Session, protection_id: int) -> None:
    """Drop the places whose names match no township code, so the area is fully drawable by townships."""
    from gi_registry.geo.models import AreaPlace, ProductionArea

    area = session.exec(select(ProductionArea).where(ProductionArea.protection_id == protection_id)).one()
    for place in session.exec(
        select(AreaPlace).where(AreaPlace.area_id == area.id, AreaPlace.code.is_(None))
    ):
        session.delete(place)
    session.commit()


def test_township_polygons_draw_an_area_that_names_townships_and_plausibility_names_the_extra_ones(
    client: TestClient, official: dict, tmp_path: Path, session: Session
) -> None:
    strips = files.huarong_strips()
    response = _upload_townships(client, official, files.write(strips, tmp_path / "t", "geojson"))
    assert response.status_code == 201, response.text
    assert len(response.json()["versions"]) == 14
    layer = client.get("/api/v1/townships/boundaries").json()
    assert {f["properties"]["township_code"] for f in layer["features"]} == set(files.HUARONG_TOWNSHIPS)
    county_map = client.get(f"/maps/counties/{files.HUARONG}.html?lang=en").text
    assert "Township boundaries" in county_map and json.dumps("北景港镇").strip('"') in county_map

    protection_id = _protection_id(client, "huarong-panjia-dalajiao")
    _only_coded_townships(session, protection_id)
    gi = client.get("/api/v1/indications/huarong-panjia-dalajiao").json()
    area = next(p["area"] for p in gi["protections"] if p["id"] == protection_id)
    named_codes = {p["code"] for p in area["places"] if p["level"] == "township"}
    assert len(named_codes) >= 4
    feature = client.get("/api/v1/indications/huarong-panjia-dalajiao/areas").json()["features"][0]
    assert feature["properties"]["basis"] == "township_polygons"
    named = strips[strips["code"].isin(named_codes)].union_all()
    assert shape(feature["geometry"]).symmetric_difference(named).area / named.area < 1e-6

    extra_codes = sorted(set(files.HUARONG_TOWNSHIPS) - named_codes)[:2]
    upload = strips[strips["code"].isin(named_codes | set(extra_codes))].union_all()
    content = files.write(files.frame(upload), tmp_path / "a", "geojson")
    response = _upload(client, official, content, "area.geojson", protection_id, dry_run="true")
    finding = next(f for f in response.json()["findings"] if f["code"] == "townships_not_named")
    assert finding["codes"] == extra_codes
    assert "2 township(s) not named" in finding["message"]
    names = {d["code"]: d["name_zh"] for d in client.get("/api/v1/divisions?level=township").json()}
    assert all(names[code] in finding["message_zh"] for code in extra_codes)


def test_township_features_are_matched_by_name_or_12_digit_code(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    strips = files.huarong_strips().iloc[:2].copy()
    strips["code"] = ["430623101000", None]
    strips["name"] = ["三封寺镇", "治河渡镇"]
    response = _upload_townships(client, official, files.write(strips, tmp_path, "geojson"))
    assert response.status_code == 201, response.text
    assert {v["township_code"] for v in response.json()["versions"]} == {"430623101", "430623102"}


def test_a_township_layer_with_unknown_names_is_refused_whole(
    client: TestClient, official: dict, tmp_path: Path, session: Session
) -> None:
    strips = files.huarong_strips().iloc[:3].copy()
    strips = strips.drop(columns=["code"])
    strips["name"] = ["三封寺镇", "不存在镇", "治河渡镇"]
    response = _upload_townships(client, official, files.write(strips, tmp_path, "geojson"))
    assert response.status_code == 422
    assert "不存在镇" in _message(response) and "Nothing was stored" in _message(response)
    assert session.exec(select(func.count()).select_from(BoundaryVersion)).one() == 0


def test_a_kmz_from_google_earth_is_read(client: TestClient, official: dict, tmp_path: Path) -> None:
    import io
    import zipfile

    kml = files.write(files.frame(files.square_in_pingjiang()), tmp_path, "kml")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", kml)
    response = _upload(client, official, buffer.getvalue(), "area.kmz", _protection_id(client))
    assert response.status_code == 201, response.text
    assert response.json()["file_format"] == "kmz"


def test_the_lookup_answers_as_of_a_date_before_the_upload(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    protection_id = _protection_id(client)
    square = files.square_in_pingjiang()
    content = files.write(files.frame(square), tmp_path, "geojson")
    assert (
        _upload(client, official, content, "a.geojson", protection_id, valid_from="2024-01-01").status_code
        == 201
    )
    point = {"lon": square.centroid.x, "lat": square.centroid.y}

    def basis(**extra: str) -> str:
        body = client.get("/api/v1/areas/lookup", params=point | extra).json()
        return next(a["basis"] for a in body["areas"] if a["protection_id"] == protection_id)

    assert basis() == "uploaded_area"
    assert basis(as_of="2023-12-31") == "counties"


def test_the_database_allows_one_open_version_per_area(session: Session, client: TestClient) -> None:
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    protection_id = _protection_id(client)

    def version(valid_from: date) -> BoundaryVersion:
        square = files.square_in_pingjiang()
        return BoundaryVersion(
            subject="production_area", protection_id=protection_id, valid_from=valid_from, file_name="a",
            file_format="geojson", file_sha256="0" * 64, crs_handling="WGS84", gcj02="not_suspected",
            area_km2=1.0, vertex_count=5, findings=[], geometry=square, bbox_min_lon=0, bbox_min_lat=0,
            bbox_max_lon=0, bbox_max_lat=0, uploaded_by="test",
        )  # fmt: skip

    session.add(version(date(2024, 1, 1)))
    session.commit()
    session.add(version(date(2025, 1, 1)))
    with pytest.raises(IntegrityError):
        session.commit()
