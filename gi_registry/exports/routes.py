"""Download any public table as CSV, GeoJSON, GeoPackage or XLSX."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from gi_registry.core import cache
from gi_registry.core.db import SessionDep
from gi_registry.core.downloads import attachment
from gi_registry.core.errors import NotFound
from gi_registry.exports import tables
from gi_registry.exports.writers import MEDIA_TYPES, ExportFormat, write
from gi_registry.layers import store
from gi_registry.layers.collections import EXPORTED, LAYERS

router = APIRouter(tags=["exports"])


@router.get("/exports/{table}", response_class=Response, responses={404: {}, 422: {}})
def export_table(
    request: Request,
    session: SessionDep,
    table: Annotated[str, Path(description=f"One of: {', '.join(EXPORTED)}")],
    f: Annotated[
        ExportFormat, Query(description="csv (UTF-8 with BOM), geojson, gpkg or xlsx")
    ] = ExportFormat.csv,
) -> Response:
    """A whole public table, as a file to download."""
    found = EXPORTED.get(table)
    if found is None or f.value not in found.export_formats:
        raise NotFound(f"No table '{table}' to export; choose one of: {', '.join(EXPORTED)}.")
    filename = f"gi-registry-{table}-{date.today().isoformat()}.{f.value}"
    if found.layer is not None and found.table_row is None and f == ExportFormat.geojson:
        return _whole_layer(request, session, found.layer.id, filename)
    body = write(tables.features(session, found), table, found.spatial, f)
    return attachment(body, filename, MEDIA_TYPES[f])


def _whole_layer(request: Request, session: SessionDep, layer_id: str, filename: str) -> Response:
    """A stored layer as GeoJSON: its features' bytes joined, from the app's cache, with an ETag."""

    def build(_version: int) -> bytes:
        layer = LAYERS[layer_id]
        # Looking back over the latest changes too: one may have committed after a higher id was drawn.
        store.ensure_current(session, layer, store.data_version(session), recheck=True)
        return store.collection_bytes(store.features(session, layer, {}, include_synthetic=False))

    entry = cache.of(request).get(session, ("export", layer_id), build)
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return cache.respond(request, entry, MEDIA_TYPES[ExportFormat.geojson], disposition)
