"""The commit-ordered data version: one row that every committing write transaction moves.

`data_version.n` is incremented by the writing transaction itself, just before it commits (an engine
`commit` hook, so ORM sessions and Core connections alike). On PostgreSQL the row lock taken by that
UPDATE is held until the commit, so versions follow commit order: a reader that sees version v sees
every write whose commit produced a version ≤ v, whatever change-log ids those writes were given.
SQLite has one writer at a time, which orders them the same way.

After the commit the new version is *announced* on a signal readers can check without the database:
for a SQLite file, eight bytes in a memory-mapped file beside it (`<db>.version`), shared by every
process on the machine. The announcement happens before the writing request answers, so a read that
starts after a write's acknowledgement finds the signal moved and reads the row. PostgreSQL has no such
signal by default: its workers may sit on other machines (or a standby, where LISTEN is not allowed, and
a notification would reach another worker only some time after the acknowledgement), so there the version
row is read per request — one primary-key read. A deployment whose every writing process runs on one
machine (the usual single server) names a shared file instead (`GI_VERSION_SIGNAL`), and its hits then
cost no database round trip either.

The hooks are installed on an engine by `install` (called by `create_app` and the CLI), never by import.
"""

import mmap
import re
import struct
import threading
import weakref
from pathlib import Path

from sqlalchemy import BigInteger, Column, event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, SQLModel

# Derived tables rewritten by readers (the layer store catching up): writing them changes no answer.
NOT_DATA = frozenset(
    {"data_version", "layer_feature", "layer_state", "layer_feature_rtree", "alembic_version"}
)
_WROTE = "gi_data_written"  # connection info: this transaction wrote registry data
_ANNOUNCE = "gi_version_to_announce"  # connection info: committed at this version, not yet announced
_SIMPLE_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)',
    re.IGNORECASE,
)
_OTHER_WRITES = ("WITH", "MERGE", "COPY", "TRUNCATE")


class DataVersion(SQLModel, table=True):
    """The one row (id 1) whose `n` every committing write transaction increments."""

    __tablename__ = "data_version"

    id: int = Field(default=1, primary_key=True)
    n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


def read(connection: Connection) -> int:
    """The committed data version as this connection's transaction sees it (a primary-key read)."""
    return int(connection.execute(text("SELECT n FROM data_version WHERE id = 1")).scalar_one())


