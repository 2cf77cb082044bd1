"""The reporter's page: a misuse report followed by its reference, no account needed."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gi_registry.core.db import SessionDep
from gi_registry.core.errors import NotFound
from gi_registry.reports import service as reports_service
from gi_registry.web.casework.views import local_time
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import render

router = APIRouter(include_in_schema=False)


@router.get("/reports", response_class=HTMLResponse)
def report_status_page(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    reference: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """Where a report stands, and the outcome once officials close it (the contact is never shown)."""
    report = None
    if reference and reference.strip():
        try:
            report = reports_service.by_reference(session, reference)
        except NotFound:
            report = None
    context = {
        "reference": reference,
        "report": report,
        "created": local_time(report.created_at) if report else None,
    }
    status = 404 if reference and reference.strip() and report is None else 200
    return render(request, "report_status.html", lang, context, status_code=status)
