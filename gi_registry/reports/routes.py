"""Misuse reports: anyone files one (rate-limited) and follows it by reference; officials triage."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile, status

from gi_registry.auth.dependencies import Official
from gi_registry.core.db import SessionDep
from gi_registry.core.limits import client_address
from gi_registry.reports import service as reports_service
from gi_registry.reports.models import ReportPublic, ReportStatusPublic, TriageIn

router = APIRouter(tags=["misuse reports"])


@router.post(
    "/reports",
    response_model=ReportStatusPublic,
    status_code=status.HTTP_201_CREATED,
    responses={413: {}, 422: {}, 429: {}},
)
def file_report(
    request: Request,
    session: SessionDep,
    location: Annotated[str, Form(min_length=2, max_length=300, description="Where the label was seen")],
    description: Annotated[str, Form(min_length=5, max_length=4000, description="What was seen")],
    indication: Annotated[str | None, Form(max_length=80, description="GI slug or Chinese name")] = None,
    contact: Annotated[
        str | None, Form(max_length=200, description="Optional, seen by officials only")
    ] = None,
    photo: Annotated[UploadFile | None, File(description="Optional JPEG or PNG")] = None,
) -> ReportStatusPublic:
    """Report a suspected counterfeit or misused GI label, without an account; keep the reference."""
    request.app.state.report_limit.hit(client_address(request), "reports from this address")
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    picture = None
    if photo is not None and photo.filename:
        request.app.state.report_photo_limit.hit(client_address(request), "report photos from this address")
        picture = (photo.filename, photo.content_type, photo.file.read(limit + 1))
    report = reports_service.file_report(
        session,
        indication=indication,
        location=location,
        description=description,
        contact=contact,
        photo=picture,
        upload_root=settings.upload_dir,
        max_bytes=limit,
        photo_storage_bytes=int(settings.report_photos_total_mb * 1024 * 1024),
    )
    return ReportStatusPublic.model_validate(report, from_attributes=True)


@router.get("/reports/status/{reference}", response_model=ReportStatusPublic, responses={404: {}})
def report_status(session: SessionDep, reference: Annotated[str, Path(max_length=20)]) -> ReportStatusPublic:
    """Follow a report by its reference."""
    return ReportStatusPublic.model_validate(
        reports_service.by_reference(session, reference), from_attributes=True
    )


@router.get("/reports", response_model=dict[str, list[ReportPublic]], responses={401: {}, 403: {}})
def list_reports(session: SessionDep, user: Official) -> dict[str, list[ReportPublic]]:  # noqa: ARG001
    """Every report, newest first (officials)."""
    rows = reports_service.list_reports(session)
    return {"data": [ReportPublic.model_validate(r, from_attributes=True) for r in rows]}


@router.post(
    "/reports/{report_id}/triage", response_model=ReportPublic, responses={401: {}, 403: {}, 404: {}, 409: {}}
)
def triage_report(
    session: SessionDep, user: Official, report_id: Annotated[int, Path(ge=1, le=2**63 - 1)], body: TriageIn
) -> ReportPublic:
    """Move a report to investigating or closed (with its outcome)."""
    report = reports_service.triage(
        session, report_id=report_id, triage_in=body, actor=f"{user.role.value}:{user.username}"
    )
    return ReportPublic.model_validate(report, from_attributes=True)
