"""The shape of each record in data/*.yaml. Unknown values are null; every record cites its sources."""

from datetime import date
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gi_registry.core.dates import PartialDate
from gi_registry.geo.coordinates import parse_coordinate_range
from gi_registry.geo.models import PlaceLevel
from gi_registry.indications.models import (
    Authority,
    Category,
    MarkType,
    NumberKind,
    ProtectionKind,
    ProtectionStatus,
)
from gi_registry.producers.models import AuthorizationStatus, LabelVersion, LinkRole
from gi_registry.producers.uscc import validate_uscc
from gi_registry.sources.models import Confidence, SourceIn
from gi_registry.standards.models import StandardKind, StandardStatus

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ADMIN_CODE = r"^\d{6}(\d{3})?$"


class Record(BaseModel):
    """A data-file record: unknown keys are typos and are refused."""

    model_config = ConfigDict(extra="forbid")


class SourceRecord(SourceIn):
    """A citation in a data file."""

    model_config = ConfigDict(extra="forbid")


Sources = list[SourceRecord]


def _nonempty(sources: Sources) -> Sources:
    if not sources:
        raise ValueError("every record must cite at least one source")
    return sources


class PlaceRecord(Record):
    """A place the production-area source names."""

    level: PlaceLevel
    code: str | None = Field(default=None, pattern=ADMIN_CODE)
    name_zh: str = Field(min_length=1, max_length=60)
    parent: str | None = Field(default=None, max_length=60)
    note: str | None = Field(default=None, max_length=300)


class AreaRecord(Record):
    """A production area as the source words it."""

    description_zh: str | None = Field(default=None, max_length=2000)
    places: list[PlaceRecord] = []
    coordinate_range: str | None = Field(default=None, max_length=200)
    area_ha: float | None = Field(default=None, ge=0)
    summary_note: str | None = Field(default=None, max_length=1000)
    sources: Sources

    _sources_present = field_validator("sources")(_nonempty)

    @field_validator("coordinate_range")
    @classmethod
    def _parsable(cls, value: str | None) -> str | None:
        if value is not None:
            parse_coordinate_range(value)
        return value


class ProtectionRecord(Record):
    """One protection of a product."""

    key: str = Field(pattern=r"^[a-z0-9_-]+$", max_length=30)
    kind: ProtectionKind
    mark_type: MarkType | None = None
    authority: Authority | None = None
    number: str | None = Field(default=None, max_length=60)
    number_kind: NumberKind | None = None
    status: ProtectionStatus = ProtectionStatus.unknown
    application_date: PartialDate | None = None
    registration_date: PartialDate | None = None
    date_note: str | None = Field(default=None, max_length=2000)
    holder_name: str | None = Field(default=None, max_length=200)
    applicant_name: str | None = Field(default=None, max_length=200)
    confidence: Confidence
    renewed_through: date | None = None
    notes: str | None = Field(default=None, max_length=2000)
    # Fields whose value was only inferred, each with the reasoning (data/README.md, "Inferences"): such a
    # field stays null (status: unknown), so that an inference is never stored, shown or counted as a fact.
    inferred: dict[str, str] = {}
    sources: Sources
    area: AreaRecord | None = None

    _sources_present = field_validator("sources")(_nonempty)

    @model_validator(mode="after")
    def _no_inference_as_value(self) -> "ProtectionRecord":
        # A misspelt name would silently protect nothing, so names are checked before any value.
        for name in self.inferred:
            if name not in INFERABLE_FIELDS:
                raise ValueError(
                    f"inferred names '{name}', which is not a field that can hold an inferred value "
                    f"({', '.join(sorted(INFERABLE_FIELDS))})"
                )
        for name, reasoning in self.inferred.items():
            if not reasoning.strip():
                raise ValueError(f"inferred.{name} needs the reasoning behind the inference")
            value = getattr(self, name)
            if value is not None and value != ProtectionStatus.unknown:
                empty = "unknown" if name == "status" else "null"
                raise ValueError(
                    f"'{name}' is {_shown(value)} but its only support is an inference "
                    f"({reasoning.strip()}); "
                    f"an inference is never stored as a fact: set '{name}' to {empty} and keep the reasoning"
                )
        return self

    @model_validator(mode="after")
    def _consistent(self) -> "ProtectionRecord":
        if self.mark_type is not None and self.kind != ProtectionKind.gi_trademark:
            raise ValueError(f"mark_type applies only to gi_trademark, not to {self.kind.value}")
        if self.number is not None and self.number_kind is None:
            raise ValueError(
                "a number needs its number_kind (agi_certificate, trademark_registration, announcement)"
            )
        return self


