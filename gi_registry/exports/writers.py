"""One writer per format. CSV carries a BOM so Excel opens Chinese text correctly."""

import io
import json
import tempfile
from enum import StrEnum
from pathlib import Path

import geopandas as gpd
from openpyxl import Workbook
from shapely.geometry import shape

from gi_registry.core.spreadsheets import append_row, csv_bytes
from gi_registry.exports.dictionary import COLUMNS, describe


class ExportFormat(StrEnum):
    """Formats offered, by their usual extension."""

    csv = "csv"
    geojson = "geojson"
    gpkg = "gpkg"
    xlsx = "xlsx"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.geojson: "application/geo+json",
    ExportFormat.gpkg: "application/geopackage+sqlite3",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def columns(features: list[dict], table: str | None = None) -> list[str]:
    """Property names in first-seen order; an empty table still gets its documented columns."""
    if not features and table in COLUMNS:
        return [name for name in COLUMNS[table] if name != "id"]
    names: dict[str, None] = {}
    for feature in features:
        names.update(dict.fromkeys(feature["properties"]))
    return [name for name in names if name != "id"]  # the feature id is always the first column


def _cell(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value


def to_csv(features: list[dict], table: str, spatial: bool) -> bytes:
    """UTF-8 CSV with a BOM; spatial tables get a geometry_wkt column; no cell can be read as a formula."""
    names = columns(features, table)
    rows: list[list[object]] = [["id", *names, *(["geometry_wkt"] if spatial else [])]]
    for feature in features:
        row = [feature["id"], *(_cell(feature["properties"].get(n)) for n in names)]
        if spatial:
            row.append(shape(feature["geometry"]).wkt if feature["geometry"] else "")
        rows.append(row)
    return csv_bytes(rows)


def to_geojson(features: list[dict]) -> bytes:
    """An RFC 7946 FeatureCollection (WGS84, no crs member)."""
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def _frame(features: list[dict], table: str) -> gpd.GeoDataFrame:
    names = ["id", *columns(features, table)]
    records = [
        {"id": str(f["id"]), **{n: _cell(f["properties"].get(n)) for n in names[1:]}} for f in features
    ]
    geometries = [shape(f["geometry"]) if f["geometry"] else None for f in features]
    frame = gpd.GeoDataFrame(records, columns=names, geometry=geometries, crs="EPSG:4326")
    return frame.astype(dict.fromkeys(names, "object")) if not features else frame


def to_gpkg(features: list[dict], layer: str) -> bytes:
    """A GeoPackage with one layer, written by geopandas/pyogrio."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{layer}.gpkg"
        _frame(features, layer).to_file(path, layer=layer, driver="GPKG")
        return path.read_bytes()


def to_xlsx(features: list[dict], table: str, spatial: bool) -> bytes:
    """A workbook: the table, then a sheet describing every column; text is never stored as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table[:31]
    names = columns(features, table)
    header = ["id", *names, *(["geometry_wkt"] if spatial else [])]
    append_row(sheet, header)
    for feature in features:
        row = [str(feature["id"]), *(_cell(feature["properties"].get(n)) for n in names)]
        if spatial:
            # Excel cells hold at most 32,767 characters; long outlines are left to GeoJSON / GeoPackage.
            wkt = shape(feature["geometry"]).wkt if feature["geometry"] else ""
            row.append(wkt if len(wkt) < 32_000 else "(geometry too long for a cell: see the GeoJSON export)")
        append_row(sheet, row)
    dictionary = workbook.create_sheet("dictionary")
    append_row(dictionary, ["column", "meaning"])
    for name in header:
        append_row(dictionary, [name, describe(table, name) or ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(features: list[dict], table: str, spatial: bool, fmt: ExportFormat) -> bytes:
    """The table in `fmt`."""
    if fmt == ExportFormat.csv:
        return to_csv(features, table, spatial)
    if fmt == ExportFormat.geojson:
        return to_geojson(features)
    if fmt == ExportFormat.gpkg:
        return to_gpkg(features, table)
    return to_xlsx(features, table, spatial)
