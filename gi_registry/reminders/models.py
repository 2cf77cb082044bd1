"""Contacts (address, language, opt-outs) and the outbox of messages waiting to be delivered."""

import re
from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from gi_registry.core.i18n import Lang
from gi_registry.core.types import EnumText
from gi_registry.history.models import utcnow

# One @, no spaces or characters that would split a header, a dot in the domain.
EMAIL = re.compile(r"[^@\s<>,;\"()\[\]]{1,64}@[^@\s<>,;\"()\[\]]+\.[^@\s<>,;\"()\[\]]+")


class MessageKind(StrEnum):
    """What a message is about; every kind but the address check can be turned off by its recipient."""

    verify_address = "verify_address"
    usage_report = "usage_report"
    label_switch = "label_switch"
    rectification = "rectification"
    application_received = "application_received"
    application_returned = "application_returned"
    application_decided = "application_decided"
    audit_recorded = "audit_recorded"
    weekly_digest = "weekly_digest"


# Kinds a producer account receives, and those an official receives; the settings page offers these.
PRODUCER_KINDS = (
    MessageKind.usage_report,
    MessageKind.label_switch,
    MessageKind.rectification,
    MessageKind.application_received,
    MessageKind.application_returned,
    MessageKind.application_decided,
    MessageKind.audit_recorded,
)
OFFICIAL_KINDS = (MessageKind.weekly_digest,)


class OutboxState(StrEnum):
    """Where a message is on its way out."""

    pending = "pending"
    sending = "sending"
    sent = "sent"
    dead = "dead"
    # Not sent: between queueing and sending, the recipient turned that kind off, changed its address or
    # lost its account.
    withdrawn = "withdrawn"


class Contact(SQLModel, table=True):
    """How an account wants to be reached: one address, verified by a link before any use."""

    __tablename__ = "reminder_contact"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", unique=True, ondelete="CASCADE")
    email: str | None = Field(default=None, max_length=254)
    verified: bool = False
    lang: Lang = Field(default=Lang.zh, sa_type=EnumText(Lang, 5))
    opt_outs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # An official's weekly digest covers this county, or every county when empty.
    county_code: str | None = Field(default=None, max_length=12)
    updated_at: datetime = Field(default_factory=utcnow)


class ContactIn(SQLModel):
    """What the settings page sends."""

    email: str | None = Field(default=None, max_length=254)
    lang: Lang = Lang.zh
    opt_outs: list[MessageKind] = Field(default_factory=list, max_length=20)
    county_code: str | None = Field(default=None, max_length=12)

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        # SQLModel's `regex=` is not enforced on pydantic 2, so the check is spelled out.
        if value is not None and not EMAIL.fullmatch(value):
            raise ValueError("not an e-mail address")
        return value


class OutboxMessage(SQLModel, table=True):
    """One message to one account, written in the transaction of the event (or by the scheduler).

    `key` is unique: one message per (recipient, deadline, offset) or per (recipient, event), so neither a
    restarted scheduler nor a replayed event can write a second one.
    """

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    kind: MessageKind = Field(sa_type=EnumText(MessageKind, 30), index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    recipient: str = Field(max_length=254)
    lang: Lang = Field(sa_type=EnumText(Lang, 5))
    # What the message says, as values; words come from the catalogue when it is rendered.
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: OutboxState = Field(default=OutboxState.pending, sa_type=EnumText(OutboxState, 10), index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = None
    synthetic: bool = False
