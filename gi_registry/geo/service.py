"""Reading administrative areas and production areas (drawn as geometry by gi_registry.geo.drawing)."""

from collections import defaultdict
from collections.abc import Iterable

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from gi_registry.core.errors import InvalidParameter, NotFound
from gi_registry.geo.models import (
    YUEYANG_CODE,
    AdminArea,
    AdminAreaPublic,
    AreaLevel,
    AreaPlace,
    AreaPlacePublic,
    ProductionArea,
    ProductionAreaBase,
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


def yueyang_counties(session: Session) -> list[AdminArea]:
    """Yueyang's county-level divisions (including 屈原管理区, which has no polygon)."""
    return list_admin_areas(session, level=AreaLevel.county)


def get_county(session: Session, code: str) -> AdminArea:
    """A county-level division of Yueyang by code, or NotFound."""
    area = session.get(AdminArea, code)
    if area is None or area.level != AreaLevel.county:
        raise NotFound(f"No county-level division of Yueyang with code '{code}'.")
    return area


def get_township(session: Session, code: str) -> AdminArea:
    """A township of Yueyang by code, or an InvalidParameter naming the code."""
    area = session.get(AdminArea, code)
    if area is None or area.level != AreaLevel.township:
        raise InvalidParameter(
            f"'{code}' is not a township code of Yueyang (see /api/v1/divisions?level=township)"
        )
    return area


def resolve_county(session: Session, value: str) -> AdminArea:
    """Find Yueyang or one of its counties by code, Chinese or English name, or say which values exist."""
    wanted = value.strip()
    candidates = yueyang_counties(session)
    city = session.get(AdminArea, YUEYANG_CODE)
    if city is not None:
        candidates.append(city)
    for area in candidates:
        if wanted in (area.code, area.name_zh) or (area.name_en and wanted.lower() == area.name_en.lower()):
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


def _area_feature(area: AdminArea) -> dict:
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": mapping(area.geometry),
        "properties": {
            "code": area.code,
            "name_zh": area.name_zh,
            "name_en": area.name_en,
            "level": area.level.value,
            "parent_code": area.parent_code,
            "area_km2": area.area_km2,
            "label_lon": area.label_lon,
            "label_lat": area.label_lat,
        },
    }


def county_feature_collection(session: Session, *, codes: Iterable[str] | None = None) -> dict:
    """The county polygons (all, or those with `codes`) as an RFC 7946 FeatureCollection (WGS84)."""
    wanted = set(codes) if codes is not None else None
    features = [
        _area_feature(area)
        for area in yueyang_counties(session)
        if area.geometry is not None and (wanted is None or area.code in wanted)
    ]
    return {"type": "FeatureCollection", "features": features}


def context_feature_collection(session: Session) -> dict:
    """The prefectures around Yueyang, drawn faintly for orientation."""
    features = [
        _area_feature(area)
        for area in list_admin_areas(session, level=AreaLevel.city)
        if area.code != YUEYANG_CODE and area.geometry is not None
    ]
    return {"type": "FeatureCollection", "features": features}


def production_areas_for(
    session: Session, protection_ids: Iterable[int] | None, *, with_sources: bool = True
) -> dict[int, ProductionAreaPublic]:
    """Production areas of many protections (None: all), with places and sources, keyed by protection id.

    Narrow column queries and unvalidated construction: the rows come from our own constrained tables,
    and at national scale (20,000 areas) validating each one again costs seconds. Drawing a map needs
    no sources, hence `with_sources=False`.
    """
    ids = None if protection_ids is None else list(set(protection_ids))
    if ids == []:
        return {}
    area_columns = [getattr(ProductionArea, name) for name in _AREA_FIELDS]
    query = select(ProductionArea.id, ProductionArea.protection_id, *area_columns, *_RANGE_COLUMNS)
    if ids is not None:
        query = query.where(ProductionArea.protection_id.in_(ids))
    areas = session.exec(query).all()
    area_ids = None if ids is None else [row[0] for row in areas]
    places: dict[int, list[AreaPlacePublic]] = defaultdict(list)
    place_query = select(AreaPlace.area_id, *(getattr(AreaPlace, name) for name in _PLACE_FIELDS)).order_by(
        AreaPlace.area_id, AreaPlace.position
    )
    if area_ids is not None:
        place_query = place_query.where(AreaPlace.area_id.in_(area_ids))
    if area_ids != []:
        for area_id, *values in session.exec(place_query):
            places[area_id].append(
                AreaPlacePublic.model_construct(**dict(zip(_PLACE_FIELDS, values, strict=True)))
            )
    sources = (
        sources_service.citations_for(session, EntityType.production_area, [row[0] for row in areas])
        if with_sources
        else defaultdict(list)
    )
    result = {}
    for area_id, protection_id, *values in areas:
        fields = dict(zip(_AREA_FIELDS, values[: len(_AREA_FIELDS)], strict=True))
        lon_min, lat_min, lon_max, lat_max = values[len(_AREA_FIELDS) :]
        result[protection_id] = ProductionAreaPublic.model_construct(
            **fields,
            places=places[area_id],
            bbox=[lon_min, lat_min, lon_max, lat_max] if lon_min is not None else None,
            sources=sources[area_id],
        )
    return result


_AREA_FIELDS = tuple(ProductionAreaBase.model_fields)
_PLACE_FIELDS = tuple(AreaPlacePublic.model_fields)
_RANGE_COLUMNS = (
    ProductionArea.lon_min,
    ProductionArea.lat_min,
    ProductionArea.lon_max,
    ProductionArea.lat_max,
)


def county_geometries(session: Session) -> dict[str, BaseGeometry]:
    """Polygon of each county that has one, by code."""
    return {a.code: a.geometry for a in yueyang_counties(session) if a.geometry is not None}


def township_parents(session: Session) -> dict[str, str]:
    """County code of every township, by township code."""
    return {
        a.code: a.parent_code for a in list_admin_areas(session, level=AreaLevel.township) if a.parent_code
    }
