"""Special-mark authorizations, renewal / label-switch applications, and public label verification."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from gi_registry.core.dates import IsoDate, PartialDate
from gi_registry.core.types import EnumText
from gi_registry.documents.models import DocumentPublic
from gi_registry.history.models import utcnow
from gi_registry.indications.models import TrademarkTerm
from gi_registry.producers.models import AuthorizationStatus, LabelVersion
from gi_registry.sources.models import SourceIn, SourcePublic


class VerifiedProducer(SQLModel):
    """Public identity of the producer a code belongs to."""

    id: int
    name_zh: str
    name_en: str | None
    county_code: str | None


class VerifiedAuthorization(SQLModel):
    """One GI whose special mark the producer may use, and where that authorization comes from."""

    indication_slug: str
    indication_name_zh: str
    indication_name_en: str | None
    label_version: LabelVersion | None
    status: AuthorizationStatus | None = Field(
        description="Status today (switch_required for a legacy label)"
    )
    authorized: str | None
    announcement_number: str | None
    valid_until: date | None = None
    sources: list[SourcePublic]


class Verification(SQLModel):
    """The answer for one unified social credit code."""

    code: str
    producer: VerifiedProducer
    authorizations: list[VerifiedAuthorization]
    authorized: bool


class RenewalStatus(StrEnum):
    """States of a renewal / label-switch application."""

    submitted = "submitted"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"
    returned = "returned"


class Decision(StrEnum):
    """What an official does with an application."""

    review = "review"
    approve = "approve"
    reject = "reject"
    return_ = "return"


class Renewal(SQLModel, table=True):
    """An application to renew an authorization and switch it to the unified 2020 mark."""

    __table_args__ = (UniqueConstraint("submitted_by", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    authorization_id: int = Field(foreign_key="producer_link.id", index=True)
    producer_id: int = Field(foreign_key="producer.id", index=True)
    status: RenewalStatus = Field(sa_type=EnumText(RenewalStatus, 20), index=True)
    submitted_at: datetime = Field(default_factory=utcnow)
    review_due: date
    submitted_by: int = Field(foreign_key="user_account.id")
    idempotency_key: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = None
    decided_by: int | None = Field(default=None, foreign_key="user_account.id")
    decision_reason: str | None = Field(default=None, max_length=2000)
    synthetic: bool = False


class DecisionIn(SQLModel):
    """An official's decision on an application."""

    decision: Decision
    reason: str = Field(min_length=3, max_length=1000)


class ReviewClock(SQLModel):
    """The statutory clock: initial review within 10 working days of submission."""

    review_due: date
    working_days: int
    overdue: bool


class RenewalPublic(SQLModel):
    """An application as its producer and officials see it."""

    id: int
    authorization_id: int
    producer_id: int
    status: RenewalStatus
    submitted_at: datetime
    decided_at: datetime | None
    decision_reason: str | None
    clock: ReviewClock
    documents: list[DocumentPublic]


class AuthorizationCreate(SQLModel):
    """An official records a producer's authorization to use a GI's special mark."""

    producer_id: int = Field(ge=1)
    indication_id: int = Field(ge=1)
    label_version: LabelVersion
    authorized: PartialDate | None = None
    announcement_number: str | None = Field(default=None, max_length=60)
    status: AuthorizationStatus = AuthorizationStatus.active
    valid_until: date | None = None
    standard_id: int | None = Field(default=None, ge=1, description="Standard version it is granted under")
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)


class AuthorizationChange(SQLModel):
    """An official suspends, revokes or reinstates an authorization, or records its label switch."""

    status: AuthorizationStatus | None = None
    label_version: LabelVersion | None = None
    authorized: PartialDate | None = None
    announcement_number: str | None = Field(default=None, max_length=60)
    valid_until: IsoDate | None = None
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)


class AuthorizationDeadlines(SQLModel):
    """Dates the producer must keep: the annual usage report and the GI trademark's renewal."""

    usage_report_due: date | None
    usage_report_basis: str
    trademark_terms: list[TrademarkTerm]


class AuthorizationPublic(SQLModel):
    """An authorization with its computed status and deadlines."""

    id: int
    producer_id: int
    producer_name_zh: str
    indication_id: int
    indication_slug: str
    indication_name_zh: str
    label_version: LabelVersion | None
    authorized: str | None
    announcement_number: str | None
    status: AuthorizationStatus | None
    effective_status: AuthorizationStatus | None
    valid_until: date | None
    standard_id: int | None
    standard_superseded: bool = Field(
        description="The standard it was granted under has since been superseded"
    )
    deadlines: AuthorizationDeadlines
    sources: list[SourcePublic]
