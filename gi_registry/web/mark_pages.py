"""Special-mark applications in the browser: a producer files and answers; officials at the city, county
and provincial bureaus accept, check on site, delegate, forward, approve with the announcement or refuse.

Each form calls the same service function as its /api/v1/mark-applications endpoint, with the same rules
(level and area included), a CSRF token and the upload limits; a refusal re-renders the page with the
reason in the page's language.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from gi_registry.auth.models import Role, User
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    RegistryError,
)
from gi_registry.core.i18n import Lang, enum_label, t
from gi_registry.labels import mark_applications as service
from gi_registry.labels.mark_models import (
    ApplicationKind,
    DelegationIn,
    MarkApplicationStatus,
    MarkStep,
    MarkStepIn,
    NoticeKind,
    RequestedChanges,
    SiteCheckIn,
    SiteCheckOutcome,
    UserBasis,
)
from gi_registry.web.casework.views import field_errors, history, local_time
from gi_registry.web.dependencies import LangDep
from gi_registry.web.producer_pages import StaleForm, _csrf_ok, _limits, _uploads, form_error
from gi_registry.web.rendering import forbidden, not_found
from gi_registry.web.session import WebUser, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
OfficialForm = Annotated[str, Form(max_length=4000)]
Files = Annotated[list[UploadFile | str] | None, File()]


def _gate(request: Request, user: User | None, *, official: bool) -> Response | None:
    """Sign in first; then officials' pages for officials and administrators, producers' for producers."""
    if user is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if official and user.role not in (Role.official, Role.admin):
        return forbidden(request, key="officials_only")
    if not official and user.role != Role.producer:
        return forbidden(request, key="producer_only")
    return None


def _base(user: User) -> str:
    return "/producer/mark-applications" if user.role == Role.producer else "/officials/mark-applications"


def _budget(request: Request) -> service.Budget:
    settings = request.app.state.settings
    return service.Budget(settings.upload_dir, int(settings.max_upload_mb * 1024 * 1024))


def _refusal(exc: RegistryError, lang: Lang, state: MarkApplicationStatus | None = None) -> str:
    """A refused step in the page's words: the message says what to do, not the internal error."""
    text = exc.message
    if isinstance(exc, InvalidTransition) or "changed while you were deciding" in text:
        return t("sm_err_changed", lang, state=enum_label(state, lang) if state else "—")
    if isinstance(exc, Forbidden):
        return t("sm_err_forbidden", lang)
    for words, key in (
        ("on-site check that found", "sm_err_site_check"),
        ("announcement", "sm_err_announcement"),
        ("already open", "sm_err_open"),
        ("already holds", "sm_err_open"),
        ("does not apply", "sm_err_basis"),
        ("licence", "sm_err_evidence"),
        ("Say what changes", "sm_err_changes"),
        ("change application needs", "sm_err_changes"),
        ("cannot be in the future", "sm_err_date"),
        ("cannot predate", "sm_err_date"),
    ):
        if words in text:
            return t(key, lang)
    return form_error_text(exc, lang)


def form_error_text(exc: RegistryError, lang: Lang) -> str:
    """The generic words for a refusal the list above does not name."""
    key = {
        "too_large": "error_too_large",
        "unsupported_type": "error_unsupported_type",
        "invalid_upload": "error_invalid_upload",
        "not_found": "error_not_found",
    }.get(exc.code, "error_bad_request")
    return t(key, lang, status="", mb="", files="")


# --- filing (producers, and officials for a producer) ----------------------------------------------------


def _new_page(
    request: Request,
    session: SessionDep,
    lang: Lang,
    user: User,
    *,
    error: str | None = None,
    typed: dict | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "user": user,
        "choices": service.filing_choices(session, user),
        "kinds": list(ApplicationKind),
        "bases": list(UserBasis),
        "langs": list(Lang),
        "limits": _limits(request),
        "error": error,
        "typed": typed or {"kind": request.query_params.get("kind", "first_use"), "lang": lang.value},
        "action": f"{_base(user)}/new",
    }
    return render_form(request, "mark_new.html", lang, context, status_code=status)


