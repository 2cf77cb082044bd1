"""Correcting the record: a GI, a protection or a standard, with a reason and the source that supports the
change, shown as old → new before it is saved ("check your answers"); adding a standard and its text."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, SQLModel

from gi_registry.auth.models import User, actor_of
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound, RegistryError
from gi_registry.core.i18n import FIELD_WORDS, Lang, enum_label, t
from gi_registry.documents.files import read_limited
from gi_registry.indications import service as indications_service
from gi_registry.indications.models import (
    Authority,
    Category,
    IndicationUpdate,
    MarkType,
    NumberKind,
    ProtectionStatus,
    ProtectionUpdate,
    ReviewBureau,
)
from gi_registry.sources.models import Confidence
from gi_registry.standards import service as standards_service
from gi_registry.standards.models import StandardCreate, StandardKind, StandardStatus, StandardUpdate
from gi_registry.web.casework.views import (
    FormFields,
    case_page,
    form_state,
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


@dataclass(frozen=True)
class Input:
    """One field of a correction form."""

    name: str
    widget: str = "text"  # text, textarea, choice, date
    choices: type[StrEnum] | None = None
    required: bool = False  # a field the record cannot leave unknown


@dataclass(frozen=True)
class RecordKind:
    """A kind of record officials correct: its fields, its update model and its service function."""

    name: str
    entity: str  # change-log entity type
    inputs: tuple[Input, ...]
    update: type[BaseModel]


KINDS = {
    "indication": RecordKind(
        "indication",
        "indication",
        (
            Input("name_zh", required=True),
            Input("name_pinyin"),
            Input("name_en"),
            Input("category", "choice", Category),
            Input("notes", "textarea"),
        ),
        IndicationUpdate,
    ),
    "protection": RecordKind(
        "protection",
        "protection",
        (
            Input("number"),
            Input("number_kind", "choice", NumberKind),
            Input("mark_type", "choice", MarkType),
            Input("authority", "choice", Authority),
            Input("status", "choice", ProtectionStatus),
            Input("application_date"),
            Input("registration_date"),
            Input("date_note", "textarea"),
            Input("holder_name"),
            Input("applicant_name"),
            Input("confidence", "choice", Confidence),
            Input("renewed_through", "date"),
            Input("notes", "textarea"),
            Input("initial_review_bureau", "choice", ReviewBureau),
        ),
        ProtectionUpdate,
    ),
    "standard": RecordKind(
        "standard",
        "standard",
        (
            Input("number"),
            Input("title_zh", required=True),
            Input("title_en"),
            Input("kind", "choice", StandardKind, required=True),
            Input("issuing_body"),
            Input("issued"),
            Input("effective"),
            Input("status", "choice", StandardStatus),
            Input("scope_zh", "textarea"),
        ),
        StandardUpdate,
    ),
}
KindPath = Annotated[str, Path(pattern="^(indication|protection|standard)$")]
RecordId = Annotated[str, Path(max_length=80)]


def _load(session: Session, kind: str, record_id: str) -> SQLModel:
    if kind == "indication":
        return indications_service.get_indication(session, record_id)
    if not record_id.isascii() or not record_id.isdigit() or len(record_id) > 18:
        raise NotFound(f"No {kind} with id {record_id}.")
    if kind == "protection":
        return indications_service.get_protection(session, int(record_id))
    return standards_service.get_standard(session, int(record_id))


def _save(session: Session, kind: str, row: SQLModel, update: BaseModel, user: User) -> None:
    """The one service function of each kind, as its PATCH endpoint calls it."""
    actor = actor_of(user)
    if kind == "indication":
        indications_service.correct_indication(session, id_or_slug=row.slug, update=update, actor=actor)
    elif kind == "protection":
        indications_service.correct_protection(session, protection_id=row.id, update=update, actor=actor)
    else:
        standards_service.correct_standard(session, standard_id=row.id, update=update, actor=actor)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value.value if isinstance(value, StrEnum) else str(value)


def _words(field: Input, value: str, lang: Lang) -> str:
    """A value as the check page shows it."""
    if not value:
        return t("unknown", lang)
    if field.choices is not None:
        try:
            return enum_label(field.choices(value), lang)
        except ValueError:
            return value
    return value


def _changes(kind: RecordKind, row: SQLModel, typed: dict[str, str]) -> dict[str, str | None]:
    """The fields sent whose value differs from the record's; an emptied field becomes unknown (None)."""
    changed: dict[str, str | None] = {}
    for field in kind.inputs:
        if field.name not in typed:
            continue
        new = (typed.get(field.name) or "").strip()
        if new != _shown(getattr(row, field.name)):
            changed[field.name] = new or None
    return changed


