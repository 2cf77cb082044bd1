"""Sign-in and the officials' pages: the work queue and spreadsheet imports."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from gi_registry.audits.supervision import gi_year_lines, supervision_workbook
from gi_registry.auth import service as auth_service
from gi_registry.auth.models import PASSWORD_MAX_CHARS, USERNAME_MAX_CHARS, Role
from gi_registry.auth.security import create_access_token
from gi_registry.core.db import SessionDep
from gi_registry.core.downloads import CSV, XLSX, attachment
from gi_registry.core.errors import InvalidParameter, PayloadTooLarge, Unauthorized
from gi_registry.core.i18n import enum_label
from gi_registry.core.limits import client_address
from gi_registry.core.sandbox import Budget
from gi_registry.core.spreadsheets import csv_bytes
from gi_registry.geo import service as geo_service
from gi_registry.history.service import ChangeSet
from gi_registry.imports.service import ImportKind, import_file
from gi_registry.labels import deadlines as deadlines_service
from gi_registry.labels import renewals, usage_report
from gi_registry.producers import service as producers_service
from gi_registry.web.casework.views import gate
from gi_registry.web.dependencies import LangDep
from gi_registry.web.session import (
    WebUser,
    check_csrf,
    end_session,
    known_device,
    remember_device,
    render_form,
    start_session,
)

router = APIRouter(include_in_schema=False)


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
    username: Annotated[str, Form(max_length=USERNAME_MAX_CHARS)],
    password: Annotated[str, Form(max_length=PASSWORD_MAX_CHARS)],
    csrf: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form(max_length=300)] = None,  # noqa: A002
) -> Response:
    """Check the password; on success the browser gets a session cookie."""
    check_csrf(request, csrf)
    try:
        user = auth_service.sign_in_checked(
            session,
            request.app.state.login_limit,
            client_address(request),
            username,
            password,
            request.app.state.login_address_limit,
            device=known_device(request, username),
        )
    except Unauthorized:
        return render_form(request, "login.html", lang, {"next": next or "", "error": True}, status_code=401)
    settings = request.app.state.settings
    landing = "/producer" if user.role == Role.producer else "/officials"
    response = RedirectResponse(_safe_next(next) if next else landing, status_code=303)
    token = create_access_token(
        str(user.id), settings.secret_key, settings.access_token_minutes, user.token_version
    )
    start_session(request, response, token, settings.access_token_minutes)
    remember_device(request, response, user.username)
    return response


@router.post("/logout")
def logout(
    request: Request, session: SessionDep, user: WebUser, csrf: Annotated[str | None, Form()] = None
) -> Response:
    """Sign out: this account's sessions end everywhere (the cookie and any bearer token), not just here."""
    check_csrf(request, csrf)
    if user is not None:
        signed_out = ChangeSet(actor=f"{user.role.value}:{user.username}", reason="signed out")
        auth_service.end_sessions(session, user, signed_out)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response


@router.get("/officials", response_class=HTMLResponse, response_model=None)
def officials_home(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The desk: switch progress per GI and county, what is due or overdue, the review queue, downloads."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    today = date.today()
    demo = request.app.state.settings.demo_mode
    counties = {c.code: c for c in geo_service.yueyang_counties(session)}
    switch = producers_service.label_switch_by_county(session, include_synthetic=demo)
    context = {
        "user": user,
        "year": today.year,
        "queue": [
            renewals.to_public(session, r, today)
            for r in renewals.list_renewals(session, user, None, include_synthetic=demo)
        ],
        "deadlines": deadlines_service.deadlines(
            session, today=today, within_days=90, include_synthetic=demo
        ),
        "by_gi": [
            line
            for line in gi_year_lines(session, today.year, include_synthetic=demo)
            if line.authorized_users
        ],
        "by_county": [(counties[code], count) for code, count in sorted(switch.items()) if code in counties],
    }
    return render_form(request, "officials.html", lang, context)


def _csv(rows: list[list], filename: str) -> Response:
    return attachment(csv_bytes(rows), filename, CSV)


@router.get("/officials/deadlines.csv", response_model=None)
def deadlines_csv(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Everything due within a year or overdue, as CSV (UTF-8 with BOM for Excel), in the page's language."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    demo = request.app.state.settings.demo_mode
    items = deadlines_service.deadlines(session, today=date.today(), within_days=365, include_synthetic=demo)
    header = [
        "due",
        "overdue",
        "kind",
        "title",
        "producer_id",
        "producer_name_zh",
        "county_code",
        "indication",
        "ref",
        "kind_label",  # added last: the columns before keep their machine names and order
    ]
    rows = [
        [
            d.due,
            d.overdue,
            d.kind,
            d.title_in(lang),
            d.producer_id,
            d.producer_name_zh,
            d.county_code,
            d.indication_slug,
            d.ref,
            enum_label(d.kind, lang),
        ]
        for d in items
    ]
    return _csv([header, *rows], f"gi-deadlines-{date.today().isoformat()}.csv")


@router.get("/officials/queue.csv", response_model=None)
def queue_csv(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The applications with their clocks, as CSV."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    today = date.today()
    header = [
        "id",
        "status",
        "producer_id",
        "authorization_id",
        "submitted_at",
        "review_due",
        "overdue",
        "status_label",
    ]
    rows = [
        [
            r.id,
            r.status.value,
            r.producer_id,
            r.authorization_id,
            r.submitted_at.isoformat(),
            r.clock.review_due,
            r.clock.overdue,
            enum_label(r.status, lang),
        ]
        for r in (
            renewals.to_public(session, x, today)
            for x in renewals.list_renewals(
                session, user, None, include_synthetic=request.app.state.settings.demo_mode
            )
        )
    ]
    return _csv([header, *rows], f"gi-review-queue-{today.isoformat()}.csv")


@router.get("/officials/supervision-report-{year}.xlsx", response_model=None)
def supervision_report(request: Request, session: SessionDep, user: WebUser, year: int) -> Response:
    """The annual supervision report, as on the API."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    if not 2000 <= year <= 2100:
        raise InvalidParameter("year must be between 2000 and 2100")
    from maps import static  # matplotlib on first use, not at start-up

    body = supervision_workbook(
        session, year, lambda slug: static.report_map(session, slug), usage_sheet=usage_report.usage_sheet
    )
    return attachment(body, f"gi-supervision-report-{year}.xlsx", XLSX)


@router.get("/officials/imports", response_class=HTMLResponse, response_model=None)
def import_form(request: Request, lang: LangDep, user: WebUser) -> Response:
    """Upload a spreadsheet of producers, authorizations or standards."""
    redirect = gate(request, user)
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
    redirect = gate(request, user)
    if redirect:
        return redirect
    check_csrf(request, csrf)
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
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
        budget=Budget(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds),
    )
    return render_form(
        request, "import.html", lang, {"user": user, "kinds": list(ImportKind), "report": report}
    )
