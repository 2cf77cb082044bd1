"""GI production areas as GeoJSON features, drawn only from what the sources state or officials upload."""

from dataclasses import dataclass
from datetime import date, timedelta

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from gi_registry.core.errors import NotFound
from gi_registry.geo import service as geo_service
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.drawing import AreaBasis, AreaDrawing, Boundaries, draw_area
from gi_registry.geo.models import (
    BoundaryVersion,
    BoundaryVersionPublic,
    ProductionArea,
    ProductionAreaPublic,
)
from gi_registry.indications import service as indications_service
from gi_registry.indications.models import Indication, Protection, ProtectionKind


@dataclass(frozen=True, slots=True)
class _Protection:
    """The protection fields a feature shows."""

    id: int
    kind: ProtectionKind
    number: str | None


@dataclass(frozen=True, slots=True)
class _Indication:
    """The product fields a feature shows."""

    id: int
    slug: str
    name_zh: str
    name_en: str | None
    name_pinyin: str | None


@dataclass(frozen=True)
class _Inputs:
    """What drawing needs, read once per request."""

    rows: list[tuple[_Protection, _Indication]]
    areas: dict[int, ProductionAreaPublic]
    counties: dict[str, BaseGeometry]
    parents: dict[str, str]

    def boundaries(self, township_polygons: dict[str, BaseGeometry] | None = None) -> Boundaries:
        """The polygons `draw_area` may use (township polygons only for drawings from the sources)."""
        return Boundaries(self.counties, self.parents, township_polygons or {})


def _inputs(session: Session, indication_ids: list[int] | None) -> _Inputs:
    # Plain columns, not ORM objects: a national registry has 20,000 protections to draw.
    query = select(
        Protection.id,
        Protection.kind,
        Protection.number,
        Indication.id,
        Indication.slug,
        Indication.name_zh,
        Indication.name_en,
        Indication.name_pinyin,
    ).join(Indication, Indication.id == Protection.indication_id)
    if indication_ids is not None:
        query = query.where(Protection.indication_id.in_(indication_ids))
    indications: dict[int, _Indication] = {}
    rows = []
    for protection_id, kind, number, indication_id, *names in session.exec(
        query.order_by(Indication.id, Protection.id)
    ):
        indication = indications.get(indication_id)
        if indication is None:
            indication = indications[indication_id] = _Indication(indication_id, *names)
        rows.append((_Protection(protection_id, kind, number), indication))
    return _Inputs(
        rows,
        geo_service.production_areas_for(
            session, None if indication_ids is None else [p.id for p, _ in rows], with_sources=False
        ),
        geo_service.county_geometries(session),
        geo_service.township_parents(session),
    )


def _feature(
    protection: _Protection,
    indication: _Indication,
    area: ProductionAreaPublic,
    drawing: AreaDrawing,
    upload: BoundaryVersion | None,
    feature_id: str,
    *,
    as_shape: bool = False,
) -> dict:
    geometry = drawing.geometry
    if geometry is not None and not as_shape:
        geometry = geometry.__geo_interface__
    townships = [p.name_zh for p in area.places if p.level.value in ("township", "village", "water_body")]
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": geometry,
        "properties": {
            "indication_id": indication.id,
            "slug": indication.slug,
            "name_zh": indication.name_zh,
            "name_en": indication.name_en or indication.name_pinyin or indication.name_zh,
            "protection_id": protection.id,
            "kind": ProtectionKind(protection.kind).value,
            "number": protection.number,
            "basis": drawing.basis.value,
            "county_codes": drawing.county_codes,
            "places": "、".join(townships),
            "description_zh": area.description_zh,
            "coordinate_range": area.coordinate_range,
            # The published range as [lon_min, lat_min, lon_max, lat_max]: drawn as an outline, never as
            # the area; and what drawing found (the range and the places not overlapping).
            "declared_range": list(drawing.declared_range.bounds) if drawing.declared_range else None,
            "findings": [f.as_dict() for f in drawing.findings],
            "version_id": upload.id if upload else None,
            "valid_from": upload.valid_from.isoformat() if upload else None,
            "valid_to": upload.valid_to.isoformat() if upload and upload.valid_to else None,
        },
    }


