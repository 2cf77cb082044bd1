"""What a producer's own pages read: its desk, one application with its history, its audits, a document.

One function per page, so the web routes stay thin; every function reads only the signed-in producer's
records (another producer's application, audit or document is NotFound, as on the API).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from gi_registry.audits import service as audits_service
from gi_registry.audits.models import AuditPublic
from gi_registry.auth.models import Role, User
from gi_registry.core.errors import Forbidden
from gi_registry.history.models import ChangeLog
from gi_registry.indications.models import Indication
from gi_registry.labels import authorizations, mark_applications, renewals
from gi_registry.labels import deadlines as deadlines_service
from gi_registry.labels.mark_models import MarkApplicationPublic
from gi_registry.labels.models import AuthorizationPublic, RenewalPublic, RenewalStatus
from gi_registry.producers.models import LinkRole, Producer, ProducerLink

# Reasons the registry itself writes into an application's history, and their catalogue keys; any other
# reason is an official's own words, shown as written.
SYSTEM_REASONS = {
    "renewal / label-switch application submitted": "reason_application_submitted",
    "application resubmitted with new documents": "reason_application_resubmitted",
    "demo data (synthetic)": "reason_demo",
}


def _producer_only(user: User) -> None:
    if user.role != Role.producer or user.producer_id is None:
        raise Forbidden("These pages are for producer accounts.")


@dataclass(frozen=True)
class Desk:
    """Where a producer stands."""

    producer: Producer
    authorizations: list[AuthorizationPublic]
    deadlines: list[deadlines_service.Deadline]
    applications: list[RenewalPublic]
    mark_applications: list[MarkApplicationPublic]
    open_audits: int
    calendar_token: str


def desk(session: Session, *, user: User, today: date, secret: str) -> Desk:
    """The producer's authorizations with status and deadlines, its applications and open audits."""
    _producer_only(user)
    links = session.exec(
        select(ProducerLink)
        .where(ProducerLink.producer_id == user.producer_id, ProducerLink.role == LinkRole.authorized_user)
        .order_by(ProducerLink.id)
    ).all()
    return Desk(
        producer=session.get(Producer, user.producer_id),
        authorizations=[authorizations.to_public(session, link, today=today) for link in links],
        deadlines=deadlines_service.deadlines(
            session, today=today, producer_id=user.producer_id, within_days=365
        ),
        applications=[
            renewals.to_public(session, r, today) for r in renewals.list_renewals(session, user, None)
        ],
        mark_applications=mark_applications.mark_applications_of_producer(session, user, today),
        open_audits=len(audits_service.list_audits(session, user, open_only=True)),
        calendar_token=deadlines_service.calendar_token(secret, user.producer_id),
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One step of an application, as its producer may read it (the official's name stays private)."""

    at: datetime
    actor_role: Role | None
    created: bool
    old_status: RenewalStatus | None
    new_status: RenewalStatus | None
    reason_key: str | None
    reason: str | None


@dataclass(frozen=True)
class ApplicationView:
    """One application: the authorization it is for, its clock, documents and history."""

    application: RenewalPublic
    authorization: AuthorizationPublic
    history: list[HistoryEntry]
    can_resubmit: bool


def _role_of(actor: str) -> Role | None:
    head = actor.partition(":")[0]
    return Role(head) if head in Role.__members__ else None


def _status(value: object) -> RenewalStatus | None:
    return RenewalStatus(value) if isinstance(value, str) and value in RenewalStatus.__members__ else None


def application(session: Session, *, user: User, renewal_id: int, today: date) -> ApplicationView:
    """The producer's own application with the officials' reasons; another's is NotFound."""
    _producer_only(user)
    renewal = renewals.get_renewal(session, renewal_id, user)
    rows = session.exec(
        select(ChangeLog)
        .where(ChangeLog.entity_type == renewals.RENEWAL, ChangeLog.entity_id == str(renewal.id))
        .order_by(ChangeLog.id)
    ).all()
    history = [
        HistoryEntry(
            at=row.at,
            actor_role=_role_of(row.actor),
            created=row.field is None,
            old_status=_status(row.old_value) if row.field == "status" else None,
            new_status=_status(row.new_value) if row.field == "status" else None,
            reason_key=SYSTEM_REASONS.get(row.reason),
            reason=None if row.reason in SYSTEM_REASONS else row.reason,
        )
        for row in rows
        if row.field in (None, "status")
    ]
    link = authorizations.get_authorization(session, renewal.authorization_id)
    return ApplicationView(
        application=renewals.to_public(session, renewal, today),
        authorization=authorizations.to_public(session, link, today=today),
        history=history,
        can_resubmit=renewal.status == RenewalStatus.returned,
    )


@dataclass(frozen=True)
class AuditView:
    """An audit of the producer's business, with the GI's name."""

    audit: AuditPublic
    indication_slug: str
    indication_name_zh: str


def audits(session: Session, *, user: User, today: date) -> list[AuditView]:
    """Every audit of the producer's business, newest first (read-only)."""
    _producer_only(user)
    found = audits_service.list_audits(session, user)
    names = {
        i.id: i
        for i in session.exec(
            select(Indication).where(Indication.id.in_({a.indication_id for a in found}))
        ).all()
    }
    return [
        AuditView(
            audit=audits_service.to_public(session, a, today),
            indication_slug=names[a.indication_id].slug,
            indication_name_zh=names[a.indication_id].name_zh,
        )
        for a in found
    ]
