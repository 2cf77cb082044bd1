"""Applications to use the GI special mark as Hunan's procedure has them (since 2023-01-11).

《湖南省地理标志专用标志使用核准工作规定（试行）》: the city or county bureau with authority for the GI does
the initial review (初审) within 10 working days, with an on-site check (实地核查) a city bureau may delegate
to a county bureau; the provincial bureau reviews, approves and announces the users (发布公告). Changes to a
user's details go to the same city or county bureau, reviewed with an on-site check within 10 working days.
Sources: ../shared/reference/hunan-special-mark-procedure.md (mirrored notice of the provincial bureau).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from gi_registry.auth.models import ReviewLevel
from gi_registry.core.types import EnumText
from gi_registry.documents.models import DocumentPublic
from gi_registry.history.models import utcnow

# Yueyang's city code (GB/T 2260): a city bureau's area; a county bureau's is its county's code.
CITY_CODE = "430600"


class ApplicationKind(StrEnum):
    """What a producer asks: to use the mark for a GI at all, or to change its details as a user."""

    first_use = "first_use"
    change = "change"


class UserBasis(StrEnum):
    """Why the producer may be a user (《地理标志专用标志使用管理办法（试行）》 art. 4 (一)–(三))."""

    protected_product = "protected_product"
    collective_member = "collective_member"
    certification_licensee = "certification_licensee"


# A GI trademark's user shows the membership or the licence filed with the trademark office first.
TRADEMARK_BASES = {UserBasis.collective_member, UserBasis.certification_licensee}


class MarkApplicationStatus(StrEnum):
    """Where an application is on its way through the two levels."""

    submitted = "submitted"
    initial_review = "initial_review"
    initial_corrections = "initial_corrections"
    provincial_review = "provincial_review"
    provincial_corrections = "provincial_corrections"
    approved = "approved"
    refused = "refused"
    not_accepted = "not_accepted"


class MarkStep(StrEnum):
    """What an official (or, for `resubmit`, the producer) does with an application."""

    accept = "accept"
    not_accept = "not_accept"
    request_corrections = "request_corrections"
    forward = "forward"
    approve = "approve"
    refuse = "refuse"
    resubmit = "resubmit"


class SiteCheckOutcome(StrEnum):
    """What the on-site check (核验) found."""

    conforms = "conforms"
    does_not_conform = "does_not_conform"


class NoticeKind(StrEnum):
    """The notices the rules name, generated from the registry's data."""

    acceptance = "acceptance"
    non_acceptance = "non_acceptance"
    review_opinions = "review_opinions"