def production_area_features(
    session: Session,
    *,
    indication_ids: list[int] | None = None,
    county_code: str | None = None,
    as_of: date | None = None,
    shapes: bool = False,
) -> dict:
    """One feature per protection whose area can be placed, as it stood on `as_of` (default today).

    With `shapes`, each feature's geometry is the shapely geometry itself, for callers that go on
    computing with it (a union per product) rather than serialising it.

    Drawn by `gi_registry.geo.drawing.draw_area`: an uploaded polygon, else the named places clipped to
    the published range. Properties say which (`basis`, and `version_id` for an upload), which townships
    the source names, the range (`declared_range`, an outline) and `findings`, so a map never presents a
    county fill as a surveyed boundary. When the places and the range do not overlap the feature is kept
    with a null geometry (basis `range_disjoint`) and its finding; callers that draw skip it.
    """
    as_of = as_of or date.today()
    inputs = _inputs(session, indication_ids)
    uploads = geo_versions.area_versions(session, [p.id for p, _ in inputs.rows], as_of)
    boundaries = inputs.boundaries(geo_versions.township_polygons(session, as_of))
    features = []
    for protection, indication in inputs.rows:
        area = inputs.areas.get(protection.id)
        if area is None:
            continue
        upload = uploads.get(protection.id)
        drawing = draw_area(area, boundaries, uploaded=upload.geometry if upload else None)
        if drawing is None:
            continue
        if county_code is not None and not _touches_county(drawing, inputs.counties, county_code):
            continue
        feature = _feature(
            protection, indication, area, drawing, upload, f"protection-{protection.id}", as_shape=shapes
        )
        feature["properties"]["as_of"] = as_of.isoformat()
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def production_area_eras(
    session: Session, indication_ids: list[int] | None = None, *, shapes: bool = False
) -> list[tuple[dict, date, date]]:
    """Every production area through time: each uploaded version, and the drawing from the sources alone
    for the time before the first upload, each with the closed span of days it applies to.

    This is what OGC `datetime` filters: an instant selects the version in force that day. Limited to
    the products in `indication_ids` when given; `shapes` as in `production_area_features`.
    """
    inputs = _inputs(session, indication_ids)
    today = date.today()
    boundaries = inputs.boundaries(geo_versions.township_polygons(session, today))
    plain = inputs.boundaries()
    history: dict[int, list[BoundaryVersion]] = {}
    for version in geo_versions.all_area_versions(session):
        history.setdefault(version.protection_id, []).append(version)
    eras = []
    for protection, indication in inputs.rows:
        area = inputs.areas.get(protection.id)
        if area is None:
            continue
        versions = history.get(protection.id, [])
        for version in versions:
            drawing = draw_area(area, plain, uploaded=version.geometry)
            assert drawing is not None  # an uploaded polygon is always drawn
            feature = _feature(
                protection,
                indication,
                area,
                drawing,
                version,
                f"{protection.id}-v{version.id}",
                as_shape=shapes,
            )
            last = version.valid_to - timedelta(days=1) if version.valid_to else date.max
            eras.append((feature, version.valid_from, last))
        drawing = draw_area(area, boundaries)
        if drawing is None:
            continue
        until = versions[0].valid_from - timedelta(days=1) if versions else date.max
        feature = _feature(
            protection, indication, area, drawing, None, f"{protection.id}-sources", as_shape=shapes
        )
        eras.append((feature, date.min, until))
    return eras


def _touches_county(drawing: AreaDrawing, counties: dict[str, BaseGeometry], county_code: str) -> bool:
    if county_code in drawing.county_codes:
        return True
    county = counties.get(county_code)
    return county is not None and drawing.geometry is not None and drawing.geometry.intersects(county)