def _public_link(session: Session, kind: str, row: SQLModel) -> str:
    if kind == "indication":
        return f"/indications/{row.slug}"
    if kind == "protection":
        return f"/indications/{indications_service.get_indication(session, str(row.indication_id)).slug}"
    return "/standards"


def _title(session: Session, kind: str, row: SQLModel, lang: Lang) -> str:
    if kind == "indication":
        return row.name_zh
    if kind == "protection":
        gi = indications_service.get_indication(session, str(row.indication_id))
        return f"{gi.name_zh} · {enum_label(row.kind, lang)}"
    return f"{row.number or ''} {row.title_zh}".strip()


def _context(session: Session, user: User, kind: str, row: SQLModel, lang: Lang) -> dict:
    spec = KINDS[kind]
    return {
        "user": user,
        "kind": kind,
        "row": row,
        "title": _title(session, kind, row, lang),
        "inputs": spec.inputs,
        **form_state(),
        "typed": {f.name: _shown(getattr(row, f.name)) for f in spec.inputs},
        "check": None,
        "public_link": _public_link(session, kind, row),
        "history": history(session, spec.entity, row.id, lang),
        "field_words": FIELD_WORDS,
        "confidences": list(Confidence),
    }


@router.get("/officials/records", response_class=HTMLResponse, response_model=None)
def record_index(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Every GI with its protections, and every standard, each with a link to correct it."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    gis = indications_service.names_by_id(session)
    context = {
        "user": user,
        "gis": gis,
        "protections": indications_service.protections_of(session, list(gis)),
        "standards": standards_service.standard_names(session),
    }
    return render_form(request, "casework/records.html", lang, context)


# Before the generic /{kind}/{id} routes, which would otherwise match these paths first.
STANDARD_FIELDS = ["number", "title_zh", "title_en", "kind", "issuing_body", "issued", "effective", "status"]


def _standard_context(session: Session, user: User) -> dict:
    return {
        "user": user,
        "kinds": list(StandardKind),
        "statuses": list(StandardStatus),
        "gis": indications_service.names_by_id(session),
        "standards": standards_service.standard_names(session),
        "confidences": list(Confidence),
        "errors": {},
        "typed": {},
        "chosen": [],
    }


@router.get("/officials/records/standards/new", response_class=HTMLResponse, response_model=None)
def new_standard_form(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The form to record a standard (or a new version of one)."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    return render_form(request, "casework/standard_new.html", lang, _standard_context(session, user))


@router.post("/officials/records/standards/new", response_class=HTMLResponse, response_model=None)
def add_standard(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, form: FormFields
) -> Response:
    """Record it; the same service function as POST /api/v1/standards."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    typed = {key: str(value)[:2000] for key, value in form.items() if key not in ("csrf", "indication_ids")}
    chosen = [str(v) for v in form.getlist("indication_ids")][:50]
    body = {name: (typed.get(name) or "").strip() or None for name in STANDARD_FIELDS} | {
        "scope_zh": (typed.get("scope_zh") or "").strip() or None,
        "supersedes_number": (typed.get("supersedes_number") or "").strip() or None,
        "indication_ids": [int(v) for v in chosen if v.isdigit() and len(v) < 18],
        "reason": (typed.get("reason") or "").strip(),
        "sources": typed_source(typed, ["number", "title_zh"]),
    }
    errors: dict[str, str] = {}
    try:
        standard_in = StandardCreate.model_validate(body)
        standard = standards_service.create_standard(session, standard_in=standard_in, actor=actor_of(user))
    except ValidationError as error:
        errors = model_errors(error, lang)
    except Conflict:
        session.rollback()
        errors = {"number": t("standard_number_taken", lang)}
    except InvalidParameter as refused:
        session.rollback()
        field = "supersedes_number" if "supersede" in refused.message else "indication_ids"
        errors = {field: t("err_not_found", lang)}
    if errors:
        context = _standard_context(session, user) | {"errors": errors, "typed": typed, "chosen": chosen}
        return render_form(request, "casework/standard_new.html", lang, context, status_code=422)
    return saved(f"/officials/records/standard/{standard.id}", lang)


@router.get("/officials/records/{kind}/{record_id}", response_class=HTMLResponse, response_model=None)
def correction_form(
    request: Request, session: SessionDep, lang: LangDep, user: WebUser, kind: KindPath, record_id: RecordId
) -> Response:
    """The record's fields as they stand, to correct."""
    return gate(request, user) or case_page(
        request,
        lang,
        "casework/correct.html",
        lambda: _context(session, user, kind, _load(session, kind, record_id), lang),
        "record_not_found",
    )


@router.post("/officials/records/{kind}/{record_id}", response_class=HTMLResponse, response_model=None)
def correct_record(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    kind: KindPath,
    record_id: RecordId,
    form: FormFields,
) -> Response:
    """step=check shows old → new; step=confirm saves through the kind's service function."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, form.get("csrf"))  # type: ignore[arg-type]
    try:
        row = _load(session, kind, record_id)
    except NotFound:
        return not_found(request, lang, t("record_not_found", lang))
    spec = KINDS[kind]
    typed = {key: str(value)[:4000] for key, value in form.items() if key != "csrf"}
    context = _context(session, user, kind, row, lang) | {"typed": typed}
    changes = _changes(spec, row, typed)
    errors: dict[str, str] = {}
    for field in spec.inputs:
        if field.required and field.name in changes and changes[field.name] is None:
            errors[field.name] = t("err_required", lang)
    update = None
    if not changes:
        errors["_form"] = t("err_nothing_changed", lang)
    elif not errors:
        body = changes | {
            "reason": (typed.get("reason") or "").strip(),
            "sources": typed_source(typed, list(changes)),
        }
        try:
            update = spec.update.model_validate(body)
        except ValidationError as error:
            errors = model_errors(error, lang)
    if errors or typed.get("step") == "edit":
        context["errors"] = errors
        return render_form(
            request, "casework/correct.html", lang, context, status_code=422 if errors else 200
        )
    if typed.get("step") != "confirm":
        context["check"] = [
            (
                field,
                _words(field, _shown(getattr(row, field.name)), lang),
                _words(field, changes[field.name] or "", lang),
            )
            for field in spec.inputs
            if field.name in changes
        ]
        return render_form(request, "casework/correct.html", lang, context)
    try:
        _save(session, kind, row, update, user)
    except (InvalidParameter, Conflict) as refused:
        session.rollback()
        context["errors"] = {
            "_form": t("record_conflict", lang) if isinstance(refused, Conflict) else t("err_invalid", lang)
        }
        return render_form(request, "casework/correct.html", lang, context, status_code=409)
    return saved(f"/officials/records/{kind}/{record_id}", lang)


@router.post("/officials/records/standard/{record_id}/text", response_class=HTMLResponse, response_model=None)
def attach_standard_text(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    record_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    document: Annotated[UploadFile, File()],
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    """Attach the standard's text (a PDF); the service function of POST /api/v1/standards/{id}/document."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    check_csrf(request, csrf)
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    try:
        standards_service.attach_text(
            session,
            standard_id=record_id,
            filename=document.filename,
            content_type=document.content_type,
            content=read_limited(document.file, limit),
            upload_root=settings.upload_dir,
            max_bytes=limit,
            actor=actor_of(user),
        )
    except NotFound:
        return not_found(request, lang, t("record_not_found", lang))
    except RegistryError:
        session.rollback()
        row = standards_service.get_standard(session, record_id)
        context = _context(session, user, "standard", row, lang)
        context["errors"] = {"document": t("standard_text_pdf", lang)}
        return render_form(request, "casework/correct.html", lang, context, status_code=422)
    return saved(f"/officials/records/standard/{record_id}", lang)