class Announcement(SQLModel, table=True):
    """The provincial bureau's announcement of approved users of one GI's special mark."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=60, unique=True)
    announced_on: date
    indication_id: int = Field(foreign_key="indication.id", index=True)
    issued_by: str = Field(max_length=200)
    recorded_by: int | None = Field(default=None, foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow)
    synthetic: bool = False


class MarkApplication(SQLModel, table=True):
    """One application, its level, clock and outcome."""

    __tablename__ = "mark_application"
    __table_args__ = (UniqueConstraint("submitted_by", "idempotency_key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: ApplicationKind = Field(sa_type=EnumText(ApplicationKind, 20))
    producer_id: int = Field(foreign_key="producer.id", index=True)
    indication_id: int = Field(foreign_key="indication.id", index=True)
    basis: UserBasis | None = Field(default=None, sa_type=EnumText(UserBasis, 30))
    requested_changes: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: MarkApplicationStatus = Field(sa_type=EnumText(MarkApplicationStatus, 30), index=True)
    # Where the file is: its county (scoping), the bureau level with authority for the initial review.
    county_code: str | None = Field(default=None, max_length=12, index=True)
    initial_level: ReviewLevel = Field(sa_type=EnumText(ReviewLevel, 10))
    site_check_delegated_to: str | None = Field(default=None, max_length=12)
    # The running clock's last day; None while stopped (corrections asked) or when no period is set.
    review_due: date | None = None
    lang: str = Field(default="zh", max_length=2)
    submitted_at: datetime = Field(default_factory=utcnow)
    submitted_by: int = Field(foreign_key="user_account.id")
    filed_by_official: bool = False
    idempotency_key: str | None = Field(default=None, max_length=100)
    accepted_on: date | None = None
    last_reason: str | None = Field(default=None, max_length=2000)
    last_reason_on: date | None = None
    last_reason_level: ReviewLevel | None = Field(default=None, sa_type=EnumText(ReviewLevel, 10))
    decided_at: datetime | None = None
    announcement_id: int | None = Field(default=None, foreign_key="announcement.id")
    synthetic: bool = False


class SiteCheck(SQLModel, table=True):
    """An on-site check (核验) of an application: when, by whom, what was found."""

    __tablename__ = "site_check"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="mark_application.id", index=True)
    checked_on: date
    officials: str = Field(max_length=300)
    findings: str = Field(max_length=4000)
    outcome: SiteCheckOutcome = Field(sa_type=EnumText(SiteCheckOutcome, 20))
    bureau_level: ReviewLevel = Field(sa_type=EnumText(ReviewLevel, 10))
    bureau_area: str = Field(max_length=12)
    recorded_by: int = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow)


class RequestedChanges(SQLModel):
    """What a change application asks to change; at least one."""

    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    uscc: str | None = Field(default=None, min_length=18, max_length=18)
    legal_representative: str | None = Field(default=None, min_length=1, max_length=100)


class MarkStepIn(SQLModel):
    """An official's step with its reason; approval names the announcement."""

    step: MarkStep
    reason: str = Field(min_length=3, max_length=1000)
    announcement_number: str | None = Field(default=None, min_length=1, max_length=60)
    announced_on: date | None = None


class SiteCheckIn(SQLModel):
    """An on-site check as recorded by the officials who did it."""

    checked_on: date
    officials: str = Field(min_length=2, max_length=300)
    findings: str = Field(min_length=3, max_length=4000)
    outcome: SiteCheckOutcome


class DelegationIn(SQLModel):
    """A city bureau hands the on-site check to the county bureau of the production area."""

    county_code: str = Field(min_length=6, max_length=12)
    reason: str = Field(min_length=3, max_length=1000)


class MarkClock(SQLModel):
    """The clock of the level that has the file: stopped while the producer corrects."""

    level: ReviewLevel | None
    review_due: date | None
    working_days: int | None
    running: bool
    overdue: bool


class SiteCheckPublic(SQLModel):
    """An on-site check as its application shows it."""

    id: int
    checked_on: date
    officials: str
    findings: str
    outcome: SiteCheckOutcome
    bureau_level: ReviewLevel
    bureau_area: str
    photos: list[DocumentPublic]


class MarkApplicationPublic(SQLModel):
    """An application as its producer and the officials who may see it see it."""

    id: int
    kind: ApplicationKind
    producer_id: int
    producer_name_zh: str
    indication_id: int
    indication_slug: str
    indication_name_zh: str
    basis: UserBasis | None
    requested_changes: dict
    status: MarkApplicationStatus
    county_code: str | None
    initial_level: ReviewLevel
    site_check_delegated_to: str | None
    lang: str
    submitted_at: datetime
    filed_by_official: bool
    accepted_on: date | None
    last_reason: str | None
    decided_at: datetime | None
    announcement_id: int | None
    clock: MarkClock
    documents: list[DocumentPublic]
    site_checks: list[SiteCheckPublic]
    notices: list[NoticeKind] = Field(description="Notices that can be generated for it now")


class AnnouncedUser(SQLModel):
    """A producer an announcement approved."""

    producer_id: int
    name_zh: str
    uscc: str | None


class AnnouncementPublic(SQLModel):
    """An announcement as the public sees it."""

    id: int
    number: str
    announced_on: date
    issued_by: str
    indication_id: int
    indication_slug: str
    indication_name_zh: str
    users: list[AnnouncedUser]
