"""A production area is the intersection of what the sources say (issue 16, item 1).

The places the sources name (townships when their polygons are on record, else their counties, else the
counties named) clipped to the coordinate range they publish; the range itself is an outline, never the
area; places and range that do not overlap give no area and a finding. One function draws it for the
maps, the OGC collections, the GeoJSON exports and the point lookup, so they all agree.
"""

import json

import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import box, shape
from sqlmodel import Session, select

from gi_registry.geo.coordinates import parse_coordinate_range
from gi_registry.geo.drawing import AreaBasis, Boundaries, draw_area
from gi_registry.geo.models import AreaPlacePublic, PlaceLevel, ProductionArea, ProductionAreaPublic
from gi_registry.indications.models import Indication, Protection
from gi_registry.layers import store

ZHOUPIGAN = "huarongdao-zhoupigan"  # 华容道皱皮柑: Huarong's townships, printed with a wide range
HUARONG, JUNSHAN, PINGJIANG = "430623", "430611", "430626"


def _counties(client: TestClient) -> dict[str, shapely.Geometry]:
    return {
        f["properties"]["code"]: shape(f["geometry"]) for f in client.get("/api/v1/areas").json()["features"]
    }


def _sources_of(client: TestClient, slug: str) -> list[dict]:
    """The protections of a GI that have an area, as the API lists them (places, range as printed)."""
    return [p for p in client.get(f"/api/v1/indications/{slug}").json()["protections"] if p["area"]]


def _expected(area: dict, counties: dict, parents: dict) -> shapely.Geometry:
    """The intersection computed here, independently: the counties named and the counties of the coded
    townships named (no township polygons are on record), within the printed range."""
    codes = {p["code"] for p in area["places"] if p["code"]}
    named = {c for c in codes if c in counties} | {parents[c] for c in codes if c in parents}
    printed = parse_coordinate_range(area["coordinate_range"])
    extent = box(printed.lon_min, printed.lat_min, printed.lon_max, printed.lat_max)
    return shapely.union_all([counties[c] for c in named]).intersection(extent)


def test_zhoupigan_lies_within_its_named_counties_and_within_its_published_range(client: TestClient) -> None:
    counties = _counties(client)
    townships = client.get("/api/v1/divisions?level=township").json()
    parents = {t["code"]: t["parent_code"] for t in townships}
    protections = _sources_of(client, ZHOUPIGAN)
    assert protections and all(p["area"]["coordinate_range"] for p in protections)
    features = {
        f["properties"]["protection_id"]: f
        for f in client.get(f"/api/v1/indications/{ZHOUPIGAN}/areas").json()["features"]
    }
    for protection in protections:
        area = protection["area"]
        drawn = shape(features[protection["id"]]["geometry"])
        expected = _expected(area, counties, parents)
        assert features[protection["id"]]["properties"]["basis"] == "townships_in_range"
        # Within the named places and within the range (up to the coordinates' rounding) ...
        named = shapely.union_all(
            [counties[c] for c in features[protection["id"]]["properties"]["county_codes"]]
        )
        assert named.buffer(1e-7).covers(drawn)
        assert box(*area["bbox"]).buffer(1e-7).covers(drawn)
        # ... and exactly their intersection, computed apart from the registry's code.
        assert drawn.symmetric_difference(expected).area / expected.area < 1e-6
        # Never the range itself: the range covers 君山区 and land outside Yueyang, the area neither.
        assert drawn.intersection(counties[JUNSHAN]).area < 1e-6
        assert drawn.area < 0.5 * box(*area["bbox"]).area
        assert features[protection["id"]]["properties"]["declared_range"] == pytest.approx(area["bbox"])


def test_no_area_drawn_from_the_sources_extends_outside_yueyang(client: TestClient) -> None:
    city = shapely.union_all(list(_counties(client).values())).buffer(1e-6)
    items = client.get("/ogc/collections/production_areas/items?limit=1000").json()["features"]
    assert items
    for feature in items:
        if feature["geometry"] is not None:
            assert city.covers(shape(feature["geometry"])), feature["id"]
    # No county fill or rectangle is drawn as surveyed: only uploads and township polygons are.
    bases = {f["properties"]["basis"] for f in items}
    assert "declared_range" not in bases and bases <= {b.value for b in AreaBasis}


