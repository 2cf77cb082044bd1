"""Reading standards and the GI products they govern."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func
from sqlmodel import Session, select

from gi_registry.errors import NotFound
from gi_registry.history import service as history_service
from gi_registry.indications.models import Indication
from gi_registry.pagination import Page
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType
from gi_registry.standards.models import (
    GovernedIndication,
    Standard,
    StandardIndication,
    StandardKind,
    StandardPublic,
    StandardStatus,
)


@dataclass(frozen=True)
class StandardFilter:
    """Filters of the standards list."""

    kind: StandardKind | None = None
    status: StandardStatus | None = None
    indication_id: int | None = None
    modified_since: datetime | None = None


def _filtered(query, filters: StandardFilter):  # noqa: ANN001, ANN202 - SQLAlchemy select in, select out
    if filters.kind is not None:
        query = query.where(Standard.kind == filters.kind)
    if filters.status is not None:
        query = query.where(Standard.status == filters.status)
    if filters.indication_id is not None:
        query = query.where(
            exists().where(
                StandardIndication.standard_id == Standard.id,
                StandardIndication.indication_id == filters.indication_id,
            )
        )
    if filters.modified_since is not None:
        query = query.where(
            Standard.id.in_(history_service.ids_changed_since("standard", filters.modified_since))
        )
    return query


def list_standards(
    session: Session, *, filters: StandardFilter, limit: int, offset: int
) -> Page[StandardPublic]:
    """A page of standards matching `filters`, with the total count."""
    count = session.exec(_filtered(select(func.count(Standard.id)), filters)).one()
    rows = session.exec(
        _filtered(select(Standard), filters).order_by(Standard.id).offset(offset).limit(limit)
    )
    return Page(data=to_public(session, list(rows.all())), count=count)


def get_standard(session: Session, standard_id: int) -> Standard:
    """A standard by id, or NotFound."""
    standard = session.get(Standard, standard_id)
    if standard is None:
        raise NotFound(f"No standard with id {standard_id}.")
    return standard


def to_public(session: Session, standards: list[Standard]) -> list[StandardPublic]:
    """Public views of standards with the products they govern and their sources."""
    ids = [s.id for s in standards]
    governed: dict[int, list[GovernedIndication]] = defaultdict(list)
    if ids:
        for standard_id, indication in session.exec(
            select(StandardIndication.standard_id, Indication)
            .join(Indication, Indication.id == StandardIndication.indication_id)
            .where(StandardIndication.standard_id.in_(ids))
            .order_by(Indication.id)
        ):
            governed[standard_id].append(GovernedIndication.model_validate(indication, from_attributes=True))
    sources = sources_service.citations_for(session, EntityType.standard, ids)
    return [
        StandardPublic(
            **s.model_dump(include=set(StandardPublic.model_fields) - {"indications", "sources"}),
            indications=governed[s.id],
            sources=sources[s.id],
        )
        for s in standards
    ]
