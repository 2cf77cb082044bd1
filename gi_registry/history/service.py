"""Writing the change log inside the caller's transaction."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Integer, String, and_, cast, column, not_, table
from sqlmodel import Session, func, select

from gi_registry.history.models import ChangeLog

# The tables whose rows can be demo data (a `synthetic` flag), by the entity type their change-log rows use.
_SYNTHETIC_TABLES = {
    name: table(name, column("id", Integer), column("synthetic", Boolean))
    for name in ("indication", "protection", "standard", "producer", "producer_link")
}


@dataclass
class ChangeSet:
    """The actor, reason and id shared by every row one use case writes."""

    actor: str
    reason: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def created(
        self, session: Session, entity_type: str, entity_id: object, snapshot: dict[str, Any]
    ) -> None:
        """Log a new record with the values it was created with."""
        session.add(self._row(entity_type, entity_id, None, None, snapshot))

    def changed(
        self, session: Session, entity_type: str, entity_id: object, field_name: str, old: Any, new: Any
    ) -> None:
        """Log one field's change from `old` to `new`."""
        session.add(self._row(entity_type, entity_id, field_name, old, new))

    def deleted(
        self, session: Session, entity_type: str, entity_id: object, snapshot: dict[str, Any]
    ) -> None:
        """Log a removed record with the values it had."""
        session.add(self._row(entity_type, entity_id, None, snapshot, None))

    def _row(
        self, entity_type: str, entity_id: object, field_name: str | None, old: Any, new: Any
    ) -> ChangeLog:
        return ChangeLog(
            change_set=self.id,
            actor=self.actor,
            reason=self.reason,
            entity_type=entity_type,
            entity_id=str(entity_id),
            field=field_name,
            old_value=old,
            new_value=new,
        )


def data_version(session: Session) -> int:
    """The newest change-log id: every committed write moves it, so it versions the whole registry
    (an index lookup, not a scan)."""
    return session.exec(select(func.max(ChangeLog.id))).one() or 0


def count_changes(session: Session) -> int:
    """Number of rows in the change log."""
    return session.exec(select(func.count()).select_from(ChangeLog)).one()


def ids_changed_since(entity_type: str, since: datetime):  # noqa: ANN201 - a SQL subquery
    """A subquery of the integer ids of records of `entity_type` changed at or after `since`."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return select(cast(ChangeLog.entity_id, Integer)).where(
        ChangeLog.entity_type == entity_type, ChangeLog.at >= since
    )


def not_about_synthetic_records() -> ColumnElement[bool]:
    """A condition leaving out change-log rows about records marked synthetic (demo data).

    Public answers show demo data only in demo mode; the change log keeps the entity's id as text, so
    each table that can hold synthetic records is asked for its synthetic ids. The tables are named as
    the change log names them (entity type = table name), not imported as models: the change log sits
    below the domains that write it, and importing their models would make every domain a cycle.
    """
    return and_(
        *(
            not_(
                and_(
                    ChangeLog.entity_type == name,
                    ChangeLog.entity_id.in_(
                        select(cast(model.c.id, String)).where(model.c.synthetic.is_(True))
                    ),
                )
            )
            for name, model in _SYNTHETIC_TABLES.items()
        )
    )


def recent_changes(
    session: Session,
    entity_types: set[str],
    *,
    since: datetime | None,
    limit: int,
    include_synthetic: bool = False,
) -> list[ChangeLog]:
    """The newest change-log rows of these entity types, newest first (demo records only if asked)."""
    query = select(ChangeLog).where(ChangeLog.entity_type.in_(entity_types))
    if not include_synthetic:
        query = query.where(not_about_synthetic_records())
    if since is not None:
        query = query.where(ChangeLog.at >= (since if since.tzinfo else since.replace(tzinfo=UTC)))
    return list(session.exec(query.order_by(ChangeLog.id.desc()).limit(limit)).all())


def record_history(
    session: Session, entity_type: str, entity_id: int | str, *, include_synthetic: bool = True
) -> list[ChangeLog]:
    """Every change to one record, oldest first; without `include_synthetic`, none about a demo record
    (which then has no public history, the answer of a record with none)."""
    query = select(ChangeLog).where(
        ChangeLog.entity_type == entity_type, ChangeLog.entity_id == str(entity_id)
    )
    if not include_synthetic:
        query = query.where(not_about_synthetic_records())
    return list(session.exec(query.order_by(ChangeLog.id)).all())


def _plain(value: Any) -> Any:
    return getattr(value, "value", value.isoformat() if hasattr(value, "isoformat") else value)


def apply_changes(
    session: Session, changes: ChangeSet, entity_type: str, row: Any, values: dict[str, Any]
) -> list[str]:
    """Set the fields that differ, logging each old → new; returns the names of the fields changed."""
    changed = []
    for name, new in values.items():
        old = getattr(row, name)
        if _plain(old) != _plain(new):
            changes.changed(session, entity_type, row.id, name, _plain(old), _plain(new))
            setattr(row, name, new)
            changed.append(name)
    session.add(row)
    return changed


def public_actor(actor: str) -> str:
    """Who made a change, as the public sees it: the account's role, never its username.

    Accounts are logged as "role:username" (auth.models.actor_of); the public feeds and history show
    "official" or "producer", so they do not hand out the usernames that sign-in attacks need. Other
    actors ("cli", "public", the loader) name no account and are shown as they are.
    """
    role, separator, _username = actor.partition(":")
    return role if separator else actor
