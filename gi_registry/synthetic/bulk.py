"""Bulk writes inside one open transaction: DB-API executemany on SQLite, COPY on PostgreSQL.

Both paths take a table as columns (generate.Columns). Each column is converted once, as a whole, to
what the ORM would have stored: on SQLite timestamps get SQLAlchemy's "YYYY-MM-DD HH:MM:SS.ffffff"
form, JSON its json.dumps text and booleans are bound as they are (sqlite3 stores True as 1);
PostgreSQL gets one COPY per table in text format, every value already formatted (what psycopg's
own dumpers write: ISO dates, timestamps with "+00:00", t/f, \\N for NULL, escaped text).
"""

import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, inspect, text
from sqlalchemy.engine import Connection

from gi_registry.synthetic.generate import Columns

CHUNK = 20_000
_NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _kind(table: Table, name: str) -> type | None:
    affinity = table.c[name].type._type_affinity
    return next((kind for kind in (DateTime, Date, JSON, Boolean) if affinity is kind), None)


def _json(values: Sequence, dumps: Callable[[object], str]) -> list:
    # The generator shares one object per distinct value, so each is serialised once.
    done: dict[int, str] = {}
    out = []
    for value in values:
        key = id(value)
        if key not in done:
            done[key] = dumps(value)
        out.append(None if value is None else done[key])
    return out


def _sqlite_column(kind: type | None, values: Sequence, json_serializer: Callable[[object], str]) -> Sequence:
    if kind is DateTime:
        # Every generated timestamp is whole seconds, UTC (what UTCDateTime stores, without a zone).
        return [None if v is None else v + ".000000" for v in values]
    if kind is JSON:
        return _json(values, json_serializer)
    return values


def _copy_column(kind: type | None, values: Sequence) -> Sequence[str]:
    if kind is DateTime:
        return [_NULL if v is None else v + "+00:00" for v in values]
    if kind is JSON:
        values = _json(values, lambda v: json.dumps(v, ensure_ascii=False))
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return [_NULL] * len(values)
    nulls = None in values
    if isinstance(sample, bool):
        if values.count(True) == len(values):  # the synthetic flag
            return ["t"] * len(values)
        return [_NULL if v is None else ("t" if v else "f") for v in values]
    if isinstance(sample, int | float):
        text = repr if isinstance(sample, float) else str
        return [_NULL if v is None else text(v) for v in values] if nulls else list(map(text, values))
    joined = "\x00".join(filter(None, values))
    if any(c in joined for c in "\\\t\n\r"):
        values = [None if v is None else v.translate(_ESCAPES) for v in values]
    return [_NULL if v is None else v for v in values] if nulls else values


def _sqlite_constant(kind: type | None, values: Sequence) -> str | None:
    """The SQL literal of a column holding one value in every row (None when it does not).

    A literal in the INSERT stores exactly what binding the value would (NULL, the integer 1 or 0
    for a boolean, the text), without binding it once per row.
    """
    first = values[0]
    if kind in (DateTime, JSON) or values.count(first) != len(values):
        return None
    if first is None:
        return "NULL"
    if isinstance(first, bool):
        return "1" if first else "0"
    if isinstance(first, str):
        return "'" + first.replace("'", "''") + "'"
    return None


@dataclass
class Encoded:
    """One table's rows as its database takes them, ready to write."""

    table: str
    names: tuple[str, ...]
    count: int
    columns: list[Sequence] = field(default_factory=list)  # SQLite: values as sqlite3 binds them
    literals: list[str | None] = field(default_factory=list)  # SQLite: per column, a constant's SQL
    copy_text: list[bytes] = field(default_factory=list)  # PostgreSQL: COPY text (UTF-8), CHUNK rows a piece
    references: list[tuple[str, str, str, set]] = field(default_factory=list)  # SQLite: to check


def encode(dialect: str, json_serializer: Callable[[object], str], table: Table, columns: Columns) -> Encoded:
    """Convert `columns` for `dialect` ("sqlite" or "postgresql"); needs no connection (runs anywhere)."""
    names, values = columns
    if not names:
        return Encoded(table.name, (), 0)
    count = len(values[0])
    kinds = [_kind(table, name) for name in names]
    if dialect == "postgresql":
        converted = [_copy_column(kind, column) for kind, column in zip(kinds, values, strict=True)]
        rows = map("\t".join, zip(*converted, strict=True))
        pieces = ["\n".join(itertools.islice(rows, CHUNK)).encode() + b"\n" for _ in range(0, count, CHUNK)]
        return Encoded(table.name, names, count, copy_text=pieces)
    literals, bound = [], []
    for kind, column in zip(kinds, values, strict=True):
        literal = _sqlite_constant(kind, column)
        literals.append(literal)
        if literal is None:
            bound.append(_sqlite_column(kind, column, json_serializer))
    return Encoded(
        table.name,
        names,
        count,
        columns=bound,
        literals=literals,
        references=reference_values(table, columns),
    )


