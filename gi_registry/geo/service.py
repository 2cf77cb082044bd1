"""Reading administrative areas and production areas."""

from collections import defaultdict
from collections.abc import Iterable

from shapely.geometry import mapping
from sqlmodel import Session, select

from gi_registry.errors import InvalidParameter
from gi_registry.geo.models import (
    AdminArea,
    AdminAreaPublic,
    AreaLevel,
    AreaPlace,
    AreaPlacePublic,
    ProductionArea,
    ProductionAreaPublic,
)
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType


def list_admin_areas(session: Session, *, level: AreaLevel | None = None) -> list[AdminArea]:
    """Administrative areas ordered by code, optionally of one level."""
    query = select(AdminArea).order_by(AdminArea.code)
    if level is not None:
        query = query.where(AdminArea.level == level)
    return list(session.exec(query).all())


def resolve_county(session: Session, value: str) -> AdminArea:
    """Find a city or county by code, Chinese name or English name, or say which values exist."""
    folded = value.strip()
    candidates = list_admin_areas(session, level=AreaLevel.county) + list_admin_areas(
        session, level=AreaLevel.city
    )
    for area in candidates:
        if folded in (area.code, area.name_zh) or (area.name_en and folded.lower() == area.name_en.lower()):
            return area
    known = ", ".join(f"{a.code} {a.name_zh}" for a in candidates)
    raise InvalidParameter(f"county '{value}' is not a county of Yueyang; use one of: {known}")


def admin_areas_by_code(session: Session, codes: Iterable[str]) -> dict[str, AdminAreaPublic]:
    """Public views of the areas with these codes."""
    wanted = list(set(codes))
    if not wanted:
        return {}
    rows = session.exec(select(AdminArea).where(AdminArea.code.in_(wanted))).all()
    return {row.code: AdminAreaPublic.model_validate(row, from_attributes=True) for row in rows}


def county_feature_collection(session: Session) -> dict:
    """The county polygons as an RFC 7946 FeatureCollection (WGS84 lon/lat, no crs member)."""
    features = [
        {
            "type": "Feature",
            "id": area.code,
            "geometry": mapping(area.geometry),
            "properties": {
                "code": area.code,
                "name_zh": area.name_zh,
                "name_en": area.name_en,
                "level": area.level,
                "parent_code": area.parent_code,
                "area_km2": area.area_km2,
                "label_lon": area.label_lon,
                "label_lat": area.label_lat,
            },
        }
        for area in list_admin_areas(session, level=AreaLevel.county)
        if area.geometry is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def production_areas_for(session: Session, protection_ids: Iterable[int]) -> dict[int, ProductionAreaPublic]:
    """Production areas of many protections, with places and sources, keyed by protection id."""
    ids = list(set(protection_ids))
    if not ids:
        return {}
    areas = session.exec(select(ProductionArea).where(ProductionArea.protection_id.in_(ids))).all()
    area_ids = [a.id for a in areas]
    places: dict[int, list[AreaPlacePublic]] = defaultdict(list)
    if area_ids:
        for place in session.exec(
            select(AreaPlace)
            .where(AreaPlace.area_id.in_(area_ids))
            .order_by(AreaPlace.area_id, AreaPlace.position)
        ):
            places[place.area_id].append(AreaPlacePublic.model_validate(place, from_attributes=True))
    sources = sources_service.citations_for(session, EntityType.production_area, area_ids)
    result = {}
    for area in areas:
        bbox = None
        if area.lon_min is not None:
            bbox = [area.lon_min, area.lat_min, area.lon_max, area.lat_max]
        result[area.protection_id] = ProductionAreaPublic(
            **area.model_dump(include=set(ProductionAreaPublic.model_fields) - {"places", "bbox", "sources"}),
            places=places[area.id],
            bbox=bbox,
            sources=sources[area.id],
        )
    return result
