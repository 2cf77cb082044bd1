"""Standards and management rules for GI products."""

from enum import StrEnum

from sqlmodel import Field, SQLModel

from gi_registry.core.dates import PartialDate
from gi_registry.core.types import EnumText
from gi_registry.sources.models import SourceIn, SourcePublic


class StandardKind(StrEnum):
    """National (GB/T), local (DB43/T), group (T/…), enterprise standards, or management rules."""

    national = "national"
    local = "local"
    group = "group"
    enterprise = "enterprise"
    management_rules = "management_rules"


class StandardStatus(StrEnum):
    """Whether a standard is in force."""

    current = "current"
    superseded = "superseded"
    withdrawn = "withdrawn"


class StandardBase(SQLModel):
    """What identifies a standard and where it stands."""

    number: str | None = Field(default=None, max_length=60)
    title_zh: str = Field(max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    kind: StandardKind = Field(sa_type=EnumText(StandardKind, 20))
    issuing_body: str | None = Field(default=None, max_length=300)
    issued: str | None = Field(default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    effective: str | None = Field(default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    status: StandardStatus | None = Field(default=None, sa_type=EnumText(StandardStatus, 20))
    scope_zh: str | None = Field(default=None, max_length=2000)


class Standard(StandardBase, table=True):
    """A stored standard; `supersedes_id` points at the version it replaced."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    number: str | None = Field(default=None, max_length=60, unique=True)
    supersedes_id: int | None = Field(default=None, foreign_key="standard.id")
    file_path: str | None = Field(default=None, max_length=500)
    synthetic: bool = False


class StandardIndication(SQLModel, table=True):
    """A standard governs a GI product."""

    __tablename__ = "standard_indication"

    standard_id: int = Field(foreign_key="standard.id", primary_key=True, ondelete="CASCADE")
    indication_id: int = Field(foreign_key="indication.id", primary_key=True, ondelete="CASCADE")


class GovernedIndication(SQLModel):
    """A product a standard governs."""

    id: int
    slug: str
    name_zh: str


class StandardPublic(StandardBase):
    """A standard as the API shows it."""

    id: int
    key: str
    supersedes_id: int | None
    file_path: str | None = Field(default=None, description="Where to download the standard's text")
    indications: list[GovernedIndication] = []
    sources: list[SourcePublic] = []


class StandardCreate(StandardBase):
    """An official records a standard: its facts, the GIs it governs, why, and where they come from."""

    issued: PartialDate | None = None
    effective: PartialDate | None = None
    supersedes_number: str | None = Field(
        default=None, max_length=60, description="Number of the version it replaces"
    )
    indication_ids: list[int] = Field(default_factory=list)
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)


class StandardUpdate(SQLModel):
    """An official's correction of a standard's facts."""

    number: str | None = Field(default=None, max_length=60)
    title_zh: str | None = Field(default=None, min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    kind: StandardKind | None = None
    issuing_body: str | None = Field(default=None, max_length=300)
    issued: PartialDate | None = None
    effective: PartialDate | None = None
    status: StandardStatus | None = None
    scope_zh: str | None = Field(default=None, max_length=2000)
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)