def test_maps_ogc_exports_and_lookup_use_the_same_geometry(client: TestClient) -> None:
    api = {
        f["properties"]["protection_id"]: shape(f["geometry"])
        for f in client.get(f"/api/v1/indications/{ZHOUPIGAN}/areas").json()["features"]
    }
    ogc = {
        f["properties"]["protection_id"]: shape(f["geometry"])
        for f in client.get("/ogc/collections/production_areas/items?limit=1000").json()["features"]
        if f["properties"]["slug"] == ZHOUPIGAN
    }
    exported = {
        f["properties"]["protection_id"]: shape(f["geometry"])
        for f in json.loads(client.get("/api/v1/exports/production_areas?f=geojson").content)["features"]
        if f["properties"]["indication_slug"] == ZHOUPIGAN
    }
    assert api.keys() == ogc.keys() == exported.keys()
    for pid, geometry in api.items():
        assert geometry.equals_exact(ogc[pid], 1e-9) and geometry.equals_exact(exported[pid], 1e-9)
    gi = client.get(f"/ogc/collections/indications/items/{ZHOUPIGAN}").json()
    assert shape(gi["geometry"]).symmetric_difference(shapely.union_all(list(api.values()))).area < 1e-9
    assert gi["properties"]["area_basis"] == "townships_in_range"
    # The map draws the same area, simplified for the screen only.
    drawn = [
        shape(f["geometry"])
        for f in client.get("/maps/data/areas.json").json()["features"]
        if f["properties"]["slug"] == ZHOUPIGAN
    ]
    for geometry in drawn:
        assert geometry.symmetric_difference(next(iter(api.values()))).area < 0.01 * geometry.area
    # The lookup answers from it: inside 华容县 yes, in 君山区 (inside the printed range) no.
    counties = _counties(client)
    inside = counties[HUARONG].representative_point()
    junshan = counties[JUNSHAN].representative_point()
    assert box(*_sources_of(client, ZHOUPIGAN)[0]["area"]["bbox"]).covers(junshan)
    hit = client.get("/api/v1/areas/lookup", params={"lon": inside.x, "lat": inside.y}).json()
    assert ZHOUPIGAN in {a["slug"] for a in hit["areas"]}
    miss = client.get("/api/v1/areas/lookup", params={"lon": junshan.x, "lat": junshan.y}).json()
    assert ZHOUPIGAN not in {a["slug"] for a in miss["areas"]}
    answer = next(a for a in hit["areas"] if a["slug"] == ZHOUPIGAN)
    assert answer["basis"] == "townships_in_range" and "coordinate range" in answer["certainty"]


def _move_range(session: Session, slug: str, bounds: tuple[float, float, float, float]) -> int:
    """Give one of a GI's areas another published range (as a correction would), redraw the layers."""
    protection_id = session.exec(
        select(Protection.id)
        .join(Indication, Indication.id == Protection.indication_id)
        .join(ProductionArea, ProductionArea.protection_id == Protection.id)
        .where(Indication.slug == slug)
    ).first()
    area = session.exec(select(ProductionArea).where(ProductionArea.protection_id == protection_id)).one()
    area.lon_min, area.lat_min, area.lon_max, area.lat_max = bounds
    area.coordinate_range = f"E{bounds[0]:.4f}–{bounds[2]:.4f}, N{bounds[1]:.4f}–{bounds[3]:.4f}"
    session.add(area)
    session.commit()
    store.redraw_all(session)
    return protection_id


def test_places_and_a_range_that_do_not_overlap_give_no_area_and_a_finding(
    client: TestClient, session: Session
) -> None:
    # 樟树港辣椒 names 湘阴县's 樟树镇; a range in 平江县 says something else.
    pingjiang = _counties(client)[PINGJIANG].representative_point()
    far = (pingjiang.x - 0.02, pingjiang.y - 0.02, pingjiang.x + 0.02, pingjiang.y + 0.02)
    protection_id = _move_range(session, "zhangshugang-lajiao", far)

    feature = next(
        f
        for f in client.get("/api/v1/indications/zhangshugang-lajiao/areas").json()["features"]
        if f["properties"]["protection_id"] == protection_id
    )
    assert feature["geometry"] is None and feature["properties"]["basis"] == "range_disjoint"
    [finding] = feature["properties"]["findings"]
    assert finding["code"] == "range_disjoint_from_places" and "do not overlap" in finding["message"]
    assert "不重叠" in finding["message_zh"]
    # The OGC collection keeps the record with its finding; nothing answers a point in either place.
    ogc = client.get("/ogc/collections/production_areas/items?limit=1000").json()["features"]
    kept = next(f for f in ogc if f["properties"]["protection_id"] == protection_id)
    assert kept["geometry"] is None and kept["properties"]["findings"][0]["code"] == finding["code"]
    lookup = client.get("/api/v1/areas/lookup", params={"lon": pingjiang.x, "lat": pingjiang.y}).json()
    assert protection_id not in {a["protection_id"] for a in lookup["areas"]}
    exported = client.get("/api/v1/exports/production_areas?f=csv").content.decode("utf-8-sig")
    assert "range_disjoint_from_places" in exported
    # The GI page and its map say so, in each language.
    page = client.get("/indications/zhangshugang-lajiao?lang=en").text
    assert 'data-basis="range_disjoint"' in page and 'data-code="range_disjoint_from_places"' in page
    assert "do not overlap" in page
    assert "不重叠" in client.get("/maps/indications/zhangshugang-lajiao.html?lang=zh").text
    map_data = client.get("/maps/data/areas.json").json()["features"]
    assert all(f["geometry"] for f in map_data)


