"""Read API for standards documents."""

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Request, UploadFile

from gi_registry.auth.dependencies import Official
from gi_registry.core.dates import IsoDateTime
from gi_registry.core.db import SessionDep
from gi_registry.core.pagination import Page, PageDep
from gi_registry.indications.dependencies import IndicationFilterDep
from gi_registry.standards import service as standards_service
from gi_registry.standards.models import (
    StandardCreate,
    StandardKind,
    StandardPublic,
    StandardStatus,
    StandardUpdate,
)

router = APIRouter(tags=["standards"])


@router.get("/standards", response_model=Page[StandardPublic])
def read_standards(
    session: SessionDep,
    page: PageDep,
    indication: IndicationFilterDep,
    kind: Annotated[StandardKind | None, Query()] = None,
    status: Annotated[StandardStatus | None, Query()] = None,
    modified_since: Annotated[
        IsoDateTime | None,
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


@router.post(
    "/standards",
    response_model=StandardPublic,
    status_code=201,
    responses={401: {}, 403: {}, 409: {}, 422: {}},
)
def create_standard(session: SessionDep, user: Official, body: StandardCreate) -> StandardPublic:
    """Record a standard (officials); superseding a number marks the older version superseded."""
    standard = standards_service.create_standard(
        session, standard_in=body, actor=f"{user.role.value}:{user.username}"
    )
    return standards_service.to_public(session, [standard])[0]


@router.patch(
    "/standards/{standard_id}", response_model=StandardPublic, responses={401: {}, 403: {}, 404: {}, 409: {}}
)
def edit_standard(
    session: SessionDep,
    user: Official,
    standard_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    body: StandardUpdate,
) -> StandardPublic:
    """Correct a standard's facts (officials), with the reason and sources."""
    standard = standards_service.correct_standard(
        session, standard_id=standard_id, update=body, actor=f"{user.role.value}:{user.username}"
    )
    return standards_service.to_public(session, [standard])[0]


@router.post(
    "/standards/{standard_id}/document",
    response_model=StandardPublic,
    responses={401: {}, 403: {}, 404: {}, 413: {}, 422: {}},
)
def upload_standard_text(
    request: Request,
    session: SessionDep,
    user: Official,
    standard_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    document: Annotated[UploadFile, File(description="The standard's text as a PDF")],
) -> StandardPublic:
    """Attach the text of a standard (a public PDF); a new version is recorded with POST /standards."""
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    standard = standards_service.attach_text(
        session,
        standard_id=standard_id,
        filename=document.filename,
        content_type=document.content_type,
        content=document.file.read(limit + 1),
        upload_root=settings.upload_dir,
        max_bytes=limit,
        actor=f"{user.role.value}:{user.username}",
    )
    return standards_service.to_public(session, [standard])[0]
