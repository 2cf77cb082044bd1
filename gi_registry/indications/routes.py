"""Read API for GI products and the coverage report."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlmodel import Session

from gi_registry.auth.dependencies import Official
from gi_registry.core import cache
from gi_registry.core.dates import IsoDateTime
from gi_registry.core.db import SessionDep, in_session
from gi_registry.core.errors import BadRequest
from gi_registry.core.pagination import Page, PageDep
from gi_registry.geo.dependencies import codes_within, county_scope
from gi_registry.geo.models import AdminArea
from gi_registry.indications import areas
from gi_registry.indications import coverage as coverage_report
from gi_registry.indications import service as indications_service
from gi_registry.indications.models import (
    Category,
    IndicationPublic,
    IndicationUpdate,
    ProtectionKind,
    ProtectionUpdate,
)
from gi_registry.sources.models import Confidence

router = APIRouter(tags=["indications"])


def _standards_of(request: Request) -> indications_service.StandardsOf:
    """The standards governing each product: standards.service, which sits above this domain, handed in
    by the app assembly (`create_app`), so that indications never import it."""
    return request.app.state.standards_of


@router.get("/indications", response_model=Page[IndicationPublic])
def read_indications(
    request: Request,
    session: SessionDep,
    page: PageDep,
    area: Annotated[AdminArea | None, Depends(county_scope)],
    kind: Annotated[
        ProtectionKind | None, Query(description="Products holding a protection of this kind")
    ] = None,
    category: Annotated[Category | None, Query()] = None,
    confidence: Annotated[
        Confidence | None, Query(description="Products whose best-supported protection has this confidence")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Search Chinese names, pinyin (with or without tones, or initials) and English names",
        ),
    ] = None,
    modified_since: Annotated[
        IsoDateTime | None,
        Query(description="Only records changed at or after this time (ISO 8601; UTC if no zone)"),
    ] = None,
) -> Page[IndicationPublic]:
    """GI products with their protections and sources; city-wide products match every county."""
    filters = indications_service.IndicationFilter(
        kind=kind,
        category=category,
        county_codes=codes_within(session, area, include_parent=True),
        confidence=confidence,
        q=q,
        modified_since=modified_since,
    )
    return indications_service.list_indications(
        session,
        filters=filters,
        limit=page.limit,
        offset=page.offset,
        today=date.today(),
        standards_of=_standards_of(request),
    )


def _cached_indication(request: Request, id_or_slug: str) -> Response | None:
    # Terms are counted to today, so the day is part of what the answer depends on.
    found = cache.of(request).peek(("indication", id_or_slug, date.today()))
    return None if found is None else cache.respond(request, found, "application/json")


@router.get("/indications/{id_or_slug}", response_model=IndicationPublic, responses={404: {}})
@cache.answered_from(_cached_indication)
async def read_indication(request: Request, id_or_slug: str) -> Response:
    """One GI product by numeric id or slug (with an ETag; unchanged until the next write)."""
    if (hit := _cached_indication(request, id_or_slug)) is not None:
        return hit  # without the thread pool
    return await in_session(request, _one_indication, request, id_or_slug)


def _one_indication(session: Session, request: Request, id_or_slug: str) -> Response:
    today = date.today()

    def build(_version: int) -> bytes:
        indication = indications_service.get_indication(session, id_or_slug)
        return (
            indications_service.to_public(
                session, [indication], today=today, standards_of=_standards_of(request)
            )[0]
            .model_dump_json()
            .encode()
        )

    entry = cache.of(request).get(session, ("indication", id_or_slug, today), build)
    return cache.respond(request, entry, "application/json")


@router.get("/coverage", response_model=coverage_report.Coverage)
def read_coverage(session: SessionDep) -> coverage_report.Coverage:
    """Recorded protections per kind against the official totals, by confidence, most-unknown fields."""
    return coverage_report.coverage(session)


@router.get("/areas/lookup", tags=["areas"], responses={400: {}})
def lookup_point(
    session: SessionDep,
    lon: Annotated[str, Query(max_length=30, description="Longitude, WGS84 decimal degrees")],
    lat: Annotated[str, Query(max_length=30, description="Latitude, WGS84 decimal degrees")],
    as_of: Annotated[
        date | None, Query(description="Areas as they stood on this date; default today")
    ] = None,
) -> dict:
    """Which county and which GI production areas contain a point, and how sure that is."""
    return areas.lookup_point(session, *_coordinates(lon, lat), as_of=as_of)


def _coordinates(lon: str, lat: str) -> tuple[float, float]:
    try:
        x, y = float(lon), float(lat)
    except ValueError:
        raise BadRequest(f"lon and lat must be decimal degrees; got lon={lon!r}, lat={lat!r}.") from None
    if not (-180 <= x <= 180 and -90 <= y <= 90) or x != x or y != y:
        raise BadRequest(f"lon must be within -180..180 and lat within -90..90; got lon={lon}, lat={lat}.")
    return x, y


@router.patch(
    "/indications/{id_or_slug}",
    response_model=IndicationPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def edit_indication(
    request: Request, session: SessionDep, user: Official, id_or_slug: str, body: IndicationUpdate
) -> IndicationPublic:
    """Correct a GI product's names, category or notes (officials), with the reason and sources."""
    indication = indications_service.correct_indication(
        session, id_or_slug=id_or_slug, update=body, actor=f"{user.role.value}:{user.username}"
    )
    return indications_service.to_public(
        session, [indication], today=date.today(), standards_of=_standards_of(request)
    )[0]


@router.patch(
    "/protections/{protection_id}", response_model=IndicationPublic, responses={401: {}, 403: {}, 404: {}}
)
def edit_protection(
    request: Request,
    session: SessionDep,
    user: Official,
    protection_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    body: ProtectionUpdate,
) -> IndicationPublic:
    """Correct a protection (number, dates, holder, status, confidence …); answers the whole GI product."""
    indication = indications_service.correct_protection(
        session, protection_id=protection_id, update=body, actor=f"{user.role.value}:{user.username}"
    )
    return indications_service.to_public(
        session, [indication], today=date.today(), standards_of=_standards_of(request)
    )[0]
