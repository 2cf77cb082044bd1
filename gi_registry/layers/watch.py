"""Layers follow writes: a request that commits changes to what a layer shows redraws it before it ends.

Readers would catch up by themselves, but a read replica cannot write: its layers are the rows the
primary refreshed and replicated. So the primary refreshes at write time, from the entity types of
the change-log rows each committed session wrote. Bulk writes (Core inserts) call `redraw_all`.
The session listeners are installed by `install` (from `create_app`), never by import.
"""

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from gi_registry.history.models import ChangeLog
from gi_registry.layers import store
from gi_registry.layers.collections import LAYERS

_PENDING = "layers_pending_types"
_COMMITTED = "layers_committed_types"


def install() -> None:
    """Listen to every session's flushes and commits (once per process, whatever the number of apps)."""
    for name, listener in (
        ("before_flush", _note_logged_types),
        ("after_commit", _commit_types),
        ("after_rollback", _forget_types),
    ):
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)


def _note_logged_types(session: OrmSession, _context, _instances) -> None:  # noqa: ANN001
    types = {row.entity_type for row in session.new if isinstance(row, ChangeLog)}
    if types:
        session.info.setdefault(_PENDING, set()).update(types)


def _commit_types(session: OrmSession) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, set()).update(pending)


def _forget_types(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)


def refresh_after_writes(session: Session) -> None:
    """Refresh the layers that depend on what this session committed (once, at the end of a request)."""
    committed = session.info.pop(_COMMITTED, None)
    if not committed:
        return
    session.rollback()  # a fresh transaction, which sees every commit so far
    for layer in LAYERS.values():
        if committed & layer.owners.keys():
            # Looking back too: this commit may have come after one with a higher change-log id was
            # drawn, and a replica serves exactly what is refreshed here.
            store.ensure_current(session, layer, store.data_version(session), recheck=True)
