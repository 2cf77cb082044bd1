"""Contacts and consent, and the one function other domains call to put a message in the outbox.

`enqueue_event` adds rows to the caller's session and never commits: the message is written in the same
transaction as the decision or audit that causes it, or not at all.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from gi_registry.auth.models import Role, User
from gi_registry.core.errors import InvalidParameter, NotFound
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AdminArea
from gi_registry.history.models import utcnow
from gi_registry.reminders.models import (
    OFFICIAL_KINDS,
    PRODUCER_KINDS,
    Contact,
    ContactIn,
    MessageKind,
    OutboxMessage,
    OutboxState,
)
from gi_registry.reminders.tokens import read_unsubscribe_token, user_of_verify_token, verify_token_matches


@dataclass(frozen=True)
class ContactView:
    """What the settings page shows: the settings, the kinds on offer, the counties for a digest."""

    contact: Contact
    kinds: tuple[MessageKind, ...]
    counties: list[AdminArea]


def contact_view(session: Session, user: User) -> ContactView:
    """The account's settings page."""
    counties = [] if user.role == Role.producer else geo_service.yueyang_counties(session)
    return ContactView(contact=contact_of(session, user), kinds=kinds_for(user), counties=counties)


def kinds_for(user: User) -> tuple[MessageKind, ...]:
    """The kinds of message this account can receive (and turn off)."""
    return PRODUCER_KINDS if user.role == Role.producer else OFFICIAL_KINDS


def contact_of(session: Session, user: User) -> Contact:
    """The account's contact settings; an account that never saved any has an empty one (not stored)."""
    found = session.exec(select(Contact).where(Contact.user_id == user.id)).first()
    return found or Contact(user_id=user.id)


def save_contact(session: Session, *, user: User, contact_in: ContactIn) -> tuple[Contact, bool]:
    """Store the settings; a new address is unverified and gets a verification message (same commit).

    Returns the contact and whether a verification message was queued.
    """
    allowed = set(kinds_for(user))
    if any(kind not in allowed for kind in contact_in.opt_outs):
        raise InvalidParameter("Only the kinds of message this account receives can be turned off.")
    if contact_in.county_code is not None and user.role != Role.producer:
        if contact_in.county_code not in {a.code for a in geo_service.yueyang_counties(session)}:
            raise InvalidParameter(f"There is no county with code {contact_in.county_code}.")
    contact = contact_of(session, user)
    email = contact_in.email.strip().lower() if contact_in.email else None
    changed = email != contact.email
    contact.email = email
    contact.lang = contact_in.lang
    contact.opt_outs = sorted(k.value for k in contact_in.opt_outs)
    contact.county_code = contact_in.county_code if user.role != Role.producer else None
    contact.updated_at = utcnow()
    if changed:
        contact.verified = False
    session.add(contact)
    session.flush()
    queued = False
    if changed and email:
        digest = hashlib.sha256(email.encode()).hexdigest()[:16]
        queued = _add(session, user, contact, MessageKind.verify_address, f"verify:{user.id}:{digest}", {})
    session.commit()
    session.refresh(contact)
    return contact, queued


def verify_address(session: Session, *, secret: str, token: str) -> Contact:
    """Mark the address a verification link was sent to as verified (no sign-in needed)."""
    user_id = user_of_verify_token(token)
    contact = (
        session.exec(select(Contact).where(Contact.user_id == user_id)).first()
        if user_id is not None
        else None
    )
    if (
        contact is None
        or not contact.email
        or not verify_token_matches(secret, token, user_id, contact.email)
    ):
        raise NotFound("This verification link is not valid, or the address has changed since it was sent.")
    if not contact.verified:
        contact.verified = True
        contact.updated_at = utcnow()
        session.add(contact)
        session.commit()
        session.refresh(contact)
    return contact


def unsubscribe(session: Session, *, secret: str, token: str) -> tuple[Contact, MessageKind]:
    """Turn off one kind of message for the account an unsubscribe link was made for (no sign-in needed)."""
    read = read_unsubscribe_token(secret, token)
    if read is None or read[1] not in MessageKind.__members__ or read[1] == MessageKind.verify_address:
        raise NotFound("This unsubscribe link is not valid.")
    user_id, kind = read[0], MessageKind(read[1])
    contact = session.exec(select(Contact).where(Contact.user_id == user_id)).first()
    if contact is None:
        raise NotFound("This unsubscribe link is not valid.")
    if kind.value not in contact.opt_outs:
        contact.opt_outs = sorted([*contact.opt_outs, kind.value])
        contact.updated_at = utcnow()
        session.add(contact)
        session.commit()
        session.refresh(contact)
    return contact, kind


