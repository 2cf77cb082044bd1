"""A GI product (岳阳黄茶) holds one or more protections (trademark, protected product, agricultural GI)."""

from datetime import date
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from gi_registry.core.dates import PartialDate
from gi_registry.core.types import EnumText
from gi_registry.geo.models import AdminAreaPublic, ProductionAreaPublic
from gi_registry.sources.models import Confidence, SourceIn, SourcePublic


class Category(StrEnum):
    """Product categories used for browsing and filtering."""

    tea = "tea"
    vegetable = "vegetable"
    fruit = "fruit"
    grain = "grain"
    aquatic = "aquatic"
    livestock_poultry = "livestock_poultry"
    medicinal_herb = "medicinal_herb"
    processed_food = "processed_food"
    beverage_alcohol = "beverage_alcohol"


class ProtectionKind(StrEnum):
    """China's three GI systems."""

    gi_trademark = "gi_trademark"
    gi_protected_product = "gi_protected_product"
    agricultural_product_gi = "agricultural_product_gi"


class MarkType(StrEnum):
    """The two kinds of GI trademark."""

    certification = "certification"
    collective = "collective"


class Authority(StrEnum):
    """Who registered or approved a protection."""

    moa = "moa"
    aqsiq = "aqsiq"
    cnipa = "cnipa"
    saic_ctmo = "saic_ctmo"


class NumberKind(StrEnum):
    """What a protection's number is."""

    agi_certificate = "agi_certificate"
    trademark_registration = "trademark_registration"
    announcement = "announcement"


class ProtectionStatus(StrEnum):
    """The state of a protection as its sources report it."""

    registered = "registered"
    expert_review_passed = "expert_review_passed"
    applied = "applied"
    cancelled = "cancelled"
    unknown = "unknown"