class Signal:
    """Eight shared bytes holding the last announced version; a changed value means "read the row"."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:  # an in-memory database: one process, so process memory is shared enough
            self._buffer: mmap.mmap | bytearray = bytearray(8)
            return
        with open(path, "a+b") as file:
            if file.seek(0, 2) < 8:
                file.write(b"\0" * (8 - file.tell()))
            file.flush()
            self._buffer = mmap.mmap(file.fileno(), 8)  # MAP_SHARED: other processes see writes at once

    def read(self) -> int:
        return struct.unpack_from("<q", self._buffer, 0)[0]

    def announce(self, version: int) -> None:
        # Each committed version is announced once, so a value never comes back (no lost update can
        # hide a change: any other value than the one a reader saw makes it read the row).
        struct.pack_into("<q", self._buffer, 0, version)


_signals: dict[str, Signal] = {}
_signals_lock = threading.Lock()
# Engines given a signal file of their own by `install` (PostgreSQL with GI_VERSION_SIGNAL).
_named: "weakref.WeakKeyDictionary[Engine, Signal]" = weakref.WeakKeyDictionary()


def _shared(key: str, path: Path | None) -> Signal:
    with _signals_lock:
        if key not in _signals:
            _signals[key] = Signal(path)
        return _signals[key]


def signal_for(engine: Engine) -> Signal | None:
    """The shared signal of this engine's database (one per file per process), or None when there is none.

    SQLite: `<db>.version` beside the file. PostgreSQL: the file named to `install`, if any.
    """
    if engine.dialect.name != "sqlite":
        return _named.get(engine)
    database = engine.url.database or ""
    memory = database in ("", ":memory:")
    key = f"memory:{id(engine)}" if memory else str(Path(database).resolve())
    return _shared(key, None if memory else Path(f"{key}.version"))


def _writes_data(statement: str) -> bool:
    found = _SIMPLE_WRITE.match(statement)
    if found is not None:
        return found.group(1).lower() not in NOT_DATA
    return statement.lstrip()[:8].upper().startswith(_OTHER_WRITES)


def install(engine: Engine, signal_file: Path | None = None) -> None:
    """Make every write transaction on `engine` move the data version and announce it after commit.

    `signal_file` (PostgreSQL only; SQLite always uses its own) is where the new versions are announced
    to the other processes of this machine: name it only when every process that writes the database
    runs here, since a write announced elsewhere is seen here only after `GI_CACHE_RECHECK_MS`.
    """
    if engine.dialect.name != "sqlite" and signal_file is not None:
        named = _shared(str(signal_file.resolve()), signal_file)
        if _named.get(engine, named) is not named or (
            engine not in _named and event.contains(engine, "commit", _bump)
        ):
            # Its hooks announce to the signal it was first installed with: readers of another one
            # would trust a value that never moves.
            raise ValueError("this engine already announces its versions elsewhere; install it once")
        _named[engine] = named
    if event.contains(engine, "commit", _bump):
        return
    signal = signal_for(engine)

    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", _bump)
    event.listen(engine, "rollback", _forget)
    # After the commit: when the connection goes back to the pool (an ORM commit does that before it
    # returns) or starts its next transaction, whichever comes first.
    event.listen(engine, "checkin", lambda _dbapi, record: _announce(signal, record.info))
    event.listen(engine, "begin", lambda connection: _announce(signal, connection.info))


def _note_write(connection: Connection, _cursor, statement: str, *_args) -> None:  # noqa: ANN001
    if not connection.info.get(_WROTE) and _writes_data(statement):
        connection.info[_WROTE] = True


def _bump(connection: Connection) -> None:
    """Increment the version inside the committing transaction (before the DBAPI commit)."""
    if not connection.info.pop(_WROTE, False):
        return
    # The raw cursor: this runs inside SQLAlchemy's commit, which must not be re-entered.
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            cursor.execute("SELECT to_regclass('data_version') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return  # a database not yet migrated this far
        else:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'data_version'")
            if cursor.fetchone() is None:
                return
        cursor.execute("UPDATE data_version SET n = n + 1 WHERE id = 1 RETURNING n")
        row = cursor.fetchone()
    finally:
        cursor.close()
    if row is not None:
        connection.info[_ANNOUNCE] = int(row[0])


def _forget(connection: Connection) -> None:
    # A version committed but not yet announced stays to be announced: announcing too much is harmless.
    connection.info.pop(_WROTE, None)


def _announce(signal: Signal | None, info: dict) -> None:
    version = info.pop(_ANNOUNCE, None)
    if version is not None and signal is not None:
        signal.announce(version)


def current(engine: Engine) -> int:
    """The committed data version (0 when the database has none yet, e.g. before migrating)."""
    try:
        with engine.connect() as connection:
            return read(connection)
    except Exception:  # noqa: BLE001 - no table, or no database: nothing was versioned yet
        return 0


def move_past(engine: Engine, floor: int) -> int:
    """Set the version above both its own value and `floor`, and announce it; the new version.

    After a restore the row holds the backup's version, which answers cached before it may carry with
    other data: moving past the version seen before the restore keeps every version used only once.
    """
    with engine.begin() as connection:
        version = int(
            connection.execute(
                text(
                    "UPDATE data_version SET n = CASE WHEN n > :floor THEN n ELSE :floor END + 1"
                    " WHERE id = 1 RETURNING n"
                ),
                {"floor": floor},
            ).scalar_one()
        )
    signal = signal_for(engine)
    if signal is not None:
        signal.announce(version)
    return version
