"""The producer's pages: where it stands, its applications (with the officials' reasons, and the answer
to a returned one), the audits of its business, its calendar address and its documents.

Each handler calls one service function, with the API's role checks, CSRF and upload limits.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUploadFile

from gi_registry.auth.models import Role, User
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Forbidden, NotFound, RegistryError
from gi_registry.core.i18n import Lang, enum_label, t
from gi_registry.documents import access
from gi_registry.documents.files import MAX_FILES_PER_REQUEST
from gi_registry.labels import producer_desk, renewals
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import forbidden, not_found
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _gate(request: Request, user: User | None) -> Response | None:
    """A redirect to sign in, a 403 page for other roles, or None for a producer account."""
    if user is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if user.role != Role.producer:
        return forbidden(request, key="producer_only")
    return None


def _limits(request: Request) -> dict[str, str | int]:
    settings = request.app.state.settings
    return {"mb": f"{settings.max_upload_mb:g}", "files": MAX_FILES_PER_REQUEST}


def _max_bytes(request: Request) -> int:
    return int(request.app.state.settings.max_upload_mb * 1024 * 1024)


def _uploads(documents: list[UploadFile | str], max_bytes: int) -> list[renewals.Upload]:
    # One byte past the limit is enough to refuse a file as too large (the API reads the same way). A file
    # input left empty sends a part with no file name, which arrives as text: that is "no document", which
    # the service refuses with a message for the page, not a validation error.
    return [
        renewals.Upload(d.filename, d.content_type, d.file.read(max_bytes + 1))
        for d in documents
        if isinstance(d, StarletteUploadFile) and d.filename  # FastAPI's UploadFile is a subclass
    ]


class StaleForm(Forbidden):
    """A form whose CSRF token does not match this browser: said in the page's words, nothing done."""

    code = "stale_form"

    def __init__(self) -> None:
        super().__init__("This form has expired or did not come from this site.")


def form_error(request: Request, exc: RegistryError, lang: Lang, status: str = "") -> str:
    """The catalogue's words for a refused form, in the page's language, with the limits that apply."""
    key = {
        "too_large": "error_too_large",
        "unsupported_type": "error_unsupported_type",
        "invalid_upload": "error_invalid_upload",
        "invalid_transition": "error_conflict",
        "conflict": "error_authorization_blocked",
        "not_found": "error_not_found",
        "forbidden": "error_not_yours",
        StaleForm.code: "error_csrf",
    }.get(exc.code, "error_bad_request")
    return t(key, lang, status=status, **_limits(request))


def _csrf_ok(request: Request, sent: str | None) -> bool:
    """Whether the form came from this browser's page (the same check as every other form)."""
    try:
        check_csrf(request, sent)
    except Forbidden:
        return False
    return True


def _desk(request: Request, session: SessionDep, user: User) -> producer_desk.Desk:
    return producer_desk.desk(
        session, user=user, today=date.today(), secret=request.app.state.settings.secret_key
    )


def _calendar_url(request: Request, token: str, lang: Lang) -> str:
    return f"{request.url_for('deadline_calendar', token=token)}?lang={lang.value}"


def _home(
    request: Request,
    session: SessionDep,
    lang: Lang,
    user: User,
    errors: dict | None = None,
    status: int = 200,
) -> HTMLResponse:
    desk = _desk(request, session, user)
    context = {
        "user": user,
        "desk": desk,
        "errors": errors or {},
        "limits": _limits(request),
        "calendar_url": _calendar_url(request, desk.calendar_token, lang),
        "done": request.query_params.get("done"),
    }
    return render_form(request, "producer_home.html", lang, context, status_code=status)


