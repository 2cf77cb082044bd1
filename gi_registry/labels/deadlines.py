"""What is due or overdue: application reviews, rectifications, usage reports, label switches, renewals."""

import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlmodel import Session, select

from gi_registry.audits.models import Audit
from gi_registry.core.errors import InvalidParameter
from gi_registry.core.i18n import Lang, deadline_title, t
from gi_registry.indications.models import Indication, Protection, ProtectionKind
from gi_registry.indications.terms import trademark_term
from gi_registry.labels import authorizations
from gi_registry.labels.models import Renewal
from gi_registry.labels.workflow import OPEN_STATES
from gi_registry.producers.models import AuthorizationStatus, LinkRole, Producer, ProducerLink


class DeadlineKind(StrEnum):
    """What a deadline is for."""

    application_review = "application_review"
    rectification = "rectification"
    label_switch = "label_switch"
    usage_report = "usage_report"
    trademark_renewal = "trademark_renewal"


@dataclass(frozen=True)
class Deadline:
    """One date someone must meet."""

    kind: DeadlineKind
    due: date
    overdue: bool
    title: str
    producer_id: int | None
    producer_name_zh: str | None
    county_code: str | None
    indication_slug: str | None
    ref: str
    # What the title names (application or audit id, audit result, grace end), so that pages, the
    # calendar and CSV files can say it in their own language; the API keeps its English `title`.
    detail: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        """JSON-ready."""
        fields = {k: v for k, v in asdict(self).items() if k != "detail"}
        return {**fields, "kind": self.kind.value, "due": self.due.isoformat()}

    def title_in(self, lang: Lang) -> str:
        """The title in `lang`, from the catalogue."""
        return deadline_title(self.kind.value, self.detail, lang)


def deadlines(
    session: Session,
    *,
    today: date,
    producer_id: int | None = None,
    county_code: str | None = None,
    indication_id: int | None = None,
    within_days: int = 90,
    include_synthetic: bool = True,
) -> list[Deadline]:
    """Everything overdue, and everything due within `within_days`, soonest first.

    Without `include_synthetic`, deadlines of demo producers are left out (the one rule for demo records:
    counted only in demo mode, on officials' pages as in the API). An `indication_id` of no GI product is
    an InvalidParameter (a filter naming nothing is a mistake, not an empty answer)."""
    horizon = today + timedelta(days=within_days)
    producers = {p.id: p for p in session.exec(select(Producer)).all()}
    indications = {i.id: i for i in session.exec(select(Indication)).all()}
    if indication_id is not None and indication_id not in indications:
        raise InvalidParameter(f"There is no GI product with id {indication_id}.")
    found: list[Deadline] = []

    def add(
        kind: DeadlineKind,
        due: date,
        title: str,
        producer: int | None,
        indication: int | None,
        ref: str,
        **detail: Any,
    ) -> None:
        owner = producers.get(producer) if producer else None
        found.append(
            Deadline(
                kind=kind,
                due=due,
                overdue=due < today,
                title=title,
                producer_id=producer,
                producer_name_zh=owner.name_zh if owner else None,
                county_code=owner.county_code if owner else None,
                indication_slug=indications[indication].slug if indication in indications else None,
                ref=ref,
                detail=detail,
            )
        )

    for renewal in session.exec(select(Renewal).where(Renewal.status.in_(OPEN_STATES))):
        link = session.get(ProducerLink, renewal.authorization_id)
        add(
            DeadlineKind.application_review,
            renewal.review_due,
            f"Initial review of application {renewal.id} (10 working days)",
            renewal.producer_id,
            link.indication_id if link else None,
            f"/api/v1/renewals/{renewal.id}",
            id=renewal.id,
        )
    for audit in session.exec(select(Audit).where(Audit.closed == False, Audit.rectify_by.is_not(None))):  # noqa: E712
        add(
            DeadlineKind.rectification,
            audit.rectify_by,
            f"Rectification after audit {audit.id} ({audit.result.value})",
            audit.producer_id,
            audit.indication_id,
            f"/api/v1/audits/{audit.id}",
            id=audit.id,
            result=audit.result,
        )
    for link in session.exec(select(ProducerLink).where(ProducerLink.role == LinkRole.authorized_user)):
        if link.status in (AuthorizationStatus.revoked, AuthorizationStatus.suspended):
            continue
        if authorizations.effective_status(link, today) == AuthorizationStatus.switch_required:
            add(
                DeadlineKind.label_switch,
                authorizations.LEGACY_MARK_LAST_DAY,
                "Switch to the unified GI special mark",
                link.producer_id,
                link.indication_id,
                f"/api/v1/authorizations/{link.id}",
            )
        due, _basis = authorizations.usage_report_due(link.authorized, today)
        if due is not None:
            add(
                DeadlineKind.usage_report,
                due,
                "Annual report on the use of the GI special mark",
                link.producer_id,
                link.indication_id,
                f"/api/v1/authorizations/{link.id}",
            )
    if producer_id is None:
        for protection in session.exec(
            select(Protection).where(Protection.kind == ProtectionKind.gi_trademark)
        ):
            term = trademark_term(protection.registration_date, today, protection.renewed_through)
            if term.term_end is not None:
                add(
                    DeadlineKind.trademark_renewal,
                    term.term_end,
                    f"Renewal of the GI trademark (grace until {term.grace_ends})",
                    None,
                    protection.indication_id,
                    f"/api/v1/indications/{protection.indication_id}",
                    grace=term.grace_ends,
                )

    def wanted(d: Deadline) -> bool:
        if not include_synthetic and d.producer_id is not None and producers[d.producer_id].synthetic:
            return False
        if producer_id is not None and d.producer_id != producer_id:
            return False
        if county_code is not None and d.county_code != county_code:
            return False
        if indication_id is not None and d.indication_slug != indications[indication_id].slug:
            return False
        return d.overdue or d.due <= horizon

    return sorted((d for d in found if wanted(d)), key=lambda d: (d.due, d.kind))


def calendar_token(secret: str, producer_id: int) -> str:
    """The secret part of a producer's calendar address: its id and an HMAC over it."""
    digest = hmac.new(secret.encode(), f"calendar:{producer_id}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{producer_id}-{digest}"


def producer_of_token(secret: str, token: str) -> int | None:
    """The producer a calendar token belongs to, or None for a forged one."""
    head, _, _ = token.partition("-")
    if not token.isascii() or not head.isdigit() or len(head) > 18:
        return None
    return (
        int(head) if hmac.compare_digest(calendar_token(secret, int(head)).encode(), token.encode()) else None
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def icalendar(items: list[Deadline], producer_id: int, stamp: str, lang: Lang = Lang.zh) -> str:
    """An RFC 5545 calendar of all-day events, one per deadline (CRLF line ends), in `lang`."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//gi-registry//deadlines//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(t('calendar_name', lang, id=producer_id))}",
    ]
    for item in items:
        uid = hashlib.sha256(f"{item.kind}|{item.ref}|{item.due}".encode()).hexdigest()[:24]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}@gi-registry",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(item.due + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(item.title_in(lang))}",
            f"DESCRIPTION:{_escape(item.ref)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
