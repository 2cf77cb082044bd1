"""The producer's pages: its authorizations, deadlines and applications, and the renewal form."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from gi_registry.auth.models import Role, User
from gi_registry.db import SessionDep
from gi_registry.errors import RegistryError
from gi_registry.labels import authorizations, renewals
from gi_registry.labels import deadlines as deadlines_service
from gi_registry.producers.models import LinkRole, Producer, ProducerLink
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import forbidden
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)


def _gate(request: Request, user: User | None) -> Response | None:
    """A redirect to sign in, a 403 page for other roles, or None for a producer account."""
    if user is None:
        return RedirectResponse("/login?next=/producer", status_code=303)
    if user.role != Role.producer:
        return forbidden(request, "These pages are for producer accounts. 此页面仅供生产者账户使用。")
    return None


def _context(request: Request, session, user: User, error: str | None = None) -> dict:  # noqa: ANN001
    today = date.today()
    producer = session.get(Producer, user.producer_id)
    links = session.exec(
        select(ProducerLink).where(
            ProducerLink.producer_id == user.producer_id, ProducerLink.role == LinkRole.authorized_user
        )
    ).all()
    secret = request.app.state.settings.secret_key
    return {
        "user": user,
        "producer": producer,
        "authorizations": [authorizations.to_public(session, link, today=today) for link in links],
        "deadlines": deadlines_service.deadlines(
            session, today=today, producer_id=user.producer_id, within_days=365
        ),
        "applications": [
            renewals.to_public(session, r, today) for r in renewals.list_renewals(session, user, None)
        ],
        "calendar_url": str(
            request.url_for(
                "deadline_calendar", token=deadlines_service.calendar_token(secret, user.producer_id)
            )
        ),
        "error": error,
    }


@router.get("/producer", response_class=HTMLResponse, response_model=None)
def producer_home(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Where the producer stands: authorizations, deadlines, applications."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    return render_form(request, "producer_home.html", lang, _context(request, session, user))


@router.post("/producer/renewals", response_class=HTMLResponse, response_model=None)
def producer_apply(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    authorization_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    documents: Annotated[list[UploadFile], File()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Submit a renewal / label-switch application with its documents."""
    blocked = _gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    uploads = [
        renewals.Upload(d.filename, d.content_type, d.file.read(limit + 1)) for d in documents if d.filename
    ]
    try:
        renewals.submit_renewal(
            session,
            user=user,
            authorization_id=authorization_id,
            uploads=uploads,
            idempotency_key=None,
            upload_root=settings.upload_dir,
            max_bytes=limit,
            today=date.today(),
            max_open=settings.open_applications_per_authorization,
        )
    except RegistryError as exc:
        session.rollback()
        context = _context(request, session, user, error=exc.message)
        return render_form(request, "producer_home.html", lang, context, status_code=exc.status_code)
    return RedirectResponse(f"/producer?lang={lang.value}", status_code=303)
