"""What casework pages share: the officials' gate, a record's history in words, form errors in words."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from gi_registry.auth.models import Role, User
from gi_registry.core.errors import NotFound
from gi_registry.core.i18n import ACTOR_WORDS, ENUM_LABELS, FIELD_WORDS, SYSTEM_REASONS, Lang, t, value_label
from gi_registry.history import service as history_service
from gi_registry.web.rendering import forbidden, not_found
from gi_registry.web.session import render_form

LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # the registry's users are in Yueyang; the log is in UTC


def gate(request: Request, user: User | None, *, admin: bool = False) -> Response | None:
    """A redirect to sign in, a 403 page for other roles, or None when the user may use the page."""
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    allowed = (Role.admin,) if admin else (Role.official, Role.admin)
    if user.role not in allowed:
        return forbidden(request, key="forbidden_admins" if admin else "officials_only")
    return None


# Which enum a logged value belongs to, so the history shows its words and not the stored value.
FIELD_ENUMS = {
    ("renewal", "status"): "RenewalStatus",
    ("mark_application", "status"): "MarkApplicationStatus",
    ("protection", "initial_review_bureau"): "ReviewBureau",
    ("producer_link", "status"): "AuthorizationStatus",
    ("producer_link", "label_version"): "LabelVersion",
    ("misuse_report", "status"): "ReportStatus",
    ("audit", "result"): "AuditResult",
    ("user", "role"): "Role",
}
AUDIT_REASON = re.compile(r"audit of (\d{4}-\d{2}-\d{2}): (\w+)")


@dataclass(frozen=True)
class HistoryLine:
    """One change, in the page's words."""

    at: str
    who: str
    what: str
    old: str
    new: str
    why: str


def _value(entity: str, field: str | None, value: Any, lang: Lang) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == Lang.zh else ("yes" if value else "no")
    enum = FIELD_ENUMS.get((entity, field or ""))
    if enum and isinstance(value, str) and value in ENUM_LABELS[enum]:
        return value_label(enum, value, lang)
    if isinstance(value, (dict, list)):
        return "…"  # whole records and source lists: the record page shows them
    return str(value)


def reason_words(reason: str, lang: Lang) -> str:
    """A logged reason in the page's language when the registry wrote it; a person's words as typed."""
    if reason in SYSTEM_REASONS:
        return SYSTEM_REASONS[reason][lang]
    match = AUDIT_REASON.fullmatch(reason)
    if match:
        known = match.group(2) in ENUM_LABELS["AuditResult"]
        result = value_label("AuditResult", match.group(2), lang) if known else match.group(2)
        day = match.group(1)
        return f"{day} 监督检查：{result}" if lang == Lang.zh else f"audit of {day}: {result}"
    return reason


def actor_words(actor: str, lang: Lang) -> str:
    """`official:wang` as 工作人员 wang / Official wang."""
    role, _, name = actor.partition(":")
    if role in ENUM_LABELS["Role"]:
        return f"{value_label('Role', role, lang)} {name}".rstrip()
    return ACTOR_WORDS.get(actor, {}).get(lang, actor)


def history(
    session: Session, entity: str, entity_id: int, lang: Lang, *, names: bool = True
) -> list[HistoryLine]:
    """A record's change log as lines a person reads, oldest first; without `names` (a producer's page)
    an official appears by role only, as on the producer's other pages."""
    lines = []
    for row in history_service.record_history(session, entity, entity_id):
        what = FIELD_WORDS.get(row.field, {}).get(lang, row.field) if row.field else t("cw_created", lang)
        lines.append(
            HistoryLine(
                at=local_time(row.at),
                who=actor_words(row.actor if names else row.actor.partition(":")[0], lang),
                what=what,
                old=_value(entity, row.field, row.old_value, lang) if row.field else "",
                new=_value(entity, row.field, row.new_value, lang) if row.field else "",
                why=reason_words(row.reason, lang),
            )
        )
    return lines


def field_errors(error: ValidationError, lang: Lang) -> dict[str, str]:
    """pydantic's errors as one message per form field, in the page's language."""
    messages: dict[str, str] = {}
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "_form"
        kind = item["type"]
        context = item.get("ctx") or {}
        if kind == "missing":
            text = t("err_required", lang)
        elif kind in ("string_too_short", "too_short"):
            text = (
                t("err_required", lang)
                if context.get("min_length") == 1
                else t("err_too_short", lang).format(n=context.get("min_length", ""))
            )
        elif kind in ("string_too_long", "too_long"):
            text = t("err_too_long", lang).format(n=context.get("max_length", ""))
        elif kind.startswith(("date_", "datetime_")) or "IsoDate" in str(item.get("msg", "")):
            text = t("err_date", lang)
        elif kind.startswith(("int_", "greater_than", "less_than")):
            text = t("err_number", lang)
        elif kind in ("enum", "literal_error"):
            text = t("err_choice", lang)
        else:
            text = t("err_invalid", lang)
        messages.setdefault(field, text)
    return messages


def local_time(value: datetime) -> str:
    """A stored UTC time as local time for a page."""
    at = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M")


def typed_source(typed: dict[str, str], fields: list[str]) -> list[dict]:
    """The one source a correction form carries (URL or document, confidence), as the API's `sources`."""
    url = (typed.get("source_url") or "").strip() or None
    document = (typed.get("source_document") or "").strip() or None
    if not url and not document:
        return []
    return [
        {
            "url": url,
            "document": document,
            "publisher": (typed.get("source_publisher") or "").strip() or None,
            "published": (typed.get("source_published") or "").strip() or None,
            "confidence": typed.get("source_confidence") or None,
            "fields": fields,
        }
    ]


# Dates a source may give to the year, the month or the day (gi_registry.core.dates.PartialDate).
PARTIAL_DATE_FIELDS = {"issued", "effective", "authorized", "registration_date", "application_date"}


def model_errors(error: ValidationError, lang: Lang) -> dict[str, str]:
    """field_errors, with the source's and the code's own refusals said in words."""
    messages = field_errors(error, lang)
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "_form"
        if field == "sources":
            messages.pop("sources", None)
            messages["source_url"] = t("err_source", lang)
        elif field == "uscc" and item["type"] == "value_error":
            messages["uscc"] = t("err_uscc", lang)
        elif field in PARTIAL_DATE_FIELDS and item["type"] == "value_error":
            messages[field] = t("err_partial_date", lang)
    return messages


async def _form_fields(request: Request) -> FormData:
    # Casework forms without files (checklists and corrections have many named fields): read whole, with
    # a bounded number of fields; the handler checks the CSRF token and the role before using any.
    return await request.form(max_files=0, max_fields=100)


FormFields = Annotated[FormData, Depends(_form_fields)]


def form_state() -> dict:
    """What a page with a form starts with: no errors, nothing typed, no message."""
    return {"errors": {}, "typed": {}, "notice": None, "message": None}


def saved(path: str, lang: Lang) -> RedirectResponse:
    """After a successful form: back to the record's page, which says it was saved (post/redirect/get)."""
    return RedirectResponse(f"{path}?saved=1&lang={lang.value}", status_code=303)


def case_page(
    request: Request, lang: Lang, template: str, build: Callable[[], dict], missing_key: str
) -> Response:
    """A record's page: its context, "saved" after a redirect here, or a 404 page saying what is missing."""
    try:
        context = build()
    except NotFound:
        return not_found(request, lang, t(missing_key, lang))
    if request.query_params.get("saved"):
        context["notice"] = t("cw_saved", lang)
    return render_form(request, template, lang, context)
