"""A report of a suspected counterfeit or misused GI label, and its triage."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from gi_registry.core.types import EnumText
from gi_registry.history.models import utcnow


class ReportStatus(StrEnum):
    """Where a report stands."""

    new = "new"
    investigating = "investigating"
    closed = "closed"


class MisuseReport(SQLModel, table=True):
    """A report; the reporter follows it by its reference, never by a login."""

    __tablename__ = "misuse_report"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    indication_id: int | None = Field(default=None, foreign_key="indication.id")
    location: str = Field(max_length=300)
    description: str = Field(max_length=4000)
    contact: str | None = Field(default=None, max_length=200, description="Optional; seen by officials only")
    photo_document_id: int | None = Field(default=None, foreign_key="document.id")
    status: ReportStatus = Field(default=ReportStatus.new, sa_type=EnumText(ReportStatus, 20), index=True)
    outcome: str | None = Field(default=None, max_length=2000)
    created_at: datetime = Field(default_factory=utcnow)
    synthetic: bool = False


class ReportStatusPublic(SQLModel):
    """What the reporter sees."""

    reference: str
    status: ReportStatus
    outcome: str | None
    created_at: datetime


class ReportPublic(ReportStatusPublic):
    """What officials see."""

    id: int
    indication_id: int | None
    location: str
    description: str
    contact: str | None
    photo_document_id: int | None


class TriageIn(SQLModel):
    """An official's triage step."""

    status: ReportStatus
    outcome: str | None = Field(default=None, max_length=2000)
