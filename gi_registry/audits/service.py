"""Recording audits and their follow-up; a major nonconformity can suspend the authorization."""

from datetime import date

from sqlmodel import Session, select

from gi_registry.audits.models import Audit, AuditCreate, AuditPublic, FollowUpIn
from gi_registry.auth.models import Role, User, actor_of
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.indications.models import Indication
from gi_registry.producers.models import AuthorizationStatus, LinkRole, Producer, ProducerLink
from gi_registry.reminders import service as reminders
from gi_registry.reminders.models import MessageKind
from gi_registry.standards.models import Standard, StandardStatus

AUDIT = "audit"


def to_public(session: Session, audit: Audit, today: date) -> AuditPublic:
    """An audit with its flags: rectification overdue, and the standard it used superseded since."""
    overdue = not audit.closed and audit.rectify_by is not None and today > audit.rectify_by
    standard = session.get(Standard, audit.standard_id) if audit.standard_id else None
    superseded = standard is not None and standard.status == StandardStatus.superseded
    return AuditPublic(**audit.model_dump(), overdue=overdue, standard_superseded=superseded)


def record_audit(session: Session, *, audit_in: AuditCreate, user: User, today: date) -> Audit:
    """Store an audit; a major nonconformity may suspend the authorization, in the same transaction."""
    if audit_in.audit_date > today:
        raise InvalidParameter("The audit date is in the future.")
    if session.get(Producer, audit_in.producer_id) is None:
        raise InvalidParameter(f"There is no producer with id {audit_in.producer_id}.")
    if session.get(Indication, audit_in.indication_id) is None:
        raise InvalidParameter(f"There is no GI product with id {audit_in.indication_id}.")
    if audit_in.standard_id is not None and session.get(Standard, audit_in.standard_id) is None:
        raise InvalidParameter(f"There is no standard with id {audit_in.standard_id}.")
    authorization = session.exec(
        select(ProducerLink).where(
            ProducerLink.producer_id == audit_in.producer_id,
            ProducerLink.indication_id == audit_in.indication_id,
            ProducerLink.role == LinkRole.authorized_user,
        )
    ).first()
    if audit_in.suspend_authorization and authorization is None:
        raise Conflict("This producer holds no authorization for this GI, so there is nothing to suspend.")
    audit = Audit(
        **audit_in.model_dump(exclude={"suspend_authorization", "checklist"}),
        checklist=[item.model_dump() for item in audit_in.checklist],
        recorded_by=user.id,
    )
    session.add(audit)
    session.flush()
    changes = ChangeSet(
        actor=actor_of(user), reason=f"audit of {audit_in.audit_date}: {audit_in.result.value}"
    )
    changes.created(session, AUDIT, audit.id, audit.model_dump(mode="json"))
    if audit_in.suspend_authorization and authorization.status != AuthorizationStatus.suspended:
        # Public history of the authorization: a neutral reason; the findings stay on the private audit.
        public = ChangeSet(
            actor=actor_of(user), reason="authorization suspended after an audit", id=changes.id
        )
        apply_changes(
            session, public, "producer_link", authorization, {"status": AuthorizationStatus.suspended}
        )
    # The audited producer hears the result and any rectification date, in this same transaction.
    params = {
        "id": audit.id,
        "audit_date": audit.audit_date.isoformat(),
        "result": audit.result.value,
        "rectify_by": audit.rectify_by.isoformat() if audit.rectify_by else None,
    }
    reminders.enqueue_event(
        session,
        kind=MessageKind.audit_recorded,
        producer_id=audit.producer_id,
        event_id=changes.id,
        params=params,
    )
    session.commit()
    session.refresh(audit)
    return audit


def get_audit(session: Session, audit_id: int, user: User) -> Audit:
    """An audit for officials, or for the audited producer; anyone else gets NotFound."""
    audit = session.get(Audit, audit_id)
    if audit is None or (user.role == Role.producer and audit.producer_id != user.producer_id):
        raise NotFound(f"No audit with id {audit_id} that you can see.")
    return audit


def list_audits(session: Session, user: User, *, open_only: bool = False) -> list[Audit]:
    """Officials see every audit, producers their own."""
    query = select(Audit).order_by(Audit.audit_date.desc(), Audit.id.desc())
    if user.role == Role.producer:
        query = query.where(Audit.producer_id == user.producer_id)
    if open_only:
        query = query.where(Audit.closed == False)  # noqa: E712 - SQL expression
    return list(session.exec(query).all())


def follow_up(session: Session, *, audit_id: int, follow_up_in: FollowUpIn, user: User) -> Audit:
    """Record what was done after the audit; a closed case is not reopened here."""
    audit = get_audit(session, audit_id, user)
    if audit.closed:
        raise Conflict("This audit is closed; record a new audit instead.")
    changes = ChangeSet(actor=actor_of(user), reason="audit follow-up")
    changes.changed(session, AUDIT, audit.id, "follow_up", audit.follow_up, follow_up_in.follow_up)
    if follow_up_in.closed:
        changes.changed(session, AUDIT, audit.id, "closed", False, True)
    audit.follow_up = follow_up_in.follow_up
    audit.closed = follow_up_in.closed
    session.add(audit)
    session.commit()
    session.refresh(audit)
    return audit
