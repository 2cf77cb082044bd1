"""Producers and their authorizations on the officials' desk: add and correct a producer (the code
checked as typed, county and township from the divisions), record an authorization, suspend, revoke or
reinstate it, record a label switch; each record with its history."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from gi_registry.auth.models import User, actor_of
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.core.i18n import Lang, t
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AreaLevel
from gi_registry.indications import service as indications_service
from gi_registry.labels import authorizations
from gi_registry.labels.models import AuthorizationChange, AuthorizationCreate
from gi_registry.producers import service as producers_service
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, ProducerCreate, ProducerUpdate
from gi_registry.sources.models import Confidence
from gi_registry.standards import service as standards_service
from gi_registry.web.casework.views import (
    FormFields,
    case_page,
    gate,
    history,
    model_errors,
    saved,
    typed_source,
)
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
PRODUCER_FIELDS = ["name_zh", "name_en", "uscc", "county_code", "township_code", "address"]
# What each action on an authorization changes.
ACTIONS = {
    "suspend": {"status": AuthorizationStatus.suspended},
    "revoke": {"status": AuthorizationStatus.revoked},
    "reinstate": {"status": AuthorizationStatus.active},
    "switch": {"label_version": LabelVersion.unified},
}


def _typed(form: FormData) -> dict[str, str]:
    return {key: str(value)[:2000] for key, value in form.items() if key != "csrf"}


def _places(session: Session) -> dict:
    return {
        "counties": geo_service.yueyang_counties(session),
        "townships": geo_service.list_admin_areas(session, level=AreaLevel.township),
        "confidences": list(Confidence),
    }


def _producer_body(typed: dict[str, str], *, only_changed_from: dict | None = None) -> dict:
    values = {name: (typed.get(name) or "").strip() or None for name in PRODUCER_FIELDS}
    if only_changed_from is not None:
        values = {k: v for k, v in values.items() if v != only_changed_from.get(k)}
    return values | {
        "reason": (typed.get("reason") or "").strip(),
        "sources": typed_source(typed, list(values) or ["name_zh"]),
    }


@router.get("/officials/producers", response_class=HTMLResponse, response_model=None)
def producer_list(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    q: Annotated[str | None, Query(max_length=60)] = None,
) -> Response:
    """Every producer (demo ones marked), found by name or code."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    rows = producers_service.producer_names(session)
    if q and q.strip():
        wanted = q.strip().lower()
        rows = [r for r in rows if wanted in r.name_zh.lower() or wanted in (r.uscc or "").lower()]
    counties = {c.code: c for c in geo_service.yueyang_counties(session)}
    context = {"user": user, "rows": rows, "q": q or "", "counties": counties}
    return render_form(request, "casework/producers.html", lang, context)


