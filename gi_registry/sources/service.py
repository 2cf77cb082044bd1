"""Reading and replacing the citations of a record."""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from pydantic import ValidationError
from sqlmodel import Session, select

from gi_registry.core.errors import InvalidParameter
from gi_registry.sources.models import Citation, EntityType, SourceIn, SourcePublic


def citations_for(
    session: Session, entity_type: EntityType, entity_ids: Iterable[int]
) -> dict[int, list[SourcePublic]]:
    """Citations of many records of one type in one query, keyed by record id, in data order."""
    ids = list(set(entity_ids))
    grouped: dict[int, list[SourcePublic]] = defaultdict(list)
    if not ids:
        return grouped
    rows = session.exec(
        select(Citation)
        .where(Citation.entity_type == entity_type, Citation.entity_id.in_(ids))
        .order_by(Citation.entity_id, Citation.position)
    ).all()
    for row in rows:
        grouped[row.entity_id].append(SourcePublic.model_validate(row))
    return grouped


def as_comparable(sources: Sequence[SourceIn | SourcePublic]) -> list[dict]:
    """Sources as plain dicts, for comparing what is stored with what is asked and for history."""
    return [SourcePublic.model_validate(s, from_attributes=True).model_dump(mode="json") for s in sources]


def replace_citations(
    session: Session, entity_type: EntityType, entity_id: int, sources: Sequence[SourceIn]
) -> None:
    """Make `sources` the citations of one record (the caller records the change in history)."""
    for old in session.exec(
        select(Citation).where(Citation.entity_type == entity_type, Citation.entity_id == entity_id)
    ):
        session.delete(old)
    for position, source in enumerate(sources):
        session.add(
            Citation(
                entity_type=entity_type,
                entity_id=entity_id,
                position=position,
                **source.model_dump(exclude={"entity_type", "entity_id"}),
            )
        )


def add_citations(
    session: Session, entity_type: EntityType, entity_id: int, sources: Sequence[SourceIn]
) -> list[dict]:
    """Append citations after the existing ones; returns the full list before the change (for history)."""
    existing = citations_for(session, entity_type, [entity_id])[entity_id]
    for position, source in enumerate(sources, start=len(existing)):
        session.add(
            Citation(entity_type=entity_type, entity_id=entity_id, position=position, **source.model_dump())
        )
    return as_comparable(existing)


def source_from_form(
    url: str | None, document: str | None, publisher: str | None, published: str | None, confidence: str
) -> SourceIn:
    """A boundary upload's source from its form fields, or a 422 naming what is wrong with it.

    Here, not in a routes module, because the API and the officials' page both read the same fields.
    """
    try:
        return SourceIn(
            url=url or None,
            document=document or None,
            publisher=publisher or None,
            published=published or None,
            confidence=confidence,
            fields=["geometry"],
        )
    except ValidationError as error:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        raise InvalidParameter(f"The source of the boundary is incomplete: {problems}.") from None
