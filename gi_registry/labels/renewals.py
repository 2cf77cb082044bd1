"""Renewal / label-switch applications: submission with documents, the review clock, decisions."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from gi_registry.auth.models import Role, User, actor_of
from gi_registry.core.errors import Conflict, Forbidden, InvalidParameter, InvalidUpload, NotFound
from gi_registry.core.workdays import add_workdays
from gi_registry.documents import files
from gi_registry.documents.models import Document, DocumentPublic
from gi_registry.history.models import utcnow
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.labels import authorizations
from gi_registry.labels.models import (
    Decision,
    DecisionIn,
    Renewal,
    RenewalPublic,
    RenewalStatus,
    ReviewClock,
)
from gi_registry.labels.workflow import OPEN_STATES, RESUBMIT, REVIEW_WORKING_DAYS, next_status
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, Producer
from gi_registry.reminders import service as reminders
from gi_registry.reminders.models import MessageKind

RENEWAL = "renewal"


@dataclass(frozen=True)
class Upload:
    """A file as received, before any check."""

    filename: str | None
    content_type: str | None
    content: bytes


def clock(renewal: Renewal, today: date) -> ReviewClock:
    """The review clock of an application; overdue only while it is still open."""
    return ReviewClock(
        review_due=renewal.review_due,
        working_days=REVIEW_WORKING_DAYS,
        overdue=renewal.status in OPEN_STATES and today > renewal.review_due,
    )


def to_public(session: Session, renewal: Renewal, today: date) -> RenewalPublic:
    """An application with its clock and documents."""
    documents = session.exec(
        select(Document).where(Document.renewal_id == renewal.id).order_by(Document.id)
    ).all()
    return RenewalPublic(
        **renewal.model_dump(include=set(RenewalPublic.model_fields) - {"clock", "documents"}),
        clock=clock(renewal, today),
        documents=[DocumentPublic.model_validate(d, from_attributes=True) for d in documents],
    )


def get_renewal(session: Session, renewal_id: int, user: User) -> Renewal:
    """An application the user may see; another producer's application is NotFound, not Forbidden."""
    renewal = session.get(Renewal, renewal_id)
    if renewal is None or (user.role == Role.producer and renewal.producer_id != user.producer_id):
        raise NotFound(f"No application with id {renewal_id} that you can see.")
    return renewal


def list_renewals(
    session: Session, user: User, status: RenewalStatus | None, *, include_synthetic: bool = True
) -> list[Renewal]:
    """Officials see every application, producers their own; demo producers' only with `include_synthetic`."""
    query = select(Renewal).order_by(Renewal.id)
    if not include_synthetic and user.role != Role.producer:
        query = query.join(Producer, Producer.id == Renewal.producer_id).where(
            Producer.synthetic == False  # noqa: E712 - SQL expression
        )
    if user.role == Role.producer:
        query = query.where(Renewal.producer_id == user.producer_id)
    if status is not None:
        query = query.where(Renewal.status == status)
    return list(session.exec(query).all())


def check_uploads(uploads: list[Upload], max_bytes: int, *, required: bool = True) -> list[files.CheckedFile]:
    """Every file of one request checked by content, at most MAX_FILES_PER_REQUEST; at least one if
    `required` (an application needs a document; a site check's photos are optional)."""
    if required and not uploads:
        raise InvalidUpload("Attach at least one document (PDF, JPEG or PNG).")
    if len(uploads) > files.MAX_FILES_PER_REQUEST:
        raise InvalidUpload(
            f"Attach at most {files.MAX_FILES_PER_REQUEST} documents at once; {len(uploads)} were sent."
        )
    return [files.check_upload(u.filename, u.content_type, u.content, max_bytes) for u in uploads]


def _attach(
    session: Session,
    renewal: Renewal,
    checked: list[files.CheckedFile],
    user: User,
    root: Path,
    written: list[Path],
) -> None:
    files.attach(
        session, root, checked, owner_producer_id=renewal.producer_id, uploaded_by=user.id, written=written,
        renewal_id=renewal.id,
    )  # fmt: skip