@router.get("/officials/producers/new", response_class=HTMLResponse, response_model=None)
def new_producer_form(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The form to add a producer."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    context = {"user": user, "errors": {}, "typed": {}, "producer": None, **_places(session)}
    return render_form(request, "casework/producer_form.html", lang, context)


@router.post("/officials/producers/new", response_class=HTMLResponse, response_model=None)
def add_producer(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, form: FormFields
) -> Response:
    """Add it; the same service function as POST /api/v1/producers."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = _typed(form)
    errors: dict[str, str] = {}
    try:
        producer_in = ProducerCreate.model_validate(_producer_body(typed))
        producer = producers_service.create_producer(session, producer_in=producer_in, actor=actor_of(user))
    except ValidationError as error:
        errors = model_errors(error, lang)
    except (InvalidParameter, Conflict) as refused:
        session.rollback()
        errors = _place_or_code_error(refused, lang)
    if errors:
        context = {"user": user, "errors": errors, "typed": typed, "producer": None, **_places(session)}
        return render_form(request, "casework/producer_form.html", lang, context, status_code=422)
    return saved(f"/officials/producers/{producer.id}", lang)


def _place_or_code_error(refused: InvalidParameter | Conflict, lang: Lang) -> dict[str, str]:
    if isinstance(refused, Conflict):
        return {"uscc": t("err_uscc_taken", lang)}
    field = "township_code" if "township" in refused.message else "county_code"
    return {field: t("err_not_found", lang)}


def _producer_context(session: Session, user: User, producer_id: int, lang: Lang) -> dict:
    producer = producers_service.get_producer(session, producer_id)
    public = producers_service.to_public(session, [producer])[0]
    today = date.today()
    held = [
        authorizations.to_public(session, authorizations.get_authorization(session, link.id), today=today)
        for link in public.links
        if link.role.value == "authorized_user"
    ]
    return {
        "user": user,
        "producer": producer,
        "public": public,
        "authorizations": held,
        "authorization_history": {a.id: history(session, "producer_link", a.id, lang) for a in held},
        "history": history(session, "producer", producer.id, lang),
        "gis": indications_service.names_by_id(session),
        "standards": standards_service.standard_names(session),
        "label_versions": list(LabelVersion),
        "actions": list(ACTIONS),
        "county": next(
            (c for c in geo_service.yueyang_counties(session) if c.code == producer.county_code), None
        ),
        "errors": {},
        "typed": {},
        "form": None,
        "notice": None,
        **_places(session),
    }


@router.get("/officials/producers/{producer_id}", response_class=HTMLResponse, response_model=None)
def producer_case(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, producer_id: IdPath
) -> Response:
    """A producer: its facts, roles, authorizations with their actions, and the history."""
    return gate(request, user) or case_page(
        request,
        lang,
        "casework/producer.html",
        lambda: _producer_context(session, user, producer_id, lang),
        "prod_not_found",
    )


@router.get("/officials/producers/{producer_id}/edit", response_class=HTMLResponse, response_model=None)
def edit_producer_form(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, producer_id: IdPath
) -> Response:
    """The correction form, filled with what the registry holds."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    try:
        producer = producers_service.get_producer(session, producer_id)
    except NotFound:
        return not_found(request, lang, t("prod_not_found", lang))
    typed = {name: getattr(producer, name) or "" for name in PRODUCER_FIELDS}
    context = {"user": user, "errors": {}, "typed": typed, "producer": producer, **_places(session)}
    return render_form(request, "casework/producer_form.html", lang, context)


@router.post("/officials/producers/{producer_id}/edit", response_class=HTMLResponse, response_model=None)
def edit_producer(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, producer_id: IdPath, form: FormFields
) -> Response:
    """Save the fields that changed; the same service function as PATCH /api/v1/producers/{id}."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    try:
        producer = producers_service.get_producer(session, producer_id)
    except NotFound:
        return not_found(request, lang, t("prod_not_found", lang))
    typed = _typed(form)
    before = {name: getattr(producer, name) for name in PRODUCER_FIELDS}
    errors: dict[str, str] = {}
    try:
        update = ProducerUpdate.model_validate(_producer_body(typed, only_changed_from=before))
        producers_service.edit_producer(session, producer_id=producer_id, update=update, actor=actor_of(user))
    except ValidationError as error:
        errors = model_errors(error, lang)
    except InvalidParameter as refused:
        session.rollback()
        nothing = "changes nothing" in refused.message
        errors = {"_form": t("err_nothing_changed", lang)} if nothing else _place_or_code_error(refused, lang)
    except Conflict as refused:
        session.rollback()
        errors = _place_or_code_error(refused, lang)
    if errors:
        context = {"user": user, "errors": errors, "typed": typed, "producer": producer, **_places(session)}
        return render_form(request, "casework/producer_form.html", lang, context, status_code=422)
    return saved(f"/officials/producers/{producer_id}", lang)


def _refused_page(
    request: Request,
    session: Session,
    user: User,
    producer_id: int,
    lang: Lang,
    which: str,
    typed: dict,
    errors: dict,
) -> Response:
    """The producer's page again with the refused form (`which`) open, its message and what was typed."""
    context = _producer_context(session, user, producer_id, lang) | {
        "typed": typed,
        "errors": errors,
        "form": which,
    }
    return render_form(request, "casework/producer.html", lang, context, status_code=422)


@router.post(
    "/officials/producers/{producer_id}/authorizations", response_class=HTMLResponse, response_model=None
)
def add_authorization(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, producer_id: IdPath, form: FormFields
) -> Response:
    """Record an authorization; the same service function as POST /api/v1/authorizations."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = _typed(form)
    body = {
        "producer_id": producer_id,
        "indication_id": typed.get("indication_id") or None,
        "label_version": typed.get("label_version") or None,
        "authorized": (typed.get("authorized") or "").strip() or None,
        "announcement_number": (typed.get("announcement_number") or "").strip() or None,
        "standard_id": typed.get("standard_id") or None,
        "reason": (typed.get("reason") or "").strip(),
        "sources": typed_source(typed, ["label_version", "authorized"]),
    }
    try:
        authorization_in = AuthorizationCreate.model_validate(body)
        authorizations.create_authorization(session, authorization_in=authorization_in, actor=actor_of(user))
    except ValidationError as error:
        return _refused_page(
            request, session, user, producer_id, lang, "new", typed, model_errors(error, lang)
        )
    except Conflict:
        session.rollback()
        errors = {"indication_id": t("auth_exists", lang)}
        return _refused_page(request, session, user, producer_id, lang, "new", typed, errors)
    except InvalidParameter as refused:
        session.rollback()
        field = "standard_id" if "standard" in refused.message else "indication_id"
        errors = {field: t("err_not_found", lang)}
        return _refused_page(request, session, user, producer_id, lang, "new", typed, errors)
    return saved(f"/officials/producers/{producer_id}", lang)


@router.post("/officials/authorizations/{authorization_id}", response_class=HTMLResponse, response_model=None)
def change_authorization(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    authorization_id: IdPath,
    form: FormFields,
) -> Response:
    """Suspend, revoke, reinstate or record the label switch; the same service function as
    PATCH /api/v1/authorizations/{id}."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    try:
        link = authorizations.get_authorization(session, authorization_id)
    except NotFound:
        return not_found(request, lang, t("prod_not_found", lang))
    typed = _typed(form)
    which = f"change-{authorization_id}"
    action = ACTIONS.get(typed.get("action", ""))
    if action is None:
        errors = {f"action-{authorization_id}": t("err_choice", lang)}
        return _refused_page(request, session, user, link.producer_id, lang, which, typed, errors)
    body = action | {
        "reason": (typed.get("reason") or "").strip(),
        "sources": typed_source(typed, list(action)),
    }
    if typed.get("action") == "switch":
        body["authorized"] = (typed.get("authorized") or "").strip() or None
    try:
        change = AuthorizationChange.model_validate(body)
        authorizations.change_authorization(
            session, authorization_id=authorization_id, change=change, actor=actor_of(user)
        )
    except ValidationError as error:
        errors = model_errors(error, lang)
        return _refused_page(request, session, user, link.producer_id, lang, which, typed, errors)
    except (Conflict, InvalidParameter):
        session.rollback()
        errors = {f"action-{authorization_id}": t("auth_revoked_final", lang)}
        return _refused_page(request, session, user, link.producer_id, lang, which, typed, errors)
    return RedirectResponse(
        f"/officials/producers/{link.producer_id}?saved=1&lang={lang.value}#authorization-{authorization_id}",
        status_code=303,
    )
