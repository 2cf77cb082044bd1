"""A producer without an account asks for one; an official checks it against the business licence and
confirms it (linking the producer on record with that code, or adding it) or refuses it with a reason.

The request carries the password the producer chose, hashed at once, so that no official ever learns or
sends a password. The reference lets the requester follow it without an account.
"""

import secrets
from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, Session, SQLModel, select

from gi_registry.auth.models import (
    PASSWORD_MAX_CHARS,
    USERNAME_MAX_CHARS,
    Role,
    User,
    actor_of,
    valid_username,
)
from gi_registry.auth.security import hash_password
from gi_registry.core.errors import Conflict, NotFound
from gi_registry.core.i18n import Lang
from gi_registry.core.types import EnumText
from gi_registry.history.models import utcnow
from gi_registry.history.service import ChangeSet
from gi_registry.producers import service as producers_service
from gi_registry.producers.models import Producer, ProducerCreate
from gi_registry.producers.uscc import validate_uscc
from gi_registry.sources.models import Confidence, SourceIn

ENTITY = "account_request"


class AccountRequestStatus(StrEnum):
    """Where a request for a producer's account stands."""

    pending = "pending"
    confirmed = "confirmed"
    refused = "refused"


class AccountRequest(SQLModel, table=True):
    """A request for a producer's account, as the producer typed it."""

    __tablename__ = "account_request"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    producer_name: str = Field(max_length=200)
    uscc: str = Field(max_length=18, index=True)
    county_code: str | None = Field(default=None, max_length=12)
    contact: str = Field(max_length=200)
    username: str = Field(max_length=USERNAME_MAX_CHARS)
    password_hash: str = Field(max_length=300)
    lang: str = Field(default="zh", max_length=2)
    status: AccountRequestStatus = Field(sa_type=EnumText(AccountRequestStatus, 20), index=True)
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    reason: str | None = Field(default=None, max_length=1000)
    producer_id: int | None = Field(default=None, foreign_key="producer.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")


class AccountRequestIn(SQLModel):
    """What a producer types to ask for an account."""

    producer_name: str = Field(min_length=2, max_length=200)
    uscc: str = Field(min_length=18, max_length=18)
    county_code: str | None = Field(default=None, max_length=12)
    contact: str = Field(min_length=3, max_length=200, description="A name and a telephone number or e-mail")
    username: str = Field(min_length=3, max_length=60)
    password: str = Field(min_length=10, max_length=PASSWORD_MAX_CHARS)
    lang: Lang = Lang.zh

    _username = field_validator("username")(valid_username)

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str) -> str:
        return validate_uscc(value)


class AccountRequestPublic(SQLModel):
    """A request as officials see it (never the password hash)."""

    id: int
    reference: str
    producer_name: str
    uscc: str
    county_code: str | None
    contact: str
    username: str
    lang: str
    status: AccountRequestStatus
    created_at: datetime
    decided_at: datetime | None
    reason: str | None
    producer_id: int | None
    known_producer_id: int | None = Field(description="The producer on record with this code, if any")


class AccountRequestStatusPublic(SQLModel):
    """What the requester sees by reference."""

    reference: str
    status: AccountRequestStatus
    reason: str | None


class AccountDecisionIn(SQLModel):
    """An official confirms or refuses, with the reason (what was checked, or why not)."""

    confirm: bool
    reason: str = Field(min_length=3, max_length=1000)


def _username_taken(session: Session, username: str) -> bool:
    return session.exec(select(User.id).where(User.username == username)).first() is not None


def request_account(session: Session, *, request_in: AccountRequestIn) -> AccountRequest:
    """Record a request; the username must be free, and one code has one pending request at a time."""
    if _username_taken(session, request_in.username):
        raise Conflict(f"The username '{request_in.username}' is taken; choose another.")
    pending = session.exec(
        select(AccountRequest.id).where(
            AccountRequest.uscc == request_in.uscc, AccountRequest.status == AccountRequestStatus.pending
        )
    ).first()
    if pending is not None:
        raise Conflict("A request for this unified social credit code is already waiting for the bureau.")
    request = AccountRequest(
        reference="AR-" + secrets.token_hex(4).upper(),
        password_hash=hash_password(request_in.password),
        status=AccountRequestStatus.pending,
        **request_in.model_dump(exclude={"password"}),
    )
    session.add(request)
    session.flush()
    ChangeSet(actor="public", reason="account requested").created(
        session, ENTITY, request.id, request.model_dump(mode="json", exclude={"password_hash"})
    )
    session.commit()
    session.refresh(request)
    return request