_commit_or_remove = files.commit_or_remove


OPEN_STATUSES = (RenewalStatus.submitted, RenewalStatus.under_review, RenewalStatus.returned)


def submit_renewal(
    session: Session,
    *,
    user: User,
    authorization_id: int,
    uploads: list[Upload],
    idempotency_key: str | None,
    upload_root: Path,
    max_bytes: int,
    today: date,
    max_open: int = 3,
) -> tuple[Renewal, bool]:
    """File an application for the producer's own authorization; returns it and whether it was a replay.

    At most `max_open` applications of one authorization may be open (submitted, under review or
    returned) at once: each stores up to five documents, and nothing else stopped a producer from
    filling the disk with applications nobody will review. Two submissions at the same instant can
    both pass the count; the cap is a brake on abuse, not an invariant.
    """
    if idempotency_key is not None:
        earlier = session.exec(
            select(Renewal).where(Renewal.submitted_by == user.id, Renewal.idempotency_key == idempotency_key)
        ).first()
        if earlier is not None:
            if earlier.authorization_id != authorization_id:
                raise InvalidParameter("This Idempotency-Key was already used for another application.")
            return earlier, True
    try:
        link = authorizations.get_authorization(session, authorization_id)
    except NotFound:
        raise InvalidParameter(
            f"There is no special-mark authorization with id {authorization_id}."
        ) from None
    if link.producer_id != user.producer_id:
        raise Forbidden("You can apply only for your own producer's authorizations.")
    if link.status in (AuthorizationStatus.suspended, AuthorizationStatus.revoked):
        raise Conflict(
            f"This authorization is {link.status.value}; it cannot be renewed until the bureau lifts that."
        )
    open_now = session.exec(
        select(func.count())
        .select_from(Renewal)
        .where(Renewal.authorization_id == link.id, Renewal.status.in_(OPEN_STATUSES))
    ).one()
    if open_now >= max_open:
        raise Conflict(
            f"This authorization already has {open_now} open application(s), the most allowed; wait for "
            "the bureau's decision, or resubmit a returned application instead of filing a new one."
        )
    checked = check_uploads(uploads, max_bytes)
    renewal = Renewal(
        authorization_id=link.id,
        producer_id=link.producer_id,
        status=RenewalStatus.submitted,
        review_due=add_workdays(today, REVIEW_WORKING_DAYS),
        submitted_by=user.id,
        idempotency_key=idempotency_key,
    )
    written: list[Path] = []
    try:
        session.add(renewal)
        session.flush()
        _attach(session, renewal, checked, user, upload_root, written)
        changes = ChangeSet(actor=actor_of(user), reason="renewal / label-switch application submitted")
        changes.created(
            session, RENEWAL, renewal.id, renewal.model_dump(mode="json", exclude={"idempotency_key"})
        )
        _notify_received(session, renewal, changes.id)
        _commit_or_remove(session, written)
    except IntegrityError:
        # Two requests with one Idempotency-Key raced; the other one won, so answer with its result.
        session.rollback()
        for path in written:
            files.forget_if_unused(session, path)
        if idempotency_key is None:
            raise
        earlier = session.exec(
            select(Renewal).where(Renewal.submitted_by == user.id, Renewal.idempotency_key == idempotency_key)
        ).one()
        return earlier, True
    session.refresh(renewal)
    return renewal, False


def _notify_received(session: Session, renewal: Renewal, event_id: str) -> None:
    """The producer hears that the application arrived, and by when the first review is due."""
    params = {"id": renewal.id, "review_due": renewal.review_due.isoformat()}
    reminders.enqueue_event(
        session,
        kind=MessageKind.application_received,
        producer_id=renewal.producer_id,
        event_id=event_id,
        params=params,
    )


