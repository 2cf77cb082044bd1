"""Write a GeoJSON FeatureCollection into a SpatiaLite file for pygeoapi's SQLite provider.

Runs under bench/.venv-pygeoapi (its sqlite3 is pysqlite3, which can load mod_spatialite):
    python spatialite_export.py features.geojson out.sqlite table_name
"""

import json
import sqlite3
import sys
from pathlib import Path


def main(source: Path, target: Path, table: str) -> None:
    features = json.loads(source.read_text(encoding="utf-8"))["features"]
    target.unlink(missing_ok=True)
    connection = sqlite3.connect(target)
    connection.enable_load_extension(True)
    connection.load_extension("mod_spatialite")
    connection.execute("SELECT InitSpatialMetadata(1)")
    names = sorted({k for f in features for k in f["properties"]})
    columns = ", ".join(f'"{n}" TEXT' for n in names)
    connection.execute(f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY, id TEXT UNIQUE, {columns})')
    connection.execute(f"SELECT AddGeometryColumn('{table}', 'geometry', 4326, 'GEOMETRY', 'XY')")
    marks = ", ".join("?" for _ in names)
    quoted = ", ".join(f'"{n}"' for n in names)
    geometry = "SetSRID(GeomFromGeoJSON(?), 4326)"
    connection.executemany(
        f'INSERT INTO "{table}" (id, {quoted}, geometry) VALUES (?, {marks}, {geometry})',
        [
            (
                str(f["id"]),
                *(None if f["properties"].get(n) is None else str(f["properties"][n]) for n in names),
                json.dumps(f["geometry"]) if f["geometry"] else None,
            )
            for f in features
        ],
    )
    connection.execute(f"SELECT CreateSpatialIndex('{table}', 'geometry')")
    connection.commit()
    connection.close()
    print(f"wrote {len(features)} features to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
