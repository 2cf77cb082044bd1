"""One row per changed field: who, when, what, why."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware now, so the log sorts the same on every machine."""
    return datetime.now(UTC)


class ChangeBase(SQLModel):
    """The content of a change-log row."""

    change_set: str = Field(max_length=36, index=True, description="Rows written by one transaction")
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=120)
    entity_type: str = Field(max_length=30)
    entity_id: str = Field(max_length=64)
    field: str | None = Field(default=None, max_length=60, description="None when the whole record is new")
    old_value: Any | None = Field(default=None, sa_column=Column(JSON))
    new_value: Any | None = Field(default=None, sa_column=Column(JSON))
    reason: str = Field(max_length=1000)


class ChangeLog(ChangeBase, table=True):
    """A stored change; rows are only ever inserted."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)


class ChangePublic(ChangeBase):
    """A change as the API shows it."""

    id: int
