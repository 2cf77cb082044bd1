"""Versions of uploaded boundaries: production-area polygons and township polygons, each valid for a span.

A version applies from `valid_from` up to (not including) `valid_to`; the newest has no `valid_to`. "As of"
a date means the version whose span contains it, so earlier versions stay answerable.
"""

from collections.abc import Iterable
from datetime import date

from shapely.geometry.base import BaseGeometry
from sqlalchemy import or_
from sqlmodel import Session, select

from gi_registry.core.errors import NotFound
from gi_registry.geo.models import BoundarySubject, BoundaryVersion, BoundaryVersionPublic
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType


def _valid_on(as_of: date):  # noqa: ANN202 - a SQL condition
    return (BoundaryVersion.valid_from <= as_of) & or_(
        BoundaryVersion.valid_to.is_(None), BoundaryVersion.valid_to > as_of
    )


def area_versions(
    session: Session, protection_ids: Iterable[int] | None, as_of: date
) -> dict[int, BoundaryVersion]:
    """The production-area version in force on `as_of` for each protection that has one."""
    query = select(BoundaryVersion).where(
        BoundaryVersion.subject == BoundarySubject.production_area, _valid_on(as_of)
    )
    if protection_ids is not None:
        query = query.where(BoundaryVersion.protection_id.in_(list(set(protection_ids))))
    return {v.protection_id: v for v in session.exec(query)}


def all_area_versions(session: Session) -> list[BoundaryVersion]:
    """Every production-area version, by protection, oldest first."""
    query = select(BoundaryVersion).where(BoundaryVersion.subject == BoundarySubject.production_area)
    return list(session.exec(query.order_by(BoundaryVersion.protection_id, BoundaryVersion.valid_from)))


def get_version(session: Session, version_id: int) -> BoundaryVersion:
    """One uploaded boundary version, or NotFound."""
    version = session.get(BoundaryVersion, version_id)
    if version is None:
        raise NotFound(f"No boundary version with id {version_id}.")
    return version


def township_polygons(session: Session, as_of: date) -> dict[str, BaseGeometry]:
    """Polygon of every township that has one on `as_of`, by township code."""
    query = select(BoundaryVersion).where(
        BoundaryVersion.subject == BoundarySubject.township, _valid_on(as_of)
    )
    return {v.township_code: v.geometry for v in session.exec(query)}


def township_versions(session: Session, as_of: date) -> list[BoundaryVersion]:
    """The township versions in force on `as_of`, by code."""
    query = select(BoundaryVersion).where(
        BoundaryVersion.subject == BoundarySubject.township, _valid_on(as_of)
    )
    return list(session.exec(query.order_by(BoundaryVersion.township_code)))


def history_of(
    session: Session, *, protection_id: int | None = None, township_code: str | None = None
) -> list[BoundaryVersion]:
    """Every version of one subject, oldest first."""
    query = select(BoundaryVersion)
    if protection_id is not None:
        query = query.where(BoundaryVersion.protection_id == protection_id)
    else:
        query = query.where(BoundaryVersion.township_code == township_code)
    return list(session.exec(query.order_by(BoundaryVersion.valid_from, BoundaryVersion.id)))


def latest(
    session: Session, *, protection_id: int | None = None, township_code: str | None = None
) -> BoundaryVersion | None:
    """The newest version of one subject (the one without an end), if any."""
    versions = history_of(session, protection_id=protection_id, township_code=township_code)
    return next((v for v in reversed(versions) if v.valid_to is None), None)


def to_public(session: Session, versions: list[BoundaryVersion]) -> list[BoundaryVersionPublic]:
    """Public views with their sources."""
    sources = sources_service.citations_for(session, EntityType.boundary_version, [v.id for v in versions])
    return [
        BoundaryVersionPublic(
            **v.model_dump(include=set(BoundaryVersionPublic.model_fields) - {"bbox", "sources"}),
            bbox=[v.bbox_min_lon, v.bbox_min_lat, v.bbox_max_lon, v.bbox_max_lat],
            sources=sources[v.id],
        )
        for v in versions
    ]


def version_feature(version: BoundaryVersion, properties: dict | None = None) -> dict:
    """A version as a GeoJSON feature (WGS84)."""
    return {
        "type": "Feature",
        "id": f"version-{version.id}",
        "geometry": version.geometry.__geo_interface__,
        "properties": {
            "version_id": version.id,
            "subject": version.subject.value,
            "protection_id": version.protection_id,
            "township_code": version.township_code,
            "valid_from": version.valid_from.isoformat(),
            "valid_to": version.valid_to.isoformat() if version.valid_to else None,
            "gcj02": version.gcj02.value,
            "area_km2": round(version.area_km2, 3),
        }
        | (properties or {}),
    }
