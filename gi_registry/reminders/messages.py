"""A message's subject and body in its recipient's language, from the catalogue; never a raw enum value.

The outbox stores values (`params`); words are chosen here, when the message is shown or sent, so the
officials' preview and the e-mail are the same text.
"""

from dataclasses import dataclass
from typing import Any

from gi_registry.core.i18n import Lang, t, value_label
from gi_registry.reminders.models import MessageKind, OutboxMessage
from gi_registry.reminders.tokens import unsubscribe_token, verify_token


@dataclass(frozen=True)
class Rendered:
    """What the recipient reads."""

    subject: str
    body: str
    action_url: str
    unsubscribe_url: str | None


def _action_path(kind: MessageKind, params: dict[str, Any]) -> str:
    if params.get("path"):
        return params["path"]  # an event that names its own page (a special-mark application)
    if kind in (
        MessageKind.application_received,
        MessageKind.application_returned,
        MessageKind.application_decided,
    ):
        return f"/producer/applications/{params['id']}"
    if kind in (MessageKind.audit_recorded, MessageKind.rectification):
        return "/producer/audits"
    if kind == MessageKind.weekly_digest:
        return "/officials"
    return "/producer"


def _county(params: dict[str, Any], lang: Lang) -> str:
    if lang == Lang.en and params.get("county_en"):
        return params["county_en"]
    return params.get("county_zh") or t("rm_all_counties", lang)


def _when(offset: int, lang: Lang) -> str:
    if offset < 0:
        return t("rm_due_in", lang, n=-offset)
    if offset == 0:
        return t("rm_due_today", lang)
    return t("rm_overdue_by", lang, n=offset)


def _main(kind: MessageKind, params: dict[str, Any], lang: Lang) -> tuple[str, str]:
    """The subject and the sentence that says what happened or what is due."""
    p = params
    if kind == MessageKind.verify_address:
        return t("rm_verify_subject", lang), t("rm_verify_text", lang)
    if kind in (MessageKind.usage_report, MessageKind.label_switch, MessageKind.rectification):
        what = value_label("MessageKind", kind.value, lang)
        when = _when(int(p["offset"]), lang)
        return (
            t("rm_deadline_subject", lang, what=what, when=when),
            t("rm_deadline_text", lang, what=what, due=p["due"], when=when, producer=p.get("producer", "")),
        )
    if kind == MessageKind.application_received:
        return (
            t("rm_received_subject", lang, id=p["id"]),
            t("rm_received_text", lang, id=p["id"], due=p["review_due"]),
        )
    if kind == MessageKind.application_returned and p.get("days"):
        return (
            t("rm_waiting_subject", lang, id=p["id"]),
            t(
                "rm_waiting_text",
                lang,
                id=p["id"],
                day=p["returned_on"],
                n=p["days"],
                reason=p.get("reason") or "—",
            ),
        )
    if kind == MessageKind.application_returned:
        return (
            t("rm_returned_subject", lang, id=p["id"]),
            t("rm_returned_text", lang, id=p["id"], reason=p.get("reason") or "—"),
        )
    if kind == MessageKind.application_decided:
        status = value_label(p.get("status_enum", "RenewalStatus"), p["status"], lang)
        return (
            t("rm_decided_subject", lang, id=p["id"], status=status),
            t("rm_decided_text", lang, id=p["id"], status=status, reason=p.get("reason") or "—"),
        )
    if kind == MessageKind.audit_recorded:
        result = value_label("AuditResult", p["result"], lang)
        text = t("rm_audit_text", lang, date=p["audit_date"], result=result)
        if p.get("rectify_by"):
            text += "\n" + t("rm_audit_rectify", lang, due=p["rectify_by"])
        return t("rm_audit_subject", lang, result=result), text
    # The weekly digest: one line per overdue deadline of the county.
    county = _county(p, lang)
    lines = [t("rm_digest_text", lang, county=county, n=len(p["items"]), week=p["week"])]
    for item in p["items"]:
        kind_words = value_label("DeadlineKind", item["kind"], lang)
        lines.append(f"- {item['due']} {kind_words}: {item.get('producer') or '—'}")
    if not p["items"]:
        lines.append(t("rm_digest_none", lang))
    return t("rm_digest_subject", lang, county=county, week=p["week"]), "\n".join(lines)


def render(message: OutboxMessage, *, secret: str, public_url: str) -> Rendered:
    """The message as it is sent: greeting, what, the link where the action is done, how to stop these."""
    lang = message.lang
    base = public_url.rstrip("/")
    subject, text = _main(message.kind, message.params, lang)
    if message.kind == MessageKind.verify_address:
        token = verify_token(secret, message.user_id, message.recipient)
        action = f"{base}/contact/verify?token={token}&lang={lang.value}"
        unsubscribe = None
    else:
        action = f"{base}{_action_path(message.kind, message.params)}?lang={lang.value}"
        token = unsubscribe_token(secret, message.user_id, message.kind)
        unsubscribe = f"{base}/contact/unsubscribe?token={token}&lang={lang.value}"
    parts = [t("rm_greeting", lang), "", text, "", t("rm_action", lang), action, "", "--"]
    parts.append(t("rm_footer", lang))
    if unsubscribe:
        parts += [
            t("rm_unsubscribe", lang, what=value_label("MessageKind", message.kind.value, lang)),
            unsubscribe,
        ]
    else:
        parts.append(t("rm_verify_ignore", lang))
    return Rendered(
        subject=f"{t('site_title', lang)} | {subject}",
        body="\n".join(parts) + "\n",
        action_url=action,
        unsubscribe_url=unsubscribe,
    )
