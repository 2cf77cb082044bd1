"""Account requests in the browser: a producer asks on /producer/register (no account) and follows it by
reference; officials confirm or refuse on /officials/account-requests. The same service functions, rules
and rate limit as /api/v1/account-requests."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from gi_registry.auth import account_requests as service
from gi_registry.auth.account_requests import AccountDecisionIn, AccountRequestIn
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, NotFound, TooManyRequests
from gi_registry.core.i18n import t
from gi_registry.core.limits import client_address
from gi_registry.geo import service as geo_service
from gi_registry.web.casework.views import FormFields, field_errors, gate, local_time, saved
from gi_registry.web.dependencies import LangDep
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
FIELDS = ("producer_name", "uscc", "county_code", "contact", "username")


@router.get("/producer/register", response_class=HTMLResponse)
def register_form(
    request: Request, session: SessionDep, lang: LangDep, reference: str | None = None
) -> HTMLResponse:
    """The request form; with `?reference=` the state of a request already made."""
    found = None
    if reference:
        try:
            found = service.status_of(session, reference[:20])
        except NotFound:
            found = False
    context = {
        "counties": geo_service.yueyang_counties(session),
        "errors": {},
        "typed": {},
        "found": found,
        "reference": reference or "",
        "made": None,
    }
    return render_form(request, "register.html", lang, context)


@router.post("/producer/register", response_class=HTMLResponse)
def register(request: Request, session: SessionDep, lang: LangDep, form: FormFields) -> HTMLResponse:
    """Record the request and show its reference."""
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = {name: str(form.get(name) or "").strip()[:200] for name in FIELDS}
    context = {
        "counties": geo_service.yueyang_counties(session),
        "typed": typed,
        "found": None,
        "reference": "",
    }
    errors: dict[str, str] = {}
    try:
        request.app.state.account_request_limit.hit(client_address(request), "account requests")
        body = AccountRequestIn(
            **{k: v or None for k, v in typed.items()},
            password=str(form.get("password") or ""),
            lang=lang.value,
        )
        made = service.request_account(session, request_in=body)
    except ValidationError as error:
        errors = field_errors(error, lang)
        if "uscc" in errors:
            errors["uscc"] = t("err_uscc", lang)
        if "password" in errors:
            errors["password"] = t("acct_password_short", lang)
        if "username" in errors:
            errors["username"] = t("acct_username_rule", lang)
        status = 422
    except Conflict as refused:
        session.rollback()
        errors = {
            "username" if "username" in refused.message else "uscc": t(
                "acct_username_taken" if "username" in refused.message else "ar_pending", lang
            )
        }
        status = 409
    except TooManyRequests:
        errors = {"_form": t("ar_too_many", lang)}
        status = 429
    if errors:
        return render_form(request, "register.html", lang, context | {"errors": errors, "made": None}, status)
    return render_form(request, "register.html", lang, context | {"errors": {}, "made": made.reference}, 201)


@router.get("/officials/account-requests", response_class=HTMLResponse, response_model=None)
def requests_page(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Requests waiting for a decision first, each with the producer on record that has its code."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    rows = [service.to_public(session, r) for r in service.list_requests(session)]
    rows.sort(key=lambda r: (r.status.value != "pending", r.id))
    context = {
        "user": user,
        "rows": rows,
        "created": {r.id: local_time(r.created_at) for r in rows},
        "errors": {},
        "notice": t("cw_saved", lang) if request.query_params.get("saved") else None,
        "message": None,
    }
    return render_form(request, "casework/account_requests.html", lang, context)


@router.post("/officials/account-requests/{request_id}", response_class=HTMLResponse, response_model=None)
def decide(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    request_id: IdPath,
    confirm: Annotated[str, Form(max_length=5)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Confirm or refuse one request with the reason (as POST /api/v1/account-requests/{id}/decision)."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    message = None
    try:
        decision = AccountDecisionIn(confirm=confirm == "yes", reason=reason.strip())
        service.decide(session, request_id=request_id, decision=decision, official=user)
    except ValidationError:
        message = t("err_too_short", lang).format(n=3)
    except NotFound:
        message = t("error_not_found", lang)
    except Conflict:
        session.rollback()
        message = t("ar_cannot_confirm", lang)
    if message is None:
        return saved("/officials/account-requests", lang)
    rows = [service.to_public(session, r) for r in service.list_requests(session)]
    context = {
        "user": user,
        "rows": rows,
        "created": {r.id: local_time(r.created_at) for r in rows},
        "errors": {},
        "notice": None,
        "message": message,
    }
    return render_form(request, "casework/account_requests.html", lang, context, status_code=409)
