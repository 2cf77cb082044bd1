"""Producers and the roles they hold towards GIs."""

from datetime import date
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from gi_registry.core.types import EnumText
from gi_registry.producers.uscc import validate_uscc
from gi_registry.sources.models import SourceIn, SourcePublic


class LinkRole(StrEnum):
    """How a producer relates to a GI. A public-brand licence is not a special-mark authorization."""

    holder = "holder"
    applicant = "applicant"
    authorized_user = "authorized_user"
    public_brand_licensee = "public_brand_licensee"


class LabelVersion(StrEnum):
    """Which special mark an authorized user prints: the pre-2020 one or the unified 2020 mark."""

    legacy = "legacy"
    unified = "unified"


class AuthorizationStatus(StrEnum):
    """State of a special-mark authorization."""

    active = "active"
    switch_required = "switch_required"
    suspended = "suspended"
    revoked = "revoked"


class ProducerBase(SQLModel):
    """Identity and location of a producer."""

    name_zh: str = Field(max_length=200)
    name_en: str | None = Field(default=None, max_length=300)
    uscc: str | None = Field(default=None, max_length=18, description="Unified social credit code")
    county_code: str | None = Field(default=None, max_length=12)
    township_code: str | None = Field(default=None, max_length=12)
    address: str | None = Field(default=None, max_length=300)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None) -> str | None:
        return None if value is None else validate_uscc(value)


class Producer(ProducerBase, table=True):
    """A stored producer; `key` is its stable natural key in data files."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, unique=True)
    uscc: str | None = Field(default=None, max_length=18, unique=True)
    county_code: str | None = Field(default=None, max_length=12, foreign_key="admin_area.code", index=True)
    township_code: str | None = Field(default=None, max_length=12, foreign_key="admin_area.code")
    synthetic: bool = False


class ProducerLinkBase(SQLModel):
    """A producer's role towards one GI, with the authorization details where the role is one."""

    role: LinkRole = Field(sa_type=EnumText(LinkRole, 30))
    label_version: LabelVersion | None = Field(default=None, sa_type=EnumText(LabelVersion, 10))
    authorized: str | None = Field(default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    announcement_number: str | None = Field(default=None, max_length=60)
    status: AuthorizationStatus | None = Field(default=None, sa_type=EnumText(AuthorizationStatus, 20))
    valid_until: date | None = Field(default=None, description="End of the authorization, when one is set")
    standard_id: int | None = Field(
        default=None,
        foreign_key="standard.id",
        description="The standard version the authorization was granted under",
    )


class ProducerLink(ProducerLinkBase, table=True):
    """A stored producer–GI link."""

    __tablename__ = "producer_link"
    __table_args__ = (UniqueConstraint("producer_id", "indication_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    producer_id: int = Field(foreign_key="producer.id", index=True, ondelete="CASCADE")
    indication_id: int = Field(foreign_key="indication.id", index=True, ondelete="CASCADE")
    synthetic: bool = False


class ProducerLinkPublic(ProducerLinkBase):
    """A link as shown on a producer."""

    id: int
    indication_id: int
    indication_slug: str
    indication_name_zh: str
    sources: list[SourcePublic] = []


class ProducerPublic(ProducerBase):
    """A producer as the API shows it."""

    id: int
    key: str
    links: list[ProducerLinkPublic] = []
    sources: list[SourcePublic] = []


class ProducerCreate(ProducerBase):
    """An official's request to add a producer: the facts, why, and where they come from."""

    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)


class ProducerUpdate(SQLModel):
    """An official's correction of a producer (null sets a field back to unknown)."""

    name_zh: str | None = Field(default=None, min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=300)
    uscc: str | None = Field(default=None, max_length=18)
    county_code: str | None = Field(default=None, max_length=12)
    township_code: str | None = Field(default=None, max_length=12)
    address: str | None = Field(default=None, max_length=300)
    reason: str = Field(min_length=3, max_length=1000)
    sources: list[SourceIn] = Field(min_length=1)

    @field_validator("uscc")
    @classmethod
    def _valid_uscc(cls, value: str | None) -> str | None:
        return None if value is None else validate_uscc(value)