def test_a_range_that_names_no_place_is_drawn_within_yueyang(client: TestClient) -> None:
    counties = _counties(client)
    city = shapely.union_all(list(counties.values()))
    west, south, _, _ = city.bounds
    straddling = (west - 0.2, south + 0.2, west + 0.3, south + 0.5)  # half of it outside the city
    area = ProductionAreaPublic(bbox=list(straddling), places=[])
    drawing = draw_area(area, Boundaries(counties, {}))
    assert drawing is not None and drawing.basis == AreaBasis.declared_range
    assert city.buffer(1e-9).covers(drawing.geometry)
    assert drawing.geometry.area < box(*straddling).area
    assert drawing.declared_range.equals(box(*straddling))


# The rules on plain squares: two counties side by side, each with two townships.
A, B = box(0, 0, 1, 1), box(1, 0, 2, 1)
TOWNSHIPS = {
    "A1": box(0, 0, 0.5, 1),
    "A2": box(0.5, 0, 1, 1),
    "B1": box(1, 0, 1.5, 1),
    "B2": box(1.5, 0, 2, 1),
}
PARENTS = {"A1": "A", "A2": "A", "B1": "B", "B2": "B"}


def _area(*places: tuple[PlaceLevel, str | None], bbox: list[float] | None = None) -> ProductionAreaPublic:
    return ProductionAreaPublic(
        places=[AreaPlacePublic(level=level, code=code, name_zh=code or "某村") for level, code in places],
        bbox=bbox,
    )


@pytest.mark.parametrize(
    ("places", "bbox", "townships", "basis", "expected"),
    [
        ([(PlaceLevel.county, "A")], None, {}, AreaBasis.counties, A),
        (
            [(PlaceLevel.county, "A")],
            [0.5, 0, 1.5, 0.5],
            {},
            AreaBasis.counties_in_range,
            box(0.5, 0, 1, 0.5),
        ),
        ([(PlaceLevel.township, "B1")], None, {}, AreaBasis.townships, B),
        ([(PlaceLevel.township, "B1")], [0, 0, 1.2, 1], {}, AreaBasis.townships_in_range, box(1, 0, 1.2, 1)),
        ([(PlaceLevel.township, "B1")], None, TOWNSHIPS, AreaBasis.township_polygons, TOWNSHIPS["B1"]),
        (
            [(PlaceLevel.township, "A2"), (PlaceLevel.township, "B1")],
            [0.8, 0.5, 3, 3],
            TOWNSHIPS,
            AreaBasis.township_polygons_in_range,
            box(0.8, 0.5, 1.5, 1),
        ),
        (
            [(PlaceLevel.city, "430600")],
            [1.5, 0.5, 5, 5],
            {},
            AreaBasis.whole_city_in_range,
            box(1.5, 0.5, 2, 1),
        ),
        # A township without a code: its named county's townships cannot all be drawn, so the counties.
        ([(PlaceLevel.county, "A"), (PlaceLevel.township, None)], None, TOWNSHIPS, AreaBasis.townships, A),
    ],
)
def test_the_rules_of_drawing(places, bbox, townships, basis, expected) -> None:  # noqa: ANN001
    boundaries = Boundaries({"A": A, "B": B}, PARENTS, townships)
    drawing = draw_area(_area(*places, bbox=bbox), boundaries)
    assert drawing is not None and drawing.basis == basis
    assert drawing.geometry.symmetric_difference(expected).area < 1e-12
    assert drawing.findings == []
    if bbox:
        assert drawing.declared_range.equals(box(*bbox))  # kept, to be drawn as an outline


def test_a_shared_edge_is_no_overlap_and_nothing_at_all_is_no_drawing() -> None:
    boundaries = Boundaries({"A": A, "B": B}, PARENTS)
    touching = draw_area(_area((PlaceLevel.county, "A"), bbox=[1, 0, 2, 1]), boundaries)
    assert touching is not None and touching.geometry is None and touching.basis == AreaBasis.range_disjoint
    assert [f.code for f in touching.findings] == ["range_disjoint_from_places"]
    assert touching.county_codes == ["A"]
    assert draw_area(_area((PlaceLevel.village, None)), boundaries) is None
    uploaded = draw_area(
        _area((PlaceLevel.county, "A"), bbox=[5, 5, 6, 6]), boundaries, uploaded=box(0.2, 0.2, 0.4, 0.4)
    )
    assert uploaded is not None and uploaded.basis == AreaBasis.uploaded_area  # the delimitation map itself
    assert uploaded.county_codes == ["A"] and uploaded.findings == []


def test_every_basis_has_words_in_both_languages() -> None:
    from gi_registry.core.i18n import ENUM_LABELS

    assert set(ENUM_LABELS["AreaBasis"]) == {b.value for b in AreaBasis}
    from gi_registry.indications.areas import CERTAINTY

    assert set(CERTAINTY) == set(AreaBasis) - {AreaBasis.range_disjoint}


def test_township_polygons_past_the_city_edge_are_kept_within_it() -> None:
    spilling = {**TOWNSHIPS, "B2": box(1.5, 0, 2.3, 1)}  # uploaded a little past county B's edge
    drawing = draw_area(_area((PlaceLevel.township, "B2")), Boundaries({"A": A, "B": B}, PARENTS, spilling))
    assert drawing.basis == AreaBasis.township_polygons
    assert drawing.geometry.symmetric_difference(box(1.5, 0, 2, 1)).area < 1e-12