def _known_producer(session: Session, uscc: str) -> Producer | None:
    return session.exec(select(Producer).where(Producer.uscc == uscc)).first()


def to_public(session: Session, request: AccountRequest) -> AccountRequestPublic:
    """A request with the producer on record that has its code."""
    known = _known_producer(session, request.uscc)
    return AccountRequestPublic(
        **request.model_dump(exclude={"password_hash", "decided_by", "user_id"}),
        known_producer_id=known.id if known else None,
    )


def list_requests(session: Session, status: AccountRequestStatus | None = None) -> list[AccountRequest]:
    """Requests, oldest first."""
    query = select(AccountRequest).order_by(AccountRequest.id)
    if status is not None:
        query = query.where(AccountRequest.status == status)
    return list(session.exec(query).all())


def get_request(session: Session, request_id: int) -> AccountRequest:
    """A request by id, or NotFound."""
    request = session.get(AccountRequest, request_id)
    if request is None:
        raise NotFound(f"No account request with id {request_id}.")
    return request


def status_of(session: Session, reference: str) -> AccountRequestStatusPublic:
    """What the requester may know: the state and, once decided, the reason."""
    request = session.exec(
        select(AccountRequest).where(AccountRequest.reference == reference.upper())
    ).first()
    if request is None:
        raise NotFound(f"No account request with reference {reference}.")
    return AccountRequestStatusPublic(
        reference=request.reference, status=request.status, reason=request.reason
    )


def decide(
    session: Session, *, request_id: int, decision: AccountDecisionIn, official: User
) -> AccountRequest:
    """Confirm (the producer on record with the code, or a new one sourced to this request, and its account)
    or refuse; in one transaction."""
    request = get_request(session, request_id)
    if request.status != AccountRequestStatus.pending:
        raise Conflict(f"This request is already {request.status.value}.")
    changes = ChangeSet(actor=actor_of(official), reason=decision.reason)
    if decision.confirm:
        if _username_taken(session, request.username):
            raise Conflict(f"The username '{request.username}' was taken meanwhile; refuse with that reason.")
        producer = _known_producer(session, request.uscc)
        if producer is None:
            producer = producers_service.create_producer(
                session,
                producer_in=ProducerCreate(
                    name_zh=request.producer_name,
                    uscc=request.uscc,
                    county_code=request.county_code,
                    reason="added from a confirmed account request",
                    sources=[
                        SourceIn(
                            document=f"account request {request.reference}, checked by the bureau",
                            confidence=Confidence.medium,
                            fields=["name_zh", "uscc", "county_code"],
                            note=decision.reason,
                        )
                    ],
                ),
                actor=changes.actor,
                changes=changes,
            )
        elif session.exec(
            select(User.id).where(User.producer_id == producer.id, User.is_active == True)  # noqa: E712
        ).first():
            raise Conflict("The producer with this code already has an active account.")
        user = User(
            username=request.username,
            password_hash=request.password_hash,
            role=Role.producer,
            producer_id=producer.id,
        )
        session.add(user)
        session.flush()
        changes.created(
            session,
            "user",
            user.id,
            {"username": user.username, "role": "producer", "producer_id": producer.id},
        )
        request.producer_id, request.user_id = producer.id, user.id
    if not decision.confirm:
        # Nothing of the refused request is needed to sign in any more.
        request.password_hash = "!"
    before = request.status
    request.status = AccountRequestStatus.confirmed if decision.confirm else AccountRequestStatus.refused
    request.decided_at, request.decided_by, request.reason = utcnow(), official.id, decision.reason
    session.add(request)
    changes.changed(session, ENTITY, request.id, "status", before.value, request.status.value)
    session.commit()
    session.refresh(request)
    return request
