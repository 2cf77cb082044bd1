"""Write a GeoJSON FeatureCollection into a PostGIS table for tipg, as spatialite_export.py does for pygeoapi.

Runs under the project's venv (psycopg); the schema is dropped and created again:
    python postgis_export.py features.geojson "host=/socket/dir port=5432 dbname=bench user=postgres" \
        schema table

The table has the feature id as a text primary key (tipg uses it for /items/{id}), one column per
property (typed when every value agrees, text otherwise) and geom geometry(Geometry, 4326) with a
GIST index; null geometries stay null.
"""

import json
import sys
from pathlib import Path

import psycopg
from psycopg import sql

KINDS = {bool: "boolean", int: "bigint", float: "double precision", str: "text"}


def _column_type(values: list) -> str:
    """The one PostgreSQL type every non-null value fits; text when they disagree."""
    kinds = {type(v) for v in values if v is not None}
    if kinds == {int, float}:
        return "double precision"
    if len(kinds) == 1 and next(iter(kinds)) in KINDS:
        return KINDS[next(iter(kinds))]
    if kinds and kinds <= {dict, list}:
        return "jsonb"
    return "text"


def _value(value: object, column_type: str) -> object:
    if value is None:
        return None
    if column_type == "jsonb":
        return json.dumps(value, ensure_ascii=False)
    if column_type == "text" and not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return value


def export(features: list[dict], conninfo: str, schema: str, table: str) -> int:
    """(Re)create schema.table holding `features`; returns how many rows it has."""
    names = sorted({k for f in features for k in f["properties"]} - {"id", "geom"})
    types = {n: _column_type([f["properties"].get(n) for f in features]) for n in names}
    target = sql.Identifier(schema, table)
    columns = sql.SQL(", ").join(
        [
            sql.SQL("id text PRIMARY KEY"),
            *(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(types[n])) for n in names),
            sql.SQL("geom geometry(Geometry, 4326)"),
        ]
    )
    with psycopg.connect(conninfo, autocommit=False) as connection:
        connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        connection.execute(sql.SQL("CREATE TABLE {} ({})").format(target, columns))
        insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            target,
            sql.SQL(", ").join(sql.Identifier(n) for n in ["id", *names, "geom"]),
            sql.SQL(", ").join(
                [
                    *(sql.Placeholder() for _ in ["id", *names]),
                    sql.SQL("ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)"),
                ]
            ),
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                insert,
                [
                    (
                        str(f["id"]),
                        *(_value(f["properties"].get(n), types[n]) for n in names),
                        json.dumps(f["geometry"]) if f["geometry"] else None,
                    )
                    for f in features
                ],
            )
        connection.execute(
            sql.SQL("CREATE INDEX {} ON {} USING gist (geom)").format(
                sql.Identifier(f"{table}_geom_idx"), target
            )
        )
        connection.commit()
        connection.execute(sql.SQL("ANALYZE {}").format(target))
        connection.commit()
        return connection.execute(sql.SQL("SELECT count(*) FROM {}").format(target)).fetchone()[0]


def main(source: Path, conninfo: str, schema: str, table: str) -> None:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    count = export(features, conninfo, schema, table)
    print(f"wrote {count} features to {schema}.{table}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