class IndicationBase(SQLModel):
    """Names and category of a GI product."""

    slug: str = Field(max_length=80, regex=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name_zh: str = Field(max_length=60)
    name_pinyin: str | None = Field(default=None, max_length=120)
    name_en: str | None = Field(default=None, max_length=160)
    category: Category = Field(sa_type=EnumText(Category, 30))
    notes: str | None = Field(default=None, max_length=2000)
    # The short text a GI's public page shows, in each language, written only from what the cited
    # sources say; `notes` holds the research notes (how sources were graded), shown with the sources.
    public_note_zh: str | None = Field(default=None, max_length=500)
    public_note_en: str | None = Field(default=None, max_length=800)


class Indication(IndicationBase, table=True):
    """A GI product; `search_text` holds its names in every form `q` matches."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name_zh: str = Field(max_length=60, unique=True)
    search_text: str = Field(default="", max_length=1000)
    synthetic: bool = False


class IndicationCounty(SQLModel, table=True):
    """A county-level division (or the whole city) a product comes from, as its sources say."""

    __tablename__ = "indication_county"

    indication_id: int = Field(foreign_key="indication.id", primary_key=True, ondelete="CASCADE")
    county_code: str = Field(foreign_key="admin_area.code", primary_key=True, max_length=12)


class ReviewBureau(StrEnum):
    """The market-supervision bureau with authority for the initial review of special-mark applications,
    as CNIPA's protection announcement names it (Hunan's rules of 2023-01-11)."""

    city = "city"
    county = "county"


class ProtectionBase(SQLModel):
    """One legal protection of a product."""

    key: str = Field(max_length=30, regex=r"^[a-z0-9_-]+$")
    kind: ProtectionKind = Field(sa_type=EnumText(ProtectionKind, 30))
    mark_type: MarkType | None = Field(default=None, sa_type=EnumText(MarkType, 20))
    authority: Authority | None = Field(default=None, sa_type=EnumText(Authority, 20))
    number: str | None = Field(default=None, max_length=60)
    number_kind: NumberKind | None = Field(default=None, sa_type=EnumText(NumberKind, 30))
    status: ProtectionStatus = Field(default=ProtectionStatus.unknown, sa_type=EnumText(ProtectionStatus, 30))
    application_date: str | None = Field(default=None, max_length=10)
    registration_date: str | None = Field(default=None, max_length=10)
    date_note: str | None = Field(default=None, max_length=2000)
    holder_name: str | None = Field(default=None, max_length=200)
    applicant_name: str | None = Field(default=None, max_length=200)
    confidence: Confidence = Field(sa_type=EnumText(Confidence, 1))
    renewed_through: date | None = Field(
        default=None, description="End of the latest trademark term whose renewal is on record"
    )
    notes: str | None = Field(default=None, max_length=2000)
    initial_review_bureau: ReviewBureau | None = Field(
        default=None,
        sa_type=EnumText(ReviewBureau, 10),
        description="Bureau with authority for the initial review of special-mark applications (unknown: "
        "the city's)",
    )


class Protection(ProtectionBase, table=True):
    """A stored protection."""

    __table_args__ = (UniqueConstraint("indication_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    indication_id: int = Field(foreign_key="indication.id", index=True, ondelete="CASCADE")
    kind: ProtectionKind = Field(sa_type=EnumText(ProtectionKind, 30), index=True)
    synthetic: bool = False


class TrademarkTermStatus(StrEnum):
    """Where a GI trademark stands in its 10-year term."""

    in_term = "in_term"
    renewal_window = "renewal_window"
    grace_period = "grace_period"
    lapsed = "lapsed"
    unknown = "unknown"


class TrademarkTerm(SQLModel):
    """The current term of a GI trademark, computed from its registration date."""

    status: TrademarkTermStatus
    term_start: date | None = None
    term_end: date | None = None
    renewal_opens: date | None = None
    grace_ends: date | None = None
    reason: str | None = None


class ProtectionPublic(ProtectionBase):
    """A protection with its area, sources and, for trademarks, its term."""

    id: int
    area: ProductionAreaPublic | None = None
    trademark_term: TrademarkTerm | None = None
    sources: list[SourcePublic] = []


class StandardRef(SQLModel):
    """A standard governing a product, as listed on the product."""

    id: int
    number: str | None
    title_zh: str
    kind: str
    status: str | None


class IndicationPublic(IndicationBase):
    """A GI product as the API shows it."""

    id: int
    confidence: Confidence | None = Field(description="The highest confidence among its protections")
    counties: list[AdminAreaPublic] = []
    protections: list[ProtectionPublic] = []
    standards: list[StandardRef] = []
    sources: list[SourcePublic] = []


class OfficialTotal(SQLModel, table=True):
    """A count an authority published, e.g. 32 GI trademarks in Yueyang at the end of 2020."""

    __tablename__ = "official_total"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    kind: ProtectionKind = Field(sa_type=EnumText(ProtectionKind, 30))
    scope_code: str = Field(foreign_key="admin_area.code", max_length=12)
    as_of: date
    total: int = Field(ge=0)
    note: str | None = Field(default=None, max_length=1000)


class IndicationUpdate(SQLModel):
    """An official's correction of a GI product; the slug never changes."""

    name_zh: str | None = Field(default=None, min_length=1, max_length=60)
    name_pinyin: str | None = Field(default=None, max_length=120)
    name_en: str | None = Field(default=None, max_length=160)
    category: Category | None = None
    notes: str | None = Field(default=None, max_length=2000)
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)


class ProtectionUpdate(SQLModel):
    """An official's correction of a protection (null sets a field back to unknown)."""

    mark_type: MarkType | None = None
    authority: Authority | None = None
    number: str | None = Field(default=None, max_length=60)
    number_kind: NumberKind | None = None
    status: ProtectionStatus | None = None
    application_date: PartialDate | None = None
    registration_date: PartialDate | None = None
    date_note: str | None = Field(default=None, max_length=2000)
    holder_name: str | None = Field(default=None, max_length=200)
    applicant_name: str | None = Field(default=None, max_length=200)
    confidence: Confidence | None = None
    renewed_through: date | None = None
    notes: str | None = Field(default=None, max_length=2000)
    initial_review_bureau: ReviewBureau | None = None
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)
