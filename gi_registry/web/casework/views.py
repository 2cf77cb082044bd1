"""What casework pages share: the officials' gate, a record's history in words, form errors in words."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from gi_registry.auth.models import Role, User
from gi_registry.history import service as history_service
from gi_registry.i18n import ENUM_LABELS, Lang, t
from gi_registry.web.rendering import forbidden

LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # the registry's users are in Yueyang; the log is in UTC


def gate(request: Request, user: User | None, *, admin: bool = False) -> Response | None:
    """A redirect to sign in, a 403 page for other roles, or None when the user may use the page."""
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)
    allowed = (Role.admin,) if admin else (Role.official, Role.admin)
    if user.role not in allowed:
        return forbidden(request, "These pages are for officials. 此页面仅供工作人员使用。")
    return None


# Which enum a logged value belongs to, so the history shows its words and not the stored value.
FIELD_ENUMS = {
    ("renewal", "status"): "RenewalStatus",
    ("producer_link", "status"): "AuthorizationStatus",
    ("producer_link", "label_version"): "LabelVersion",
    ("misuse_report", "status"): "ReportStatus",
    ("audit", "result"): "AuditResult",
    ("user", "role"): "Role",
}
FIELD_WORDS: dict[str, dict[Lang, str]] = {
    "status": {Lang.zh: "状态", Lang.en: "status"},
    "label_version": {Lang.zh: "标志版本", Lang.en: "label version"},
    "authorized": {Lang.zh: "核准日期", Lang.en: "authorized on"},
    "announcement_number": {Lang.zh: "公告号", Lang.en: "announcement number"},
    "valid_until": {Lang.zh: "有效期至", Lang.en: "valid until"},
    "outcome": {Lang.zh: "处理结果", Lang.en: "outcome"},
    "follow_up": {Lang.zh: "整改跟进", Lang.en: "follow-up"},
    "closed": {Lang.zh: "已结案", Lang.en: "closed"},
    "is_active": {Lang.zh: "账户启用", Lang.en: "account active"},
    "password": {Lang.zh: "密码", Lang.en: "password"},
    "name_zh": {Lang.zh: "中文名称", Lang.en: "Chinese name"},
    "name_en": {Lang.zh: "英文名称", Lang.en: "English name"},
    "uscc": {Lang.zh: "统一社会信用代码", Lang.en: "unified social credit code"},
    "county_code": {Lang.zh: "县市区", Lang.en: "county"},
    "township": {Lang.zh: "乡镇", Lang.en: "township"},
    "address": {Lang.zh: "地址", Lang.en: "address"},
    "sources": {Lang.zh: "来源", Lang.en: "sources"},
    "date": {Lang.zh: "日期", Lang.en: "date"},
    "number": {Lang.zh: "编号", Lang.en: "number"},
    "holder": {Lang.zh: "持有人", Lang.en: "holder"},
    "notes": {Lang.zh: "备注", Lang.en: "notes"},
    "title": {Lang.zh: "标题", Lang.en: "title"},
    "code": {Lang.zh: "标准号", Lang.en: "standard number"},
    "text_document_id": {Lang.zh: "标准文本", Lang.en: "text of the standard"},
}
# Reasons the registry itself writes; a reason an official typed is shown as typed.
SYSTEM_REASONS: dict[str, dict[Lang, str]] = {
    "account created": {Lang.zh: "创建账户", Lang.en: "account created"},
    "renewal / label-switch application submitted": {
        Lang.zh: "提交续展/换标申请",
        Lang.en: "renewal / label-switch application submitted",
    },
    "renewal / label-switch application approved": {
        Lang.zh: "续展/换标申请获核准",
        Lang.en: "renewal / label-switch application approved",
    },
    "application resubmitted with new documents": {
        Lang.zh: "补正后重新提交申请",
        Lang.en: "application resubmitted with new documents",
    },
    "text of the standard attached": {Lang.zh: "附上标准文本", Lang.en: "text of the standard attached"},
    "authorization suspended after an audit": {
        Lang.zh: "监督检查后暂停专用标志核准",
        Lang.en: "authorization suspended after an audit",
    },
    "audit follow-up": {Lang.zh: "监督检查整改跟进", Lang.en: "audit follow-up"},
    "misuse report filed": {Lang.zh: "收到违规使用举报", Lang.en: "misuse report filed"},
    "misuse report triage": {Lang.zh: "处理违规使用举报", Lang.en: "misuse report triage"},
    "account deactivated": {Lang.zh: "停用账户", Lang.en: "account deactivated"},
    "password set by an administrator": {
        Lang.zh: "管理员重设密码",
        Lang.en: "password set by an administrator",
    },
}
AUDIT_REASON = re.compile(r"audit of (\d{4}-\d{2}-\d{2}): (\w+)")
ACTOR_WORDS: dict[str, dict[Lang, str]] = {
    "public": {Lang.zh: "公众", Lang.en: "the public"},
    "cli": {Lang.zh: "命令行", Lang.en: "command line"},
    "dataset": {Lang.zh: "数据集导入", Lang.en: "dataset load"},
}


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
        return ENUM_LABELS[enum][value][lang]
    if isinstance(value, (dict, list)):
        return "…"  # whole records and source lists: the record page shows them
    return str(value)


def reason_words(reason: str, lang: Lang) -> str:
    """A logged reason in the page's language when the registry wrote it; a person's words as typed."""
    if reason in SYSTEM_REASONS:
        return SYSTEM_REASONS[reason][lang]
    match = AUDIT_REASON.fullmatch(reason)
    if match:
        result = ENUM_LABELS["AuditResult"].get(match.group(2), {}).get(lang, match.group(2))
        day = match.group(1)
        return f"{day} 监督检查：{result}" if lang == Lang.zh else f"audit of {day}: {result}"
    return reason


def actor_words(actor: str, lang: Lang) -> str:
    """`official:wang` as 工作人员 wang / Official wang."""
    role, _, name = actor.partition(":")
    if name and role in ENUM_LABELS["Role"]:
        return f"{ENUM_LABELS['Role'][role][lang]} {name}"
    return ACTOR_WORDS.get(actor, {}).get(lang, actor)


def history(session: Session, entity: str, entity_id: int, lang: Lang) -> list[HistoryLine]:
    """A record's change log as lines a person reads, oldest first."""
    lines = []
    for row in history_service.record_history(session, entity, entity_id):
        what = FIELD_WORDS.get(row.field, {}).get(lang, row.field) if row.field else t("cw_created", lang)
        lines.append(
            HistoryLine(
                at=local_time(row.at),
                who=actor_words(row.actor, lang),
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
    return messages