@router.get("/producer", response_class=HTMLResponse, response_model=None)
def producer_home(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Where the producer stands: authorizations, deadlines, applications, audits, calendar."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    return _home(request, session, lang, user)


@router.post("/producer/renewals", response_class=HTMLResponse, response_model=None)
def producer_apply(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    authorization_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    documents: Annotated[list[UploadFile | str] | None, File()] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Submit a renewal / label-switch application with its documents (as POST /api/v1/renewals)."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    if not _csrf_ok(request, csrf):
        errors = {authorization_id: form_error(request, StaleForm(), lang)}
        return _home(request, session, lang, user, errors=errors, status=StaleForm.status_code)
    try:
        renewal, _replayed = renewals.submit_renewal(
            session,
            user=user,
            authorization_id=authorization_id,
            uploads=_uploads(documents or [], _max_bytes(request)),
            idempotency_key=None,
            upload_root=request.app.state.settings.upload_dir,
            max_bytes=_max_bytes(request),
            today=date.today(),
            max_open=request.app.state.settings.open_applications_per_authorization,
        )
    except RegistryError as exc:
        session.rollback()
        errors = {authorization_id: form_error(request, exc, lang)}
        return _home(request, session, lang, user, errors=errors, status=exc.status_code)
    return RedirectResponse(
        f"/producer/applications/{renewal.id}?lang={lang.value}&done=submitted", status_code=303
    )


def _application_page(
    request: Request,
    session: SessionDep,
    lang: Lang,
    user: User,
    renewal_id: int,
    refused: RegistryError | None = None,
) -> HTMLResponse:
    view = producer_desk.application(session, user=user, renewal_id=renewal_id, today=date.today())
    # A refused step says what the application is now (e.g. resubmitted meanwhile in another tab).
    error = form_error(request, refused, lang, enum_label(view.application.status, lang)) if refused else None
    context = {
        "user": user,
        "view": view,
        "error": error,
        "limits": _limits(request),
        "done": request.query_params.get("done"),
    }
    status = refused.status_code if refused else 200
    return render_form(request, "producer_application.html", lang, context, status_code=status)


@router.get("/producer/applications/{renewal_id}", response_class=HTMLResponse, response_model=None)
def producer_application(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, renewal_id: IdPath
) -> Response:
    """One application: its state in words, the clock, documents, and the officials' reasons."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    try:
        return _application_page(request, session, lang, user, renewal_id)
    except NotFound:
        return not_found(request, lang, t("error_not_found", lang))


@router.post("/producer/applications/{renewal_id}/resubmit", response_class=HTMLResponse, response_model=None)
def producer_resubmit(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    renewal_id: IdPath,
    documents: Annotated[list[UploadFile | str] | None, File()] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Answer a returned application with new documents (as POST /api/v1/renewals/{id}/resubmit)."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    if not _csrf_ok(request, csrf):
        return _application_page(request, session, lang, user, renewal_id, StaleForm())
    try:
        renewals.resubmit(
            session,
            renewal_id=renewal_id,
            user=user,
            uploads=_uploads(documents or [], _max_bytes(request)),
            upload_root=request.app.state.settings.upload_dir,
            max_bytes=_max_bytes(request),
            today=date.today(),
        )
    except NotFound:
        return not_found(request, lang, t("error_not_found", lang))
    except RegistryError as exc:
        session.rollback()
        return _application_page(request, session, lang, user, renewal_id, exc)
    return RedirectResponse(
        f"/producer/applications/{renewal_id}?lang={lang.value}&done=resubmitted", status_code=303
    )


@router.get("/producer/audits", response_class=HTMLResponse, response_model=None)
def producer_audits(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The audits of the producer's business, with what must be rectified by when (read-only)."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    found = producer_desk.audits(session, user=user, today=date.today())
    return render_form(request, "producer_audits.html", lang, {"user": user, "audits": found})


@router.get("/producer/calendar", response_class=HTMLResponse, response_model=None)
def producer_calendar(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The secret calendar address, and how to add it to a phone."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    desk = _desk(request, session, user)
    context = {"user": user, "desk": desk, "calendar_url": _calendar_url(request, desk.calendar_token, lang)}
    return render_form(request, "producer_calendar.html", lang, context)


@router.get("/producer/documents/{document_id}", response_model=None)
def producer_document(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, document_id: IdPath
) -> Response:
    """Download one of the producer's own documents (the same rule as GET /api/v1/documents/{id})."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    try:
        document = access.readable_document(session, document_id, user)
        path = access.stored_file(request.app.state.settings.upload_dir, document)
    except (NotFound, Forbidden):
        return not_found(request, lang, t("error_not_found", lang))
    return FileResponse(path, media_type=document.media_type, filename=document.display_name)
