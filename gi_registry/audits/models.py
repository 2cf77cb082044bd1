"""An inspection of one producer for one GI, against a standard version."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import StrictBool, model_validator
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from gi_registry.core.dates import IsoDate
from gi_registry.core.types import EnumText
from gi_registry.history.models import utcnow


class AuditResult(StrEnum):
    """The outcome of an inspection."""

    compliant = "compliant"
    minor_nonconformity = "minor_nonconformity"
    major_nonconformity = "major_nonconformity"


class ChecklistItem(SQLModel):
    """One point checked, with what was found."""

    item: str = Field(min_length=1, max_length=300)
    passed: bool | None = Field(default=None, description="None when not applicable")
    note: str | None = Field(default=None, max_length=1000)


class AuditBase(SQLModel):
    """What an official records about an inspection."""

    producer_id: int = Field(ge=1)
    indication_id: int = Field(ge=1)
    standard_id: int | None = Field(default=None, ge=1)
    audit_date: date
    officials: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    checklist: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    result: AuditResult = Field(sa_type=EnumText(AuditResult, 30))
    findings: str | None = Field(default=None, max_length=4000)
    rectify_by: date | None = None


class Audit(AuditBase, table=True):
    """A stored audit."""

    id: int | None = Field(default=None, primary_key=True)
    producer_id: int = Field(foreign_key="producer.id", index=True)
    indication_id: int = Field(foreign_key="indication.id", index=True)
    standard_id: int | None = Field(default=None, foreign_key="standard.id")
    follow_up: str | None = Field(default=None, max_length=4000)
    closed: bool = False
    recorded_by: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow)
    synthetic: bool = False


class AuditCreate(SQLModel):
    """An official records an audit; a major nonconformity may suspend the authorization."""

    producer_id: int = Field(ge=1)
    indication_id: int = Field(ge=1)
    standard_id: int | None = Field(default=None, ge=1)
    audit_date: IsoDate
    officials: list[str] = Field(min_length=1, max_length=10)
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=100)
    result: AuditResult
    findings: str | None = Field(default=None, max_length=4000)
    rectify_by: IsoDate | None = None
    suspend_authorization: StrictBool = False

    @model_validator(mode="after")
    def _consistent(self) -> "AuditCreate":
        if self.result != AuditResult.compliant and self.rectify_by is None:
            raise ValueError("a nonconformity needs rectify_by: the deadline to put it right")
        if self.rectify_by is not None and self.rectify_by <= self.audit_date:
            raise ValueError("rectify_by must come after the audit date")
        if self.suspend_authorization and self.result != AuditResult.major_nonconformity:
            raise ValueError("only a major nonconformity can suspend the authorization")
        return self


class FollowUpIn(SQLModel):
    """What was done after the audit, and whether the case is closed."""

    follow_up: str = Field(min_length=3, max_length=4000)
    closed: StrictBool = False


class AuditPublic(AuditBase):
    """An audit as officials and the audited producer see it."""

    id: int
    follow_up: str | None
    closed: bool
    recorded_at: datetime
    overdue: bool
    standard_superseded: bool = Field(
        default=False, description="The standard audited against has since been superseded: audit again"
    )
