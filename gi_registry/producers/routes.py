"""Read API for producers."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from gi_registry.auth.dependencies import Official
from gi_registry.core.dates import IsoDateTime
from gi_registry.core.db import SessionDep
from gi_registry.core.pagination import Page, PageDep
from gi_registry.geo.dependencies import codes_within, county_scope
from gi_registry.geo.models import AdminArea
from gi_registry.indications.dependencies import IndicationFilterDep
from gi_registry.producers import service as producers_service
from gi_registry.producers.models import LinkRole, ProducerCreate, ProducerPublic, ProducerUpdate

router = APIRouter(tags=["producers"])


@router.get("/producers", response_model=Page[ProducerPublic])
def read_producers(
    request: Request,
    session: SessionDep,
    page: PageDep,
    area: Annotated[AdminArea | None, Depends(county_scope)],
    indication: IndicationFilterDep,
    role: Annotated[
        LinkRole | None, Query(description="Only producers holding this role towards a GI")
    ] = None,
    modified_since: Annotated[
        IsoDateTime | None,
        Query(description="Only records changed at or after this time (ISO 8601; UTC if no zone)"),
    ] = None,
) -> Page[ProducerPublic]:
    """Producers with their roles towards GI products (holder, applicant, authorized user, licensee)."""
    filters = producers_service.ProducerFilter(
        county_codes=codes_within(session, area, include_parent=False),
        indication_id=indication.id if indication else None,
        role=role,
        modified_since=modified_since,
        include_synthetic=request.app.state.settings.demo_mode,
    )
    return producers_service.list_producers(session, filters=filters, limit=page.limit, offset=page.offset)


@router.get("/producers/{producer_id}", response_model=ProducerPublic, responses={404: {}})
def read_producer(
    request: Request, session: SessionDep, producer_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> ProducerPublic:
    """One producer by id (demo producers only in demo mode)."""
    producer = producers_service.get_producer(
        session, producer_id, include_synthetic=request.app.state.settings.demo_mode
    )
    return producers_service.to_public(session, [producer])[0]


@router.post(
    "/producers",
    response_model=ProducerPublic,
    status_code=201,
    responses={401: {}, 403: {}, 409: {}, 422: {}},
)
def create_producer(session: SessionDep, user: Official, body: ProducerCreate) -> ProducerPublic:
    """Add a producer with the reason and its sources (officials)."""
    producer = producers_service.create_producer(
        session, producer_in=body, actor=f"{user.role.value}:{user.username}"
    )
    return producers_service.to_public(session, [producer])[0]


@router.patch(
    "/producers/{producer_id}",
    response_model=ProducerPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}, 422: {}},
)
def edit_producer(
    session: SessionDep,
    user: Official,
    producer_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    body: ProducerUpdate,
) -> ProducerPublic:
    """Correct a producer's names, code or place (officials), with the reason and sources."""
    producer = producers_service.edit_producer(
        session, producer_id=producer_id, update=body, actor=f"{user.role.value}:{user.username}"
    )
    return producers_service.to_public(session, [producer])[0]
