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


def _sqlite_column(kind: type | None, values: Sequence, connection: Connection) -> Sequence:
    if kind is DateTime:
        # Every generated timestamp is whole seconds, UTC (what UTCDateTime stores, without a zone).
        return [None if v is None else v + ".000000" for v in values]
    if kind is JSON:
        return _json(values, connection.dialect._json_serializer or json.dumps)
    return values


def _copy_column(kind: type | None, values: Sequence) -> list[str]:
    if kind is DateTime:
        return [_NULL if v is None else v + "+00:00" for v in values]
    if kind is JSON:
        values = _json(values, lambda v: json.dumps(v, ensure_ascii=False))
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return [_NULL] * len(values)
    if isinstance(sample, bool):
        return [_NULL if v is None else ("t" if v else "f") for v in values]
    if isinstance(sample, float):
        return [_NULL if v is None else repr(v) for v in values]
    if isinstance(sample, int):
        return [_NULL if v is None else str(v) for v in values]
    joined = "\x00".join(v for v in values if v is not None)
    if any(c in joined for c in "\\\t\n\r"):
        values = [None if v is None else v.translate(_ESCAPES) for v in values]
    return [_NULL if v is None else v for v in values]


def write_columns(
    connection: Connection, table: Table, columns: Columns, on_rows: Callable[[int], None]
) -> int:
    """Insert the `columns` of `table`; calls `on_rows(n)` after each chunk; returns the rows written."""
    names, values = columns
    if not names:
        return 0
    count = len(values[0])
    quoted = ", ".join(f'"{name}"' for name in names)
    kinds = [_kind(table, name) for name in names]
    if connection.dialect.name == "postgresql":
        converted = [_copy_column(kind, column) for kind, column in zip(kinds, values, strict=True)]
        rows = map("\t".join, zip(*converted, strict=True))
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for start in range(0, count, CHUNK):
                size = min(CHUNK, count - start)
                copy.write("\n".join(itertools.islice(rows, size)) + "\n")
                on_rows(size)
        return count
    converted = [_sqlite_column(kind, column, connection) for kind, column in zip(kinds, values, strict=True)]
    rows = zip(*converted, strict=True)
    marks = ", ".join("?" for _ in names)
    cursor = connection.connection.cursor()
    try:
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            cursor.executemany(
                f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', itertools.islice(rows, size)
            )
            on_rows(size)
    finally:
        cursor.close()
    return count


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
