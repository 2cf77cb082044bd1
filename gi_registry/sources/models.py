"""A citation ties one record to the URL or document that states its facts."""

from enum import StrEnum

from pydantic import model_validator
from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from gi_registry.core.dates import PartialDate
from gi_registry.core.types import EnumText


class Confidence(StrEnum):
    """How far a source can be trusted (see data/README.md for the scale)."""

    high = "H"
    medium = "M"
    low = "L"


CONFIDENCE_RANK = {Confidence.high: 3, Confidence.medium: 2, Confidence.low: 1}


class EntityType(StrEnum):
    """The kinds of record that carry citations and history."""

    indication = "indication"
    protection = "protection"
    production_area = "production_area"
    standard = "standard"
    producer = "producer"
    producer_link = "producer_link"
    official_total = "official_total"
    admin_area = "admin_area"
    boundary_version = "boundary_version"


class SourceBase(SQLModel):
    """What a citation says: where the fact comes from and how sure it is."""

    url: str | None = Field(default=None, max_length=2000)
    document: str | None = Field(default=None, max_length=1000)
    publisher: str | None = Field(default=None, max_length=300)
    published: str | None = Field(default=None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    confidence: Confidence = Field(sa_type=EnumText(Confidence, 1))
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, max_length=2000)


class Citation(SourceBase, table=True):
    """One source cited by one record; `position` keeps the order the data gives."""

    __table_args__ = (Index("ix_citation_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    entity_type: EntityType = Field(sa_type=EnumText(EntityType, 30))
    entity_id: int
    position: int = 0


class SourceIn(SourceBase):
    """A citation as written in data files and API requests."""

    published: PartialDate | None = None

    @model_validator(mode="after")
    def _url_or_document(self) -> "SourceIn":
        if not (self.url or self.document):
            raise ValueError("a source needs a url or a document reference")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"source url must start with http:// or https://, got '{self.url}'")
        return self


class SourcePublic(SourceBase):
    """A citation as the API shows it."""
