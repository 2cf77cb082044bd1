"""Reminders on the site: each account's contact settings, the verify and unsubscribe links (no sign-in),
and the officials' outbox (what was, or would have been, sent; dead letters for administrators).

Each handler calls one service function of gi_registry.reminders; forms carry CSRF tokens.
"""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from gi_registry.auth.models import User
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter, NotFound
from gi_registry.core.i18n import Lang, t, value_label
from gi_registry.reminders import service as reminders_service
from gi_registry.reminders.messages import render as render_message
from gi_registry.reminders.models import ContactIn, MessageKind, OutboxState
from gi_registry.reminders.tokens import read_unsubscribe_token
from gi_registry.web.casework.views import gate, local_time
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found, render
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
TokenQuery = Annotated[str, Query(max_length=200)]


def _signed_in(request: Request, user: User | None) -> Response | None:
    if user is None:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return None


def _contact_page(
    request: Request,
    session: SessionDep,
    lang: Lang,
    user: User,
    errors: dict,
    typed: dict,
    status: int = 200,
) -> HTMLResponse:
    view = reminders_service.contact_view(session, user)
    notice = None
    if request.query_params.get("queued"):
        notice = t("rm_verification_queued", lang)
    elif request.query_params.get("saved"):
        notice = t("cw_saved", lang)
    context = {
        "user": user,
        "view": view,
        "errors": errors,
        "typed": typed,
        "notice": notice,
        "smtp_on": bool(request.app.state.settings.smtp_url),
    }
    return render_form(request, "reminders/contact.html", lang, context, status_code=status)


@router.get("/account/contact", response_class=HTMLResponse, response_model=None)
def contact_settings(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The account's address, language and the kinds of message it wants."""
    return _signed_in(request, user) or _contact_page(request, session, lang, user, {}, {})


@router.post("/account/contact", response_class=HTMLResponse, response_model=None)
def save_contact_settings(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    email: Annotated[str, Form(max_length=300)] = "",
    message_lang: Annotated[str, Form(max_length=5)] = "zh",
    send: Annotated[list[str] | None, Form(max_length=20)] = None,
    county_code: Annotated[str, Form(max_length=12)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Save the settings; a new address gets a confirmation message and is not used before it is confirmed."""
    blocked = _signed_in(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    typed = {"email": email, "message_lang": message_lang, "send": send or [], "county_code": county_code}
    wanted = set(send or [])
    offered = reminders_service.kinds_for(user)
    try:
        contact_in = ContactIn(
            email=email.strip() or None,
            lang=message_lang,
            opt_outs=[k for k in offered if k.value not in wanted],
            county_code=county_code or None,
        )
    except ValidationError as exc:
        fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        errors = (
            {"email": t("rm_err_email", lang)}
            if "email" in fields
            else {"message_lang": t("err_choice", lang)}
        )
        return _contact_page(request, session, lang, user, errors, typed, status=422)
    try:
        _contact, queued = reminders_service.save_contact(session, user=user, contact_in=contact_in)
    except InvalidParameter:
        session.rollback()
        return _contact_page(request, session, lang, user, {"county_code": t("err_choice", lang)}, typed, 422)
    flag = "queued" if queued else "saved"
    return RedirectResponse(f"/account/contact?{flag}=1&lang={lang.value}", status_code=303)


@router.get("/contact/verify", response_class=HTMLResponse, response_model=None)
def verify_link(request: Request, session: SessionDep, lang: LangDep, token: TokenQuery = "") -> Response:
    """The link in the confirmation message: works without signing in."""
    try:
        contact = reminders_service.verify_address(
            session, secret=request.app.state.settings.secret_key, token=token
        )
    except NotFound:
        return not_found(request, lang, t("rm_link_invalid", lang))
    context = {
        "title": t("rm_verify_done_title", lang),
        "message": t("rm_verify_done", lang, email=contact.email),
    }
    return render(request, "reminders/notice.html", lang, context)


@router.get("/contact/unsubscribe", response_class=HTMLResponse, response_model=None)
def unsubscribe_page(request: Request, lang: LangDep, token: TokenQuery = "") -> Response:
    """Asks before stopping (link checkers open links); the button does it, without signing in."""
    read = read_unsubscribe_token(request.app.state.settings.secret_key, token)
    if read is None or read[1] not in MessageKind.__members__ or read[1] == MessageKind.verify_address:
        return not_found(request, lang, t("rm_link_invalid", lang))
    what = value_label("MessageKind", read[1], lang)
    context = {"token": token, "question": t("rm_unsubscribe_confirm", lang, what=what)}
    return render_form(request, "reminders/unsubscribe.html", lang, context)


@router.post("/contact/unsubscribe", response_class=HTMLResponse, response_model=None)
def unsubscribe_now(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    token: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Stop one kind of message for the account the link was made for."""
    check_csrf(request, csrf)
    try:
        _contact, kind = reminders_service.unsubscribe(
            session, secret=request.app.state.settings.secret_key, token=token
        )
    except NotFound:
        return not_found(request, lang, t("rm_link_invalid", lang))
    what = value_label("MessageKind", kind.value, lang)
    context = {"title": t("rm_unsubscribe_title", lang), "message": t("rm_unsubscribe_done", lang, what=what)}
    return render(request, "reminders/notice.html", lang, context)


@router.get("/officials/outbox", response_class=HTMLResponse, response_model=None)
def outbox_list(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, state: OutboxState | None = None
) -> Response:
    """Every message, newest first: sent, waiting, or what would have been sent with no mail server."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    settings = request.app.state.settings
    rows = reminders_service.list_outbox(
        session, user=user, state=state, include_synthetic=settings.demo_mode
    )
    context = {
        "user": user,
        "rows": rows,
        "state": state,
        "states": [s for s in OutboxState if s != OutboxState.dead or user.role.value == "admin"],
        "created": {r.id: local_time(r.created_at) for r in rows},
        "smtp_on": bool(settings.smtp_url),
    }
    return render_form(request, "reminders/outbox.html", lang, context)


@router.get("/officials/outbox/{message_id}", response_class=HTMLResponse, response_model=None)
def outbox_message(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, message_id: IdPath
) -> Response:
    """One message as its recipient reads it, in the recipient's language."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    try:
        message = reminders_service.get_message(session, user=user, message_id=message_id)
    except NotFound:
        return not_found(request, lang, t("rm_message_not_found", lang))
    settings = request.app.state.settings
    context = {
        "user": user,
        "message": message,
        "rendered": render_message(message, secret=settings.secret_key, public_url=settings.public_url),
        "created": local_time(message.created_at),
        "sent": local_time(message.sent_at) if message.sent_at else None,
        "notice": t("cw_saved", lang) if request.query_params.get("saved") else None,
    }
    return render_form(request, "reminders/message.html", lang, context)


@router.post("/officials/outbox/{message_id}/retry", response_class=HTMLResponse, response_model=None)
def outbox_retry(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    message_id: IdPath,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """An administrator sends a dead letter again."""
    blocked = gate(request, user, admin=True)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    try:
        reminders_service.retry_dead(session, user=user, message_id=message_id)
    except NotFound:
        return not_found(request, lang, t("rm_message_not_found", lang))
    return RedirectResponse(f"/officials/outbox/{message_id}?saved=1&lang={lang.value}", status_code=303)
