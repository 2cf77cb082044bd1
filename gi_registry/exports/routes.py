"""Download any public table as CSV, GeoJSON, GeoPackage or XLSX."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from gi_registry.db import SessionDep
from gi_registry.downloads import attachment
from gi_registry.errors import NotFound
from gi_registry.exports.tables import TABLES
from gi_registry.exports.writers import MEDIA_TYPES, ExportFormat, write

router = APIRouter(tags=["exports"])


@router.get("/exports/{table}", response_class=Response, responses={404: {}, 422: {}})
def export_table(
    session: SessionDep,
    table: Annotated[str, Path(description=f"One of: {', '.join(TABLES)}")],
    f: Annotated[
        ExportFormat, Query(description="csv (UTF-8 with BOM), geojson, gpkg or xlsx")
    ] = ExportFormat.csv,
) -> Response:
    """A whole public table, as a file to download."""
    if table not in TABLES:
        raise NotFound(f"No table '{table}' to export; choose one of: {', '.join(TABLES)}.")
    found = TABLES[table]
    body = write(found.features(session), table, found.spatial, f)
    filename = f"gi-registry-{table}-{date.today().isoformat()}.{f.value}"
    return attachment(body, filename, MEDIA_TYPES[f])