def _notify_decided(
    session: Session, renewal: Renewal, target: RenewalStatus, reason: str, event_id: str
) -> None:
    """A return (with the reason to answer) or a decision reaches the producer; a review's start does not."""
    if target == RenewalStatus.returned:
        kind = MessageKind.application_returned
    elif target in (RenewalStatus.approved, RenewalStatus.rejected):
        kind = MessageKind.application_decided
    else:
        return
    params = {"id": renewal.id, "status": target.value, "reason": reason}
    reminders.enqueue_event(
        session, kind=kind, producer_id=renewal.producer_id, event_id=event_id, params=params
    )


def _move(session: Session, renewal: Renewal, step: str, values: dict) -> RenewalStatus:
    """Change the state only if no one else changed it meanwhile: exactly one of two racing officials wins."""
    target = next_status(renewal.status, step)
    result = session.exec(
        update(Renewal)
        .where(Renewal.id == renewal.id, Renewal.status == renewal.status)
        .values(status=target, **values)
    )
    if result.rowcount != 1:
        session.rollback()
        current = session.get(Renewal, renewal.id)
        session.refresh(current)
        next_status(current.status, step)  # raises with the state it has now
        raise InvalidParameter("The application changed while you were deciding; reload it and decide again.")
    return target


def decide(session: Session, *, renewal_id: int, decision_in: DecisionIn, user: User, today: date) -> Renewal:
    """An official decides; approval switches the authorization to the unified mark, in one transaction."""
    renewal = get_renewal(session, renewal_id, user)
    before = renewal.status
    now = utcnow()
    values = {"decided_at": now, "decided_by": user.id, "decision_reason": decision_in.reason}
    target = _move(session, renewal, decision_in.decision, values)
    changes = ChangeSet(actor=actor_of(user), reason=decision_in.reason)
    changes.changed(session, RENEWAL, renewal.id, "status", before.value, target.value)
    if decision_in.decision == Decision.approve:
        link = authorizations.get_authorization(session, renewal.authorization_id)
        if link.status in (AuthorizationStatus.suspended, AuthorizationStatus.revoked):
            session.rollback()
            raise Conflict(
                f"The authorization was {link.status.value} after this application was filed; approving it "
                "would lift that. Reject or return the application instead."
            )
        # The authorization's history is public: the same change set, with a neutral reason; the
        # official's own reason stays on the (private) application.
        public = ChangeSet(
            actor=actor_of(user), reason="renewal / label-switch application approved", id=changes.id
        )
        updates = {
            "label_version": LabelVersion.unified,
            "authorized": today.isoformat(),
            "status": AuthorizationStatus.active,
        }
        apply_changes(session, public, "producer_link", link, updates)
    _notify_decided(session, renewal, target, decision_in.reason, changes.id)
    session.commit()
    session.refresh(renewal)
    return renewal


def resubmit(
    session: Session,
    *,
    renewal_id: int,
    user: User,
    uploads: list[Upload],
    upload_root: Path,
    max_bytes: int,
    today: date,
) -> Renewal:
    """The producer answers a returned application with new documents; the review clock restarts."""
    renewal = get_renewal(session, renewal_id, user)
    if user.role != Role.producer:
        raise Forbidden("Only the producer who applied can resubmit its application.")
    checked = check_uploads(uploads, max_bytes)
    before = renewal.status
    target = _move(session, renewal, RESUBMIT, {"review_due": add_workdays(today, REVIEW_WORKING_DAYS)})
    written: list[Path] = []
    session.refresh(renewal)
    _attach(session, renewal, checked, user, upload_root, written)
    changes = ChangeSet(actor=actor_of(user), reason="application resubmitted with new documents")
    changes.changed(session, RENEWAL, renewal.id, "status", before.value, target.value)
    session.refresh(renewal)
    _notify_received(session, renewal, changes.id)
    _commit_or_remove(session, written)
    session.refresh(renewal)
    return renewal
