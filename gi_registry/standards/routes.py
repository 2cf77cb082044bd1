"""Read API for standards documents."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from gi_registry.db import SessionDep
from gi_registry.indications.dependencies import IndicationFilterDep
from gi_registry.pagination import Page, PageDep
from gi_registry.standards import service as standards_service
from gi_registry.standards.models import StandardKind, StandardPublic, StandardStatus

router = APIRouter(tags=["standards"])


@router.get("/standards", response_model=Page[StandardPublic])
def read_standards(
    session: SessionDep,
    page: PageDep,
    indication: IndicationFilterDep,
    kind: Annotated[StandardKind | None, Query()] = None,
    status: Annotated[StandardStatus | None, Query()] = None,
    modified_since: Annotated[
        datetime | None,
        Query(description="Only records changed at or after this time (ISO 8601; UTC if no zone)"),
    ] = None,
) -> Page[StandardPublic]:
    """Standards and management rules, with the GI products each governs."""
    filters = standards_service.StandardFilter(
        kind=kind,
        status=status,
        indication_id=indication.id if indication else None,
        modified_since=modified_since,
    )
    return standards_service.list_standards(session, filters=filters, limit=page.limit, offset=page.offset)


@router.get("/standards/{standard_id}", response_model=StandardPublic, responses={404: {}})
def read_standard(
    session: SessionDep, standard_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> StandardPublic:
    """One standard by id."""
    return standards_service.to_public(session, [standards_service.get_standard(session, standard_id)])[0]