@router.get("/producer/mark-applications/new", response_class=HTMLResponse, response_model=None)
@router.get("/officials/mark-applications/new", response_class=HTMLResponse, response_model=None)
def new_application(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The filing form: a first application to use the mark, or a change of the user's details."""
    blocked = _gate(request, user, official=request.url.path.startswith("/officials"))
    return blocked or _new_page(request, session, lang, user)


@router.post("/producer/mark-applications/new", response_class=HTMLResponse, response_model=None)
@router.post("/officials/mark-applications/new", response_class=HTMLResponse, response_model=None)
def file_application(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    kind: Annotated[str, Form(max_length=20)] = "first_use",
    indication_id: Annotated[str, Form(max_length=20)] = "",
    producer_id: Annotated[str, Form(max_length=20)] = "",
    basis: Annotated[str, Form(max_length=30)] = "",
    name_zh: Annotated[str, Form(max_length=200)] = "",
    address: Annotated[str, Form(max_length=300)] = "",
    uscc: Annotated[str, Form(max_length=18)] = "",
    legal_representative: Annotated[str, Form(max_length=100)] = "",
    applicant_lang: Annotated[str, Form(max_length=2)] = "zh",
    documents: Files = None,
    evidence: Files = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """File it (as POST /api/v1/mark-applications)."""
    blocked = _gate(request, user, official=request.url.path.startswith("/officials"))
    if blocked:
        return blocked
    typed = {
        "kind": kind,
        "indication_id": indication_id,
        "producer_id": producer_id,
        "basis": basis,
        "name_zh": name_zh,
        "address": address,
        "uscc": uscc,
        "legal_representative": legal_representative,
        "lang": applicant_lang,
    }
    if not _csrf_ok(request, csrf):
        return _new_page(request, session, lang, user, error=t("error_csrf", lang), typed=typed, status=403)
    try:
        changes = RequestedChanges(
            name_zh=name_zh.strip() or None,
            address=address.strip() or None,
            uscc=uscc.strip() or None,
            legal_representative=legal_representative.strip() or None,
        )
        filing = service.ApplicationIn(
            kind=ApplicationKind(kind),
            indication_id=int(indication_id),
            producer_id=int(producer_id) if producer_id else None,
            basis=UserBasis(basis) if basis else None,
            changes=changes,
            lang=applicant_lang,
        )
    except (ValueError, ValidationError):
        return _new_page(request, session, lang, user, error=t("err_choice", lang), typed=typed, status=422)
    budget = _budget(request)
    try:
        application, _replayed = service.submit(
            session,
            user=user,
            filing=filing,
            uploads=_uploads(documents or [], budget.max_bytes),
            evidence=_uploads(evidence or [], budget.max_bytes),
            idempotency_key=None,
            budget=budget,
            today=date.today(),
        )
    except RegistryError as exc:
        session.rollback()
        message = (
            form_error(request, exc, lang)
            if exc.code in ("too_large", "unsupported_type")
            else _refusal(exc, lang)
        )
        return _new_page(request, session, lang, user, error=message, typed=typed, status=exc.status_code)
    return RedirectResponse(f"{_base(user)}/{application.id}?lang={lang.value}&saved=1", status_code=303)


# --- one application -------------------------------------------------------------------------------------


def _case_page(
    request: Request,
    session: SessionDep,
    lang: Lang,
    user: User,
    application_id: int,
    *,
    message: str | None = None,
    errors: dict | None = None,
    typed: dict | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = service.case_view(session, application_id=application_id, user=user, today=date.today())
    context = {
        "user": user,
        "view": view,
        "a": view.application,
        "history": history(
            session, "mark_application", application_id, lang, names=user.role != Role.producer
        ),
        "submitted_at": local_time(view.application.submitted_at),
        "outcomes": list(SiteCheckOutcome),
        "limits": _limits(request),
        "message": message,
        "errors": errors or {},
        "typed": typed or {},
        "notice": t("cw_saved", lang) if request.query_params.get("saved") else None,
        "base": _base(user),
        "today": date.today().isoformat(),
    }
    template = "producer_mark_application.html" if user.role == Role.producer else "mark_application.html"
    return render_form(request, template, lang, context, status_code=status)


@router.get("/producer/mark-applications/{application_id}", response_class=HTMLResponse, response_model=None)
@router.get("/officials/mark-applications/{application_id}", response_class=HTMLResponse, response_model=None)
def application_page(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, application_id: IdPath
) -> Response:
    """An application: its state, clock, documents, on-site checks, notices, history and the steps allowed."""
    blocked = _gate(request, user, official=request.url.path.startswith("/officials"))
    if blocked:
        return blocked
    try:
        return _case_page(request, session, lang, user, application_id)
    except NotFound:
        return not_found(request, lang, t("sm_not_found", lang))


def _after(
    request: Request, session: SessionDep, lang: Lang, user: User, application_id: int, act, typed: dict
) -> Response:  # noqa: ANN001
    """Run one service call for a form; on refusal re-render the page with the reason and what was typed."""
    try:
        act()
    except NotFound:
        session.rollback()
        return not_found(request, lang, t("sm_not_found", lang))
    except RegistryError as exc:
        session.rollback()
        state = service.get_application(session, application_id, user).status
        return _case_page(
            request,
            session,
            lang,
            user,
            application_id,
            message=_refusal(exc, lang, state),
            typed=typed,
            status=exc.status_code,
        )
    return RedirectResponse(f"{_base(user)}/{application_id}?lang={lang.value}&saved=1", status_code=303)


@router.post(
    "/officials/mark-applications/{application_id}/steps", response_class=HTMLResponse, response_model=None
)
def take_step(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    application_id: IdPath,
    step: Annotated[str, Form(max_length=30)] = "",
    seen_status: Annotated[str, Form(max_length=30)] = "",
    reason: OfficialForm = "",
    announcement_number: Annotated[str, Form(max_length=60)] = "",
    announced_on: Annotated[str, Form(max_length=10)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """One step with its reason (as POST /api/v1/mark-applications/{id}/steps)."""
    blocked = _gate(request, user, official=True)
    if blocked:
        return blocked
    typed = {
        "step": step,
        "reason": reason,
        "announcement_number": announcement_number,
        "announced_on": announced_on,
    }
    try:
        current = service.get_application(session, application_id, user).status
    except NotFound:
        return not_found(request, lang, t("sm_not_found", lang))
    if not _csrf_ok(request, csrf):
        return _case_page(
            request,
            session,
            lang,
            user,
            application_id,
            message=t("error_csrf", lang),
            typed=typed,
            status=403,
        )
    if seen_status != current.value:
        message = t("sm_err_changed", lang, state=enum_label(current, lang))
        return _case_page(
            request, session, lang, user, application_id, message=message, typed=typed, status=409
        )
    try:
        step_in = MarkStepIn(
            step=step,
            reason=reason.strip(),
            announcement_number=announcement_number.strip() or None,
            announced_on=announced_on or None,
        )
    except ValidationError as error:
        errors = field_errors(error, lang)
        return _case_page(
            request, session, lang, user, application_id, errors=errors, typed=typed, status=422
        )
    return _after(
        request,
        session,
        lang,
        user,
        application_id,
        lambda: service.take_step(
            session, application_id=application_id, step_in=step_in, user=user, today=date.today()
        ),
        typed,
    )


@router.post(
    "/officials/mark-applications/{application_id}/site-checks",
    response_class=HTMLResponse,
    response_model=None,
)
def record_site_check(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    application_id: IdPath,
    checked_on: Annotated[str, Form(max_length=10)] = "",
    officials: OfficialForm = "",
    findings: OfficialForm = "",
    outcome: Annotated[str, Form(max_length=20)] = "",
    photos: Files = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Record the on-site check with its photos (as POST /api/v1/mark-applications/{id}/site-checks)."""
    blocked = _gate(request, user, official=True)
    if blocked:
        return blocked
    typed = {"checked_on": checked_on, "officials": officials, "findings": findings, "outcome": outcome}
    try:
        service.get_application(session, application_id, user)
    except NotFound:
        return not_found(request, lang, t("sm_not_found", lang))
    if not _csrf_ok(request, csrf):
        return _case_page(
            request,
            session,
            lang,
            user,
            application_id,
            message=t("error_csrf", lang),
            typed=typed,
            status=403,
        )
    try:
        check_in = SiteCheckIn(
            checked_on=checked_on, officials=officials.strip(), findings=findings.strip(), outcome=outcome
        )
    except ValidationError as error:
        errors = field_errors(error, lang)
        return _case_page(
            request, session, lang, user, application_id, errors=errors, typed=typed, status=422
        )
    budget = _budget(request)
    return _after(
        request,
        session,
        lang,
        user,
        application_id,
        lambda: service.record_site_check(
            session,
            application_id=application_id,
            check_in=check_in,
            photos=_uploads(photos or [], budget.max_bytes),
            user=user,
            budget=budget,
            today=date.today(),
        ),
        typed,
    )


@router.post(
    "/officials/mark-applications/{application_id}/delegation",
    response_class=HTMLResponse,
    response_model=None,
)
def delegate_site_check(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    application_id: IdPath,
    county_code: Annotated[str, Form(max_length=12)] = "",
    delegation_reason: OfficialForm = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Delegate the on-site check to a county bureau (as POST …/delegation)."""
    blocked = _gate(request, user, official=True)
    if blocked:
        return blocked
    typed = {"county_code": county_code, "delegation_reason": delegation_reason}
    try:
        service.get_application(session, application_id, user)
    except NotFound:
        return not_found(request, lang, t("sm_not_found", lang))
    if not _csrf_ok(request, csrf):
        return _case_page(
            request,
            session,
            lang,
            user,
            application_id,
            message=t("error_csrf", lang),
            typed=typed,
            status=403,
        )
    try:
        delegation = DelegationIn(county_code=county_code, reason=delegation_reason.strip())
    except ValidationError as error:
        errors = {
            ("delegation_reason" if k == "reason" else k): v for k, v in field_errors(error, lang).items()
        }
        return _case_page(
            request, session, lang, user, application_id, errors=errors, typed=typed, status=422
        )
    return _after(
        request,
        session,
        lang,
        user,
        application_id,
        lambda: service.delegate_site_check(
            session, application_id=application_id, delegation=delegation, user=user
        ),
        typed,
    )


@router.post(
    "/producer/mark-applications/{application_id}/resubmit", response_class=HTMLResponse, response_model=None
)
def resubmit(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    application_id: IdPath,
    documents: Files = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Answer a request for corrections with new documents (as POST …/resubmit)."""
    blocked = _gate(request, user, official=False)
    if blocked:
        return blocked
    try:
        service.get_application(session, application_id, user)
    except NotFound:
        return not_found(request, lang, t("sm_not_found", lang))
    if not _csrf_ok(request, csrf):
        return _case_page(
            request,
            session,
            lang,
            user,
            application_id,
            message=form_error(request, StaleForm(), lang),
            status=403,
        )
    budget = _budget(request)
    return _after(
        request,
        session,
        lang,
        user,
        application_id,
        lambda: service.resubmit(
            session,
            application_id=application_id,
            user=user,
            uploads=_uploads(documents or [], budget.max_bytes),
            budget=budget,
            today=date.today(),
        ),
        {},
    )


@router.get("/producer/mark-applications/{application_id}/notices/{kind}", response_model=None)
@router.get("/officials/mark-applications/{application_id}/notices/{kind}", response_model=None)
def notice(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    application_id: IdPath,
    kind: NoticeKind,
) -> Response:
    """Download a notice in the applicant's language (as GET /api/v1/mark-applications/{id}/notices)."""
    blocked = _gate(request, user, official=request.url.path.startswith("/officials"))
    if blocked:
        return blocked
    try:
        content, filename = service.notice(
            session, application_id=application_id, kind=kind, user=user, today=date.today()
        )
    except (NotFound, Conflict):
        return not_found(request, lang, t("sm_not_found", lang))
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- the officials' queue --------------------------------------------------------------------------------


@router.get("/officials/mark-applications", response_class=HTMLResponse, response_model=None)
def queue(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    status: MarkApplicationStatus | None = None,
) -> Response:
    """The applications this official's bureau may see, those whose clock runs out first on top."""
    blocked = _gate(request, user, official=True)
    if blocked:
        return blocked
    rows = service.queue(
        session, user, status, today=date.today(), include_synthetic=request.app.state.settings.demo_mode
    )
    context = {
        "user": user,
        "rows": rows,
        "status": status,
        "statuses": list(MarkApplicationStatus),
        "submitted_at": {r.id: local_time(r.submitted_at) for r in rows},
        "bureau": (user.level, user.area_code),
        "steps": list(MarkStep),
    }
    return render_form(request, "mark_applications.html", lang, context)
