"""Sign-in and the officials' pages: the work queue and spreadsheet imports."""

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role, User
from gi_registry.auth.security import create_access_token
from gi_registry.db import SessionDep
from gi_registry.errors import Forbidden, PayloadTooLarge
from gi_registry.imports.service import ImportKind, import_file
from gi_registry.labels import renewals
from gi_registry.web.dependencies import LangDep
from gi_registry.web.session import WebUser, check_csrf, end_session, render_form, start_session

router = APIRouter(include_in_schema=False)


def _official(request: Request, user: User | None) -> Response | None:
    """A redirect to sign in, or None when the user is an official."""
    if user is None:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    if user.role not in (Role.official, Role.admin):
        raise Forbidden("These pages are for officials.")
    return None


def _safe_next(target: str | None) -> str:
    # Only paths on this site: never follow an absolute URL given in a form (open redirect).
    return target if target and target.startswith("/") and not target.startswith("//") else "/officials"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, lang: LangDep, next: str | None = None) -> HTMLResponse:  # noqa: A002
    """The sign-in form."""
    return render_form(request, "login.html", lang, {"next": _safe_next(next) if next else "", "error": None})


@router.post("/login", response_class=HTMLResponse, response_model=None)
def login(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    username: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form(max_length=300)] = None,  # noqa: A002
) -> Response:
    """Check the password; on success the browser gets a session cookie."""
    check_csrf(request, csrf)
    user = auth_service.authenticate(session, username, password)
    if user is None:
        return render_form(request, "login.html", lang, {"next": next or "", "error": True}, status_code=401)
    settings = request.app.state.settings
    landing = "/producer" if user.role == Role.producer else "/officials"
    response = RedirectResponse(_safe_next(next) if next else landing, status_code=303)
    token = create_access_token(str(user.id), settings.secret_key, settings.access_token_minutes)
    start_session(request, response, token, settings.access_token_minutes)
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str | None, Form()] = None) -> Response:
    """Sign out."""
    check_csrf(request, csrf)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response


@router.get("/officials", response_class=HTMLResponse, response_model=None)
def officials_home(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The review queue with its clocks."""
    redirect = _official(request, user)
    if redirect:
        return redirect
    today = date.today()
    queue = [renewals.to_public(session, r, today) for r in renewals.list_renewals(session, user, None)]
    return render_form(request, "officials.html", lang, {"user": user, "queue": queue})


@router.get("/officials/imports", response_class=HTMLResponse, response_model=None)
def import_form(request: Request, lang: LangDep, user: WebUser) -> Response:
    """Upload a spreadsheet of producers, authorizations or standards."""
    redirect = _official(request, user)
    if redirect:
        return redirect
    return render_form(
        request, "import.html", lang, {"user": user, "kinds": list(ImportKind), "report": None}
    )


@router.post("/officials/imports", response_class=HTMLResponse, response_model=None)
def import_upload(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    file: Annotated[UploadFile, File()],
    kind: Annotated[ImportKind, Form()],
    csrf: Annotated[str | None, Form()] = None,
    reason: Annotated[str, Form(max_length=500)] = "spreadsheet import",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    """Check or import the spreadsheet and show the row-level report."""
    redirect = _official(request, user)
    if redirect:
        return redirect
    check_csrf(request, csrf)
    limit = int(request.app.state.settings.max_upload_mb * 1024 * 1024)
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge("The file is larger than allowed.")
    report = import_file(
        session,
        kind=kind,
        filename=file.filename or "upload",
        content=content,
        actor=f"{user.role.value}:{user.username}",
        reason=reason or "spreadsheet import",
        dry_run=dry_run,
    )
    return render_form(
        request, "import.html", lang, {"user": user, "kinds": list(ImportKind), "report": report}
    )