_WITHIN_RANGE = ", and inside the coordinate range the source publishes"
CERTAINTY = {
    AreaBasis.uploaded_area: "inside the production-area polygon an official uploaded from its "
    "delimitation map",
    AreaBasis.township_polygons: "inside the boundary of a township the source names",
    AreaBasis.township_polygons_in_range: "inside the boundary of a township the source names"
    + _WITHIN_RANGE,
    AreaBasis.townships_in_range: "inside the county of a township the source names"
    + _WITHIN_RANGE
    + "; township boundaries are unknown, so the point may lie outside the real area",
    AreaBasis.counties_in_range: "inside a county the source names" + _WITHIN_RANGE,
    AreaBasis.whole_city_in_range: "inside Yueyang, which the source names" + _WITHIN_RANGE,
    AreaBasis.declared_range: "inside the coordinate range the source publishes (it names no place), "
    "within Yueyang; a range is the extent of an area, so the point may lie outside the real area",
    AreaBasis.whole_city: "inside Yueyang, which the source names as the whole area",
    AreaBasis.counties: "inside a county the source names as the area (county level only)",
    AreaBasis.townships: "inside the county of a township the source names; township boundaries are "
    "unknown, so the point may lie outside the real area",
}


def lookup_point(session: Session, lon: float, lat: float, as_of: date | None = None) -> dict:
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
    for feature in production_area_features(session, as_of=as_of, shapes=True)["features"]:
        if feature["geometry"] is not None and feature["geometry"].covers(point):
            props = feature["properties"]
            areas.append(
                {
                    "slug": props["slug"],
                    "name_zh": props["name_zh"],
                    "name_en": props["name_en"],
                    "protection_id": props["protection_id"],
                    "kind": props["kind"],
                    "basis": props["basis"],
                    "version_id": props["version_id"],
                    "certainty": CERTAINTY[AreaBasis(props["basis"])],
                }
            )
    return {
        "lon": lon,
        "lat": lat,
        "county": (
            {"code": county.code, "name_zh": county.name_zh, "name_en": county.name_en} if county else None
        ),
        "areas": areas,
        "as_of": (as_of or date.today()).isoformat(),
    }


def superseded_area_versions(session: Session, *, indication_id: int) -> list[BoundaryVersion]:
    """The closed (replaced) production-area versions of one GI's protections, oldest first.

    Here rather than in `geo.versions` because it joins protections, and geo never imports indications.
    """
    query = (
        select(BoundaryVersion)
        .join(Protection, Protection.id == BoundaryVersion.protection_id)
        .where(Protection.indication_id == indication_id, BoundaryVersion.valid_to.is_not(None))
    )
    return list(session.exec(query.order_by(BoundaryVersion.valid_from)))


def area_versions(session: Session, protection_id: int) -> list[BoundaryVersionPublic]:
    """Every uploaded version of a protection's production area, oldest first; NotFound for no protection."""
    if session.get(Protection, protection_id) is None:
        raise NotFound(f"No protection with id {protection_id}.")
    return geo_versions.to_public(session, geo_versions.history_of(session, protection_id=protection_id))


def indication_area_features(session: Session, id_or_slug: str, as_of: date | None) -> dict:
    """A GI's production areas as drawn on a date, as a GeoJSON FeatureCollection; NotFound for no GI."""
    indication = indications_service.get_indication(session, id_or_slug)
    return production_area_features(session, indication_ids=[indication.id], as_of=as_of)


def protections_with_areas(session: Session) -> list[tuple[Protection, Indication]]:
    """The protections that have a production area, with their GI, by GI name (the upload page's list)."""
    query = (
        select(Protection, Indication)
        .join(Indication, Indication.id == Protection.indication_id)
        .join(ProductionArea, ProductionArea.protection_id == Protection.id)
        .order_by(Indication.name_zh, Protection.id)
    )
    return list(session.exec(query).all())