def write_encoded(connection: Connection, encoded: Encoded, on_rows: Callable[[int], None]) -> int:
    """Insert an encoded table; calls `on_rows(n)` after each chunk; returns the rows written."""
    if not encoded.count:
        return 0
    quoted = ", ".join(f'"{name}"' for name in encoded.names)
    if encoded.copy_text:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "{encoded.table}" ({quoted}) FROM STDIN') as copy:
            for start, piece in zip(range(0, encoded.count, CHUNK), encoded.copy_text, strict=True):
                copy.write(piece)
                on_rows(min(CHUNK, encoded.count - start))
        return encoded.count
    rows = zip(*encoded.columns, strict=True) if encoded.columns else itertools.repeat((), encoded.count)
    marks = ", ".join("?" if literal is None else literal for literal in encoded.literals)
    cursor = connection.connection.cursor()
    try:
        for start in range(0, encoded.count, CHUNK):
            cursor.executemany(
                f'INSERT INTO "{encoded.table}" ({quoted}) VALUES ({marks})', itertools.islice(rows, CHUNK)
            )
            on_rows(min(CHUNK, encoded.count - start))
    finally:
        cursor.close()
    return encoded.count


def reset_sequence(connection: Connection, table: Table) -> None:
    """After rows were written with explicit ids, make PostgreSQL's next id follow the largest one."""
    if connection.dialect.name != "postgresql" or "id" not in table.c:
        return
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
        )
    )


def drop_plain_indexes(connection: Connection, table: Table) -> list[str]:
    """Drop the table's non-unique indexes, returning the statements that recreate them.

    Building an index once over sorted data is far faster than maintaining it row by row in random
    order; unique indexes stay, since they enforce the schema's constraints during the load.
    """
    recreate = []
    for index in inspect(connection).get_indexes(table.name):
        if index["unique"] or not index["name"] or None in index["column_names"]:
            continue
        columns = ", ".join(f'"{c}"' for c in index["column_names"])
        connection.execute(text(f'DROP INDEX "{index["name"]}"'))
        recreate.append(f'CREATE INDEX "{index["name"]}" ON "{table.name}" ({columns})')
    return recreate


def drop_constraints(connection: Connection, table: Table) -> list[str]:
    """On PostgreSQL, drop the table's foreign keys and unique constraints; returns the statements
    that add them back.

    COPY would otherwise run a trigger per row and foreign key, and insert into each unique index
    in random order; adding them back checks all rows at once (a join per key, a sorted index
    build per unique constraint), in the same transaction, with the same names and definitions.
    Unique constraints some foreign key refers to stay. (SQLite's constraints are part of the table;
    it loads with foreign keys off, see `reference_values`.)
    """
    if connection.dialect.name != "postgresql":
        return []
    constraints = connection.execute(
        text(
            "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.conrelid = CAST(:table AS regclass) AND c.contype IN ('f', 'u') "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' "
            "AND r.conindid = c.conindid AND r.oid <> c.oid AND c.contype = 'u') "
            "ORDER BY c.contype DESC, c.conname"
        ),
        {"table": f'"{table.name}"'},
    ).all()
    for name, _definition in constraints:
        connection.execute(text(f'ALTER TABLE "{table.name}" DROP CONSTRAINT "{name}"'))
    return [
        f'ALTER TABLE "{table.name}" ADD CONSTRAINT "{name}" {definition}' for name, definition in constraints
    ]


def reference_values(table: Table, columns: Columns) -> list[tuple[str, str, str, set]]:
    """The distinct values written into each foreign-key column: (column, referred table, key, values)."""
    names, values = columns
    found = []
    for key in sorted(table.foreign_keys, key=lambda k: k.parent.name):
        if key.parent.name in names:
            distinct = set(values[names.index(key.parent.name)])
            distinct.discard(None)
            found.append(
                (f"{table.name}.{key.parent.name}", key.column.table.name, key.column.name, distinct)
            )
    return found


def missing_references(connection: Connection, references: list[tuple[str, str, str, set]]) -> list[str]:
    """What PRAGMA foreign_key_check would report for these values, one line per broken column.

    Each referred key column is read once, so the check costs a scan per referred table rather than
    a lookup per row and key.
    """
    keys: dict[tuple[str, str], set] = {}
    problems = []
    for column, referred, key, distinct in references:
        if not distinct:
            continue
        if (referred, key) not in keys:
            keys[referred, key] = set(
                connection.exec_driver_sql(f'SELECT "{key}" FROM "{referred}"').scalars()
            )
        missing = distinct - keys[referred, key]
        if missing:
            problems.append(
                f"{column}: {len(missing)} values not in {referred}.{key}, e.g. {sorted(missing)[0]!r}"
            )
    return problems
