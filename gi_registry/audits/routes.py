"""Audits over the API: officials record and follow up; a producer reads its own."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import Response

from gi_registry.audits import service as audits_service
from gi_registry.audits.models import AuditCreate, AuditPublic, FollowUpIn
from gi_registry.audits.supervision import supervision_workbook
from gi_registry.auth.dependencies import CurrentUser, Official, require_roles
from gi_registry.auth.models import Role
from gi_registry.core.db import SessionDep
from gi_registry.core.downloads import XLSX, attachment

router = APIRouter(tags=["audits"])

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.post(
    "/audits",
    response_model=AuditPublic,
    status_code=status.HTTP_201_CREATED,
    responses={401: {}, 403: {}, 409: {}, 422: {}},
)
def record_audit(session: SessionDep, user: Official, body: AuditCreate) -> AuditPublic:
    """Record an inspection (result, findings, rectification deadline); may suspend the authorization."""
    audit = audits_service.record_audit(session, audit_in=body, user=user, today=date.today())
    return audits_service.to_public(session, audit, date.today())


@router.get("/audits", response_model=dict[str, list[AuditPublic]], responses={401: {}})
def list_audits(
    session: SessionDep, user: CurrentUser, open_only: Annotated[bool, Query(alias="open")] = False
) -> dict[str, list[AuditPublic]]:
    """Audits: officials see all, producers their own; `open=true` for cases not yet closed."""
    today = date.today()
    return {
        "data": [
            audits_service.to_public(session, a, today)
            for a in audits_service.list_audits(session, user, open_only=open_only)
        ]
    }


@router.get("/audits/{audit_id}", response_model=AuditPublic, responses={401: {}, 404: {}})
def read_audit(session: SessionDep, user: CurrentUser, audit_id: IdPath) -> AuditPublic:
    """One audit."""
    return audits_service.to_public(session, audits_service.get_audit(session, audit_id, user), date.today())


@router.post(
    "/audits/{audit_id}/follow-up", response_model=AuditPublic, responses={401: {}, 403: {}, 404: {}, 409: {}}
)
def follow_up(session: SessionDep, user: Official, audit_id: IdPath, body: FollowUpIn) -> AuditPublic:
    """Record the follow-up of an audit, and close it when the nonconformity is put right."""
    audit = audits_service.follow_up(session, audit_id=audit_id, follow_up_in=body, user=user)
    return audits_service.to_public(session, audit, date.today())


@router.get(
    "/supervision-report/{year}.xlsx",
    response_class=Response,
    responses={401: {}, 403: {}, 422: {}},
    summary="Annual GI supervision report (XLSX)",
    dependencies=[Depends(require_roles(Role.official, Role.admin))],
)
def supervision_report(
    request: Request,
    session: SessionDep,
    year: Annotated[int, Path(ge=2000, le=2100)],
    maps: Annotated[bool, Query(description="Include a sheet with each GI's map (PNG)")] = True,
) -> Response:
    """Per GI: authorized users, label switch, audits and results, standards in force, changes in the year;
    and, unless `maps=false`, each GI's production-area map."""
    drawer = getattr(request.app.state, "report_map_image", None) if maps else None
    map_image = (lambda slug: drawer(session, slug)) if drawer else None
    # The special mark's use is written by labels.usage_report, above this domain: handed in by create_app.
    body = supervision_workbook(session, year, map_image, usage_sheet=request.app.state.usage_sheet)
    return attachment(body, f"gi-supervision-report-{year}.xlsx", XLSX)
