"""Officials' new records and edits: a reason, sources, and history for each change.

These functions serve every record kind, so every change is validated, cited and logged the same way.
"""

from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from gi_registry.core.errors import Conflict, InvalidParameter
from gi_registry.history.service import ChangeSet, apply_changes
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType, SourceIn


def edit_record(
    session: Session,
    *,
    row: SQLModel,
    entity_type: EntityType,
    update: BaseModel,
    actor: str,
    derived: dict[str, Any] | None = None,
) -> list[str]:
    """Apply the fields the request sets (null clears a value to unknown), append its sources, commit once."""
    values = update.model_dump(exclude_unset=True, exclude={"reason", "sources"})
    if not values:
        raise InvalidParameter(
            "The request changes nothing: send at least one field besides reason and sources."
        )
    columns = row.__table__.columns
    for name, value in values.items():
        if value is None and not columns[name].nullable:
            raise InvalidParameter(f"{name} cannot be unknown (null) for this record.")
    changes = ChangeSet(actor=actor, reason=update.reason)
    try:
        changed = apply_changes(session, changes, entity_type.value, row, values | (derived or {}))
        sources: list[SourceIn] = update.sources
        before = sources_service.add_citations(session, entity_type, row.id, sources)
        changes.changed(
            session,
            entity_type.value,
            row.id,
            "sources",
            before,
            before + sources_service.as_comparable(sources),
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "The change would duplicate another record's unique value (a name or a number)."
        ) from None
    session.refresh(row)
    return changed


def add_record(
    session: Session,
    *,
    row: SQLModel,
    entity_type: EntityType,
    sources: list[SourceIn],
    changes: ChangeSet,
    not_logged: frozenset[str] = frozenset(),
) -> None:
    """Insert a new record with its citations, logging its creation and its sources (the caller commits).

    `not_logged` names fields too large or binary for the change log (a polygon), stored only in the row.
    """
    session.add(row)
    session.flush()
    changes.created(session, entity_type.value, row.id, row.model_dump(mode="json", exclude=set(not_logged)))
    sources_service.replace_citations(session, entity_type, row.id, sources)
    changes.changed(session, entity_type.value, row.id, "sources", [], sources_service.as_comparable(sources))
