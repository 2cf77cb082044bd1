"""Download any public table as CSV, GeoJSON, GeoPackage or XLSX."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from gi_registry.db import SessionDep
from gi_registry.downloads import attachment
from gi_registry.errors import NotFound
from gi_registry.etags import REVALIDATE, not_modified
from gi_registry.exports.tables import TABLES
from gi_registry.exports.writers import MEDIA_TYPES, ExportFormat, write
from gi_registry.layers import store
from gi_registry.layers.definitions import LAYERS

router = APIRouter(tags=["exports"])


@router.get("/exports/{table}", response_class=Response, responses={404: {}, 422: {}})
def export_table(
    request: Request,
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
    filename = f"gi-registry-{table}-{date.today().isoformat()}.{f.value}"
    if found.layer is not None and f == ExportFormat.geojson:
        return _whole_layer(request, session, found.layer, filename)
    body = write(found.features(session), table, found.spatial, f)
    return attachment(body, filename, MEDIA_TYPES[f])


def _whole_layer(request: Request, session: SessionDep, layer_id: str, filename: str) -> Response:
    """A stored layer as GeoJSON: its features' bytes joined, with an ETag of the data version."""
    version = store.data_version(session)
    etag = f'W/"{version}-{layer_id}"'
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    # The last one built per layer, kept: a whole layer is megabytes, one per layer is enough.
    kept: dict[str, tuple[int, bytes]] | None = getattr(request.app.state, "whole_layers", None)
    if kept is None:
        kept = request.app.state.whole_layers = {}
    built_at, body = kept.get(layer_id, (None, b""))
    if built_at != version:
        layer = LAYERS[layer_id]
        store.ensure_current(session, layer, version)
        body = store.collection_bytes(store.features(session, layer, {}, include_synthetic=False))
        kept[layer_id] = (version, body)
    answer = attachment(body, filename, MEDIA_TYPES[ExportFormat.geojson])
    answer.headers.update({"ETag": etag, **REVALIDATE})
    return answer
