"""What a consumer sees when checking the code printed on a GI special mark."""

from sqlmodel import SQLModel

from gi_registry.producers.models import AuthorizationStatus, LabelVersion
from gi_registry.sources.models import SourcePublic


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
    status: AuthorizationStatus | None
    authorized: str | None
    announcement_number: str | None
    sources: list[SourcePublic]


class Verification(SQLModel):
    """The answer for one unified social credit code."""

    code: str
    producer: VerifiedProducer
    authorizations: list[VerifiedAuthorization]
    authorized: bool
