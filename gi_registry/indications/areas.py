"""GI production areas as GeoJSON features, drawn only from what the sources state."""

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from gi_registry.geo import service as geo_service
from gi_registry.indications.models import Indication, Protection, ProtectionKind


def production_area_features(
    session: Session, *, indication_ids: list[int] | None = None, county_code: str | None = None
) -> dict:
    """One feature per protection whose area can be drawn: a declared rectangle or the named counties.

    Properties say how the geometry was obtained (`basis`) and which townships the source names, so a
    map never presents a county fill as a surveyed boundary.
    """
    query = select(Protection, Indication).join(Indication, Indication.id == Protection.indication_id)
    if indication_ids is not None:
        query = query.where(Protection.indication_id.in_(indication_ids))
    rows = session.exec(query.order_by(Indication.id, Protection.id)).all()
    areas = geo_service.production_areas_for(session, [p.id for p, _ in rows])
    counties = geo_service.county_geometries(session)
    parents = geo_service.township_parents(session)
    features = []
    for protection, indication in rows:
        area = areas.get(protection.id)
        if area is None:
            continue
        geometry, basis, county_codes = geo_service.draw_production_area(area, counties, parents)
        if geometry is None:
            continue
        if county_code is not None and not _touches_county(geometry, county_codes, counties, county_code):
            continue
        townships = [p.name_zh for p in area.places if p.level.value in ("township", "village", "water_body")]
        features.append(
            {
                "type": "Feature",
                "id": f"protection-{protection.id}",
                "geometry": geometry.__geo_interface__,
                "properties": {
                    "indication_id": indication.id,
                    "slug": indication.slug,
                    "name_zh": indication.name_zh,
                    "name_en": indication.name_en or indication.name_pinyin or indication.name_zh,
                    "protection_id": protection.id,
                    "kind": ProtectionKind(protection.kind).value,
                    "number": protection.number,
                    "basis": basis,
                    "county_codes": county_codes,
                    "places": "、".join(townships),
                    "description_zh": area.description_zh,
                    "coordinate_range": area.coordinate_range,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _touches_county(
    geometry: BaseGeometry, county_codes: list[str], counties: dict[str, BaseGeometry], county_code: str
) -> bool:
    if county_code in county_codes:
        return True
    county = counties.get(county_code)
    return county is not None and geometry.intersects(county)


CERTAINTY = {
    "declared_range": "inside the coordinate range the source declares",
    "whole_city": "inside Yueyang, which the source names as the whole area",
    "counties": "inside a county the source names as the area (county level only)",
    "townships": "inside the county of a township the source names; township boundaries are unknown, "
    "so the point may lie outside the real area",
}


def lookup_point(session: Session, lon: float, lat: float) -> dict:
    """The county containing a point, and the production areas that contain it with how sure that is."""
    point = Point(lon, lat)
    county = next(
        (
            a
            for a in geo_service.yueyang_counties(session)
            if a.geometry is not None and a.geometry.covers(point)
        ),
        None,
    )
    areas = []
    for feature in production_area_features(session)["features"]:
        if shape(feature["geometry"]).covers(point):
            props = feature["properties"]
            areas.append(
                {
                    "slug": props["slug"],
                    "name_zh": props["name_zh"],
                    "name_en": props["name_en"],
                    "protection_id": props["protection_id"],
                    "kind": props["kind"],
                    "basis": props["basis"],
                    "certainty": CERTAINTY[props["basis"]],
                }
            )
    return {
        "lon": lon,
        "lat": lat,
        "county": (
            {"code": county.code, "name_zh": county.name_zh, "name_en": county.name_en} if county else None
        ),
        "areas": areas,
    }
