"""Misuse reports on the officials' desk: the list with photos, and triage new → investigating → closed
with the outcome the reporter will see on the public status page."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from gi_registry.auth.models import User, actor_of
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter, InvalidTransition, NotFound
from gi_registry.core.i18n import Lang, enum_label, t
from gi_registry.indications import service as indications_service
from gi_registry.reports import service as reports_service
from gi_registry.reports.models import ReportStatus, TriageIn
from gi_registry.web.casework.views import case_page, form_state, gate, history, local_time, saved
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/officials/reports", response_class=HTMLResponse, response_model=None)
def report_list(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, status: ReportStatus | None = None
) -> Response:
    """Reports, newest first, filtered by state."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    rows = reports_service.list_reports(session, status)
    context = {
        "user": user,
        "rows": rows,
        "status": status,
        "statuses": list(ReportStatus),
        "created": {r.id: local_time(r.created_at) for r in rows},
        "gi_names": indications_service.names_by_id(session),
    }
    return render_form(request, "casework/reports.html", lang, context)


def _context(session: Session, user: User, report_id: int, lang: Lang) -> dict:
    report = reports_service.get_report(session, report_id)
    return {
        "user": user,
        "report": report,
        "created": local_time(report.created_at),
        "gi_names": indications_service.names_by_id(session),
        "next_statuses": reports_service.next_statuses(report.status),
        "history": history(session, reports_service.REPORT, report.id, lang),
        **form_state(),
    }


@router.get("/officials/reports/{report_id}", response_class=HTMLResponse, response_model=None)
def report_case(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, report_id: IdPath
) -> Response:
    """One report: what and where, the photo, the contact, its history and the triage form."""
    return gate(request, user) or case_page(
        request,
        lang,
        "casework/report.html",
        lambda: _context(session, user, report_id, lang),
        "report_not_found",
    )


@router.post("/officials/reports/{report_id}", response_class=HTMLResponse, response_model=None)
def triage_report(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    report_id: IdPath,
    status: Annotated[str, Form(max_length=20)],
    outcome: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Move the report on; the same service function as POST /api/v1/reports/{id}/triage."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    try:
        context = _context(session, user, report_id, lang)
    except NotFound:
        return not_found(request, lang, t("report_not_found", lang))
    context["typed"] = {"status": status, "outcome": outcome}
    try:
        triage_in = TriageIn(status=status, outcome=outcome.strip() or None)
    except ValidationError:
        context["errors"] = {"status": t("err_choice", lang)}
        return render_form(request, "casework/report.html", lang, context, status_code=422)
    try:
        reports_service.triage(session, report_id=report_id, triage_in=triage_in, actor=actor_of(user))
    except InvalidTransition:
        session.rollback()
        state = enum_label(context["report"].status, lang)
        context["message"] = t("report_changed_meanwhile", lang).format(state=state)
        return render_form(request, "casework/report.html", lang, context, status_code=409)
    except InvalidParameter:
        session.rollback()
        context["errors"] = {"outcome": t("report_outcome_needed", lang)}
        return render_form(request, "casework/report.html", lang, context, status_code=422)
    return saved(f"/officials/reports/{report_id}", lang)
