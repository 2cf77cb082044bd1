"""Accounts, for administrators: create producer and official accounts, deactivate or reactivate them,
set a new password; each account with its history."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from gi_registry.auth import accounts
from gi_registry.auth.models import ReviewLevel, Role, User, UserChange, UserCreate, actor_of
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.core.i18n import Lang, t
from gi_registry.geo import service as geo_service
from gi_registry.producers import service as producers_service
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
# The account rules' refusals, by their words, as the field a page marks and its message.
REFUSALS = [
    ("password", "password", "acct_password_short"),
    ("needs --producer-id", "producer_id", "acct_producer_needed"),
    ("does not act for a producer", "producer_id", "acct_producer_not_for_role"),
    ("no producer", "producer_id", "err_not_found"),
    ("bureau level and area", "level", "acct_level_not_for_role"),
    ("county's 6-digit code", "area_code", "acct_area_needed"),
]


def _list_context(session: Session, user: User) -> dict:
    producers = producers_service.producer_names(session)
    return {
        "user": user,
        "accounts": accounts.list_users(session),
        "producers": producers,
        "producer_names": {p.id: p.name_zh for p in producers},
        "roles": list(Role),
        "levels": list(ReviewLevel),
        "counties": geo_service.yueyang_counties(session),
        **form_state(),
    }


@router.get("/officials/accounts", response_class=HTMLResponse, response_model=None)
def account_list(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Every account, and the form to create one."""
    blocked = gate(request, user, admin=True)
    if blocked:
        return blocked
    context = _list_context(session, user)
    context["notice"] = t("cw_saved", lang) if request.query_params.get("saved") else None
    return render_form(request, "casework/accounts.html", lang, context)


@router.post("/officials/accounts", response_class=HTMLResponse, response_model=None)
def create_account(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, form: FormFields
) -> Response:
    """Create it; the same service function as POST /api/v1/users."""
    blocked = gate(request, user, admin=True)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = {key: str(value)[:200] for key, value in form.items() if key not in ("csrf", "password")}
    body = {
        "username": typed.get("username", "").strip(),
        "password": str(form.get("password") or ""),
        "role": typed.get("role") or None,
        "producer_id": typed.get("producer_id") or None,
        "level": typed.get("level") or None,
        "area_code": typed.get("area_code") or None,
    }
    errors: dict[str, str] = {}
    try:
        created = accounts.create_account(
            session, account_in=UserCreate.model_validate(body), actor=actor_of(user)
        )
    except ValidationError as error:
        errors = field_errors(error, lang)
        if "username" in errors and errors["username"] == t("err_invalid", lang):
            errors["username"] = t("acct_username_rule", lang)
        if "password" in errors:
            errors["password"] = t("acct_password_short", lang)
    except Conflict:
        session.rollback()
        errors = {"username": t("acct_username_taken", lang)}
    except InvalidParameter as refused:
        session.rollback()
        errors = _refusal(refused.message, lang)
    if errors:
        context = _list_context(session, user) | {"errors": errors, "typed": typed}
        return render_form(request, "casework/accounts.html", lang, context, status_code=422)
    return saved(f"/officials/accounts/{created.id}", lang)


def _refusal(text: str, lang: Lang) -> dict[str, str]:
    for words, field, key in REFUSALS:
        if words in text:
            return {field: t(key, lang)}
    return {"_form": t("err_invalid", lang)}


def _account_context(session: Session, user: User, account_id: int, lang: Lang) -> dict:
    account = accounts.get_user(session, account_id)
    producer = producers_service.get_producer(session, account.producer_id) if account.producer_id else None
    return {
        "user": user,
        "account": account,
        "producer": producer,
        "history": history(session, accounts.ENTITY, account.id, lang),
        **form_state(),
    }


@router.get("/officials/accounts/{account_id}", response_class=HTMLResponse, response_model=None)
def account_page(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, account_id: IdPath
) -> Response:
    """One account: its role and producer, the forms to deactivate it or set a password, its history."""
    return gate(request, user, admin=True) or case_page(
        request,
        lang,
        "casework/account.html",
        lambda: _account_context(session, user, account_id, lang),
        "acct_not_found",
    )


@router.post("/officials/accounts/{account_id}", response_class=HTMLResponse, response_model=None)
def change_account(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, account_id: IdPath, form: FormFields
) -> Response:
    """Deactivate, reactivate or set a password; the same service function as PATCH /api/v1/users/{id}."""
    blocked = gate(request, user, admin=True)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    try:
        context = _account_context(session, user, account_id, lang)
    except NotFound:
        return not_found(request, lang, t("acct_not_found", lang))
    action = str(form.get("action") or "")
    reason = str(form.get("reason") or "").strip()[:1000]
    context["typed"] = {"reason": reason, "action": action}
    body: dict = {"reason": reason}
    if action in ("deactivate", "reactivate"):
        body["is_active"] = action == "reactivate"
    elif action == "password":
        body["password"] = str(form.get("password") or "")
    try:
        change = UserChange.model_validate(body)
        accounts.change_account(session, user_id=account_id, change=change, actor=actor_of(user), by=user)
    except ValidationError as error:
        errors = field_errors(error, lang)
        if "password" in errors:
            errors["password"] = t("acct_password_short", lang)
        context["errors"] = errors
        return render_form(request, "casework/account.html", lang, context, status_code=422)
    except (Conflict, InvalidParameter) as refused:
        session.rollback()
        if isinstance(refused, Conflict):
            own = account_id == user.id
            context["errors"] = {"_form": t("acct_own_account" if own else "acct_last_admin", lang)}
            return render_form(request, "casework/account.html", lang, context, status_code=409)
        context["errors"] = {"_form": t("err_nothing_changed", lang)}
        return render_form(request, "casework/account.html", lang, context, status_code=422)
    return saved(f"/officials/accounts/{account_id}", lang)