def _add(
    session: Session, user: User, contact: Contact, kind: MessageKind, key: str, params: dict[str, Any]
) -> bool:
    """Add one message unless its key is already in the outbox; a savepoint keeps the caller's work."""
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.key == key)).first() is not None:
        return False
    message = OutboxMessage(
        key=key,
        kind=kind,
        user_id=user.id,
        recipient=contact.email,
        lang=contact.lang,
        params=params,
        synthetic=user.synthetic,
    )
    # Two transactions racing past the check above both insert; the unique key makes the later commit
    # fail as a whole (no half state), and its caller's request is refused or the scheduler skips it.
    session.add(message)
    session.flush()
    return True


def reachable(session: Session, user: User, kind: MessageKind) -> Contact | None:
    """The contact to write to about `kind`: an active account, a verified address, that kind not refused."""
    if not user.is_active:
        return None
    contact = session.exec(select(Contact).where(Contact.user_id == user.id)).first()
    if contact is None or not contact.email or not contact.verified or kind.value in contact.opt_outs:
        return None
    return contact


def still_wanted(session: Session, message: OutboxMessage) -> bool:
    """Whether a queued message may still go: consent is checked again when it is sent, not only when
    it was queued (an unsubscribe or a new address stops what is already waiting)."""
    user = session.get(User, message.user_id)
    contact = session.exec(select(Contact).where(Contact.user_id == message.user_id)).first()
    if user is None or not user.is_active or contact is None or contact.email != message.recipient:
        return False
    if message.kind == MessageKind.verify_address:
        return not contact.verified
    return contact.verified and message.kind.value not in contact.opt_outs


def enqueue_for_user(
    session: Session, user: User, kind: MessageKind, key: str, params: dict[str, Any]
) -> bool:
    """Queue one message to one account if it can be reached about `kind`; False when not (or already)."""
    contact = reachable(session, user, kind)
    if contact is None:
        return False
    return _add(session, user, contact, kind, f"{key}:u{user.id}", params)


def enqueue_event(
    session: Session, *, kind: MessageKind, producer_id: int, event_id: str, params: dict[str, Any]
) -> int:
    """Queue a message about an event (application received, returned, decided; audit recorded) to every
    account of the producer that can be reached about `kind`. Adds to the caller's transaction, which
    commits; `event_id` (e.g. the change set's id) makes the key, so a replay adds nothing. Returns how
    many messages were queued.
    """
    users = session.exec(
        select(User).where(User.producer_id == producer_id, User.role == Role.producer).order_by(User.id)
    ).all()
    return sum(
        enqueue_for_user(session, user, kind, f"event:{kind.value}:{event_id}", params) for user in users
    )


def list_outbox(
    session: Session, *, user: User, state: OutboxState | None, include_synthetic: bool, limit: int = 500
) -> list[OutboxMessage]:
    """Officials see what was and would be sent; dead letters are for administrators only."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    if user.role != Role.admin:
        query = query.where(OutboxMessage.state != OutboxState.dead)
    if state is not None:
        query = query.where(OutboxMessage.state == state)
    if not include_synthetic:
        query = query.where(OutboxMessage.synthetic == False)  # noqa: E712 - SQL expression
    return list(session.exec(query).all())


def get_message(session: Session, *, user: User, message_id: int) -> OutboxMessage:
    """One message for the officials' preview; dead letters only for administrators."""
    message = session.get(OutboxMessage, message_id)
    if message is None or (message.state == OutboxState.dead and user.role != Role.admin):
        raise NotFound(f"No message with id {message_id}.")
    return message


def retry_dead(session: Session, *, user: User, message_id: int) -> OutboxMessage:
    """An administrator sends a dead letter again (after fixing the address or the relay)."""
    message = session.get(OutboxMessage, message_id)
    if message is None or user.role != Role.admin or message.state != OutboxState.dead:
        raise NotFound(f"No dead letter with id {message_id}.")
    message.state = OutboxState.pending
    message.attempts = 0
    message.next_attempt_at = utcnow()
    session.add(message)
    session.commit()
    session.refresh(message)
    return message
