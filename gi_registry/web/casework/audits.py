"""Audits on the officials' desk: record an inspection of a producer for a GI against a standard version,
see the open and overdue ones, follow them up and close them."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from gi_registry.audits import service as audits_service
from gi_registry.audits.models import AuditCreate, AuditResult, FollowUpIn
from gi_registry.auth.models import User
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.core.i18n import Lang, t
from gi_registry.indications import service as indications_service
from gi_registry.producers import service as producers_service
from gi_registry.standards import service as standards_service
from gi_registry.web.casework.views import (
    FormFields,
    case_page,
    field_errors,
    form_state,
    gate,
    history,
    saved,
)
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
CHECKLIST_ROWS = 6
# The model's and the service's refusals, by the words they use, as the field and message a page shows.
REFUSALS = [
    ("needs rectify_by", "rectify_by", "audit_rectify_needed"),
    ("rectify_by must come after", "rectify_by", "audit_rectify_after"),
    ("only a major nonconformity", "suspend_authorization", "audit_suspend_major_only"),
    ("in the future", "audit_date", "audit_date_future"),
    ("no producer", "producer_id", "err_not_found"),
    ("no GI product", "indication_id", "err_not_found"),
    ("no standard", "standard_id", "err_not_found"),
    ("nothing to suspend", "suspend_authorization", "audit_nothing_to_suspend"),
]


def _refusal(text: str, lang: Lang) -> dict[str, str]:
    for words, field, key in REFUSALS:
        if words in text:
            return {field: t(key, lang)}
    return {"_form": t("err_invalid", lang)}


def _choices(session: Session) -> dict:
    return {
        "producers": producers_service.producer_names(session),
        "gis": indications_service.names_by_id(session),
        "standards": standards_service.standard_names(session),
        "results": list(AuditResult),
        "checklist_rows": range(CHECKLIST_ROWS),
    }


@router.get("/officials/audits", response_class=HTMLResponse, response_model=None)
def audit_list(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, show: str = "open"
) -> Response:
    """Open audits (overdue rectifications first), or all of them."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    today = date.today()
    rows = [
        audits_service.to_public(session, a, today)
        for a in audits_service.list_audits(session, user, open_only=show != "all")
    ]
    rows.sort(key=lambda a: (not a.overdue, a.closed, a.rectify_by or date.max))
    context = {
        "user": user,
        "rows": rows,
        "show": "all" if show == "all" else "open",
        "producer_names": {p.id: p.name_zh for p in producers_service.producer_names(session)},
        "gis": indications_service.names_by_id(session),
        "overdue_count": sum(1 for a in rows if a.overdue),
    }
    return render_form(request, "casework/audits.html", lang, context)


@router.get("/officials/audits/new", response_class=HTMLResponse, response_model=None)
def audit_form(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The form to record an inspection."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    typed = {"audit_date": date.today().isoformat(), "officials": user.username}
    context = {"user": user, "errors": {}, "typed": typed, **_choices(session)}
    return render_form(request, "casework/audit_new.html", lang, context)


@router.post("/officials/audits/new", response_class=HTMLResponse, response_model=None)
def record_audit(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    form: FormFields,
) -> Response:
    """Record it; the same service function as POST /api/v1/audits (a major nonconformity may suspend)."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = {key: str(value)[:4000] for key, value in form.items() if key != "csrf"}
    checklist = []
    for row in range(CHECKLIST_ROWS):
        item = typed.get(f"item_{row}", "").strip()
        if item:
            outcome = typed.get(f"passed_{row}", "")
            passed = {"yes": True, "no": False}.get(outcome)
            checklist.append({"item": item, "passed": passed, "note": typed.get(f"note_{row}") or None})
    names = [n.strip() for n in typed.get("officials", "").replace("、", ",").split(",") if n.strip()]
    body = {
        "producer_id": typed.get("producer_id") or None,
        "indication_id": typed.get("indication_id") or None,
        "standard_id": typed.get("standard_id") or None,
        "audit_date": typed.get("audit_date") or None,
        "officials": names,
        "checklist": checklist,
        "result": typed.get("result") or None,
        "findings": typed.get("findings") or None,
        "rectify_by": typed.get("rectify_by") or None,
        "suspend_authorization": typed.get("suspend_authorization") == "on",
    }
    errors: dict[str, str] = {}
    try:
        audit_in = AuditCreate.model_validate(body)
    except ValidationError as error:
        errors = field_errors(error, lang)
        if "_form" in errors:
            message = "; ".join(str(e["msg"]) for e in error.errors() if not e["loc"])
            errors = {k: v for k, v in errors.items() if k != "_form"} | _refusal(message, lang)
    if not errors:
        try:
            audit = audits_service.record_audit(session, audit_in=audit_in, user=user, today=date.today())
        except (InvalidParameter, Conflict, NotFound) as refused:
            session.rollback()
            errors = _refusal(refused.message, lang)
        else:
            return saved(f"/officials/audits/{audit.id}", lang)
    context = {"user": user, "errors": errors, "typed": typed, **_choices(session)}
    return render_form(request, "casework/audit_new.html", lang, context, status_code=422)


def _case(session: Session, user: User, audit_id: int, lang: Lang) -> dict:
    audit = audits_service.to_public(session, audits_service.get_audit(session, audit_id, user), date.today())
    producer = producers_service.get_producer(session, audit.producer_id)
    standard = standards_service.get_standard(session, audit.standard_id) if audit.standard_id else None
    return {
        "user": user,
        "audit": audit,
        "producer": producer,
        "gi": indications_service.names_by_id(session).get(audit.indication_id),
        "standard": standard,
        "history": history(session, audits_service.AUDIT, audit.id, lang),
        **form_state(),
    }


@router.get("/officials/audits/{audit_id}", response_class=HTMLResponse, response_model=None)
def audit_case(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, audit_id: IdPath
) -> Response:
    """One audit: the checklist, result, findings, deadline, follow-up and history."""
    return gate(request, user) or case_page(
        request,
        lang,
        "casework/audit.html",
        lambda: _case(session, user, audit_id, lang),
        "audit_not_found",
    )


@router.post("/officials/audits/{audit_id}", response_class=HTMLResponse, response_model=None)
def audit_follow_up(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    audit_id: IdPath,
    follow_up: Annotated[str, Form(max_length=4000)] = "",
    closed: Annotated[str | None, Form(max_length=5)] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Record the follow-up and close when done; the same service function as the API's follow-up."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    try:
        context = _case(session, user, audit_id, lang)
    except NotFound:
        return not_found(request, lang, t("audit_not_found", lang))
    context["typed"] = {"follow_up": follow_up, "closed": closed}
    try:
        follow_up_in = FollowUpIn(follow_up=follow_up.strip(), closed=closed == "on")
    except ValidationError as error:
        context["errors"] = field_errors(error, lang)
        return render_form(request, "casework/audit.html", lang, context, status_code=422)
    try:
        audits_service.follow_up(session, audit_id=audit_id, follow_up_in=follow_up_in, user=user)
    except Conflict:
        session.rollback()
        context["message"] = t("audit_already_closed", lang)
        return render_form(request, "casework/audit.html", lang, context, status_code=409)
    return saved(f"/officials/audits/{audit_id}", lang)