class PublicNote(Record):
    """A GI's short public text in both languages, written only from what its cited sources say."""

    zh: str = Field(min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=800)


def _shown(value: object) -> str:
    return repr(value.value if isinstance(value, Enum) else value)


# The protection fields a source states (or not): the ones `inferred` may name.
INFERABLE_FIELDS = frozenset(
    {
        "mark_type",
        "authority",
        "number",
        "number_kind",
        "status",
        "application_date",
        "registration_date",
        "holder_name",
        "applicant_name",
        "renewed_through",
    }
)


class IndicationRecord(Record):
    """A GI product with its protections."""

    slug: str = Field(pattern=SLUG, max_length=80)
    name_zh: str = Field(min_length=1, max_length=60)
    name_pinyin: str | None = Field(default=None, max_length=120)
    name_en: str | None = Field(default=None, max_length=160)
    category: Category
    counties: list[str] = Field(min_length=1)
    notes: str | None = Field(default=None, max_length=2000)
    public_note: PublicNote | None = None
    sources: Sources
    protections: list[ProtectionRecord] = Field(min_length=1)

    _sources_present = field_validator("sources")(_nonempty)

    @field_validator("counties")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not code.isdigit() or len(code) != 6:
                raise ValueError(f"'{code}' is not a 6-digit county or city code")
        return codes

    @model_validator(mode="after")
    def _unique_protection_keys(self) -> "IndicationRecord":
        keys = [p.key for p in self.protections]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(
                f"protection keys must be unique within a product; repeated: {', '.join(duplicates)}"
            )
        return self


class StandardRecord(Record):
    """A standard or management rules."""

    key: str = Field(pattern=SLUG, max_length=80)
    number: str | None = Field(default=None, max_length=60)
    title_zh: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    kind: StandardKind
    issuing_body: str | None = Field(default=None, max_length=300)
    issued: PartialDate | None = None
    effective: PartialDate | None = None
    status: StandardStatus | None = None
    supersedes: str | None = None
    indications: list[str] = []
    scope_zh: str | None = Field(default=None, max_length=2000)
    sources: Sources

    _sources_present = field_validator("sources")(_nonempty)


class LinkRecord(Record):
    """A producer's role towards a GI product."""

    indication: str
    role: LinkRole
    label_version: LabelVersion | None = None
    authorized: PartialDate | None = None
    announcement_number: str | None = Field(default=None, max_length=60)
    status: AuthorizationStatus | None = None
    sources: Sources

    _sources_present = field_validator("sources")(_nonempty)

    @model_validator(mode="after")
    def _label_only_for_authorized_users(self) -> "LinkRecord":
        if self.label_version is not None and self.role != LinkRole.authorized_user:
            raise ValueError(
                "label_version applies only to authorized_user links (a special-mark authorization)"
            )
        return self


class ProducerRecord(Record):
    """A producer and its links."""

    key: str = Field(pattern=SLUG, max_length=80)
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=300)
    uscc: str | None = None
    county_code: str | None = Field(default=None, pattern=ADMIN_CODE)
    township_code: str | None = Field(default=None, pattern=ADMIN_CODE)
    address: str | None = Field(default=None, max_length=300)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    sources: Sources
    links: list[LinkRecord] = []

    _sources_present = field_validator("sources")(_nonempty)

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None) -> str | None:
        return None if value is None else validate_uscc(value)


class OfficialTotalRecord(Record):
    """A total an authority published."""

    key: str = Field(pattern=SLUG, max_length=80)
    kind: ProtectionKind
    scope_code: str = Field(pattern=ADMIN_CODE)
    as_of: date
    total: int = Field(ge=0)
    note: str | None = Field(default=None, max_length=1000)
    sources: Sources

    _sources_present = field_validator("sources")(_nonempty)


class NotIndicationRecord(Record):
    """A well-known name that is not a GI: the loader refuses it as a product."""

    name_zh: str
    reason: str
    sources: Sources = []
