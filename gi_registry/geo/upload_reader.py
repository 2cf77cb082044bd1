"""Reading an uploaded boundary layer (GeoJSON, KML/KMZ, zipped Shapefile, GeoPackage) into WGS84 polygons.

The file is recognised by its content, never by its name. Zips are read in place through GDAL's /vsizip/
(nothing is extracted, so member names cannot escape), after their listing is checked for size and count.
"""

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from gi_registry.errors import InvalidUpload, PayloadTooLarge, UnsupportedFileType

CGCS2000 = CRS.from_epsg(4490)
WGS84 = CRS.from_epsg(4326)
MAX_ZIP_MEMBERS = 50
MAX_UNPACKED_RATIO = 20  # a zip may unpack to at most 20× the upload limit (zip-bomb guard)


@dataclass(frozen=True)
class UploadedLayer:
    """The polygons of an upload in WGS84, with what was done to get them there."""

    frame: gpd.GeoDataFrame
    file_format: str
    crs_declared: str | None
    crs_handling: str


def _sniff(content: bytes) -> str:
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if content.startswith(b"PK\x03\x04"):
        return "zip"
    if content.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"{"):
        return "geojson"
    if head.startswith(b"<") and b"<kml" in content[:4096]:
        return "kml"
    raise UnsupportedFileType(
        "The file is not GeoJSON, KML/KMZ, a zipped Shapefile or a GeoPackage (checked by its content)."
    )


def _zip_member(content: bytes, max_bytes: int) -> tuple[str, str]:
    """The format and member path inside a zip: a Shapefile (.shp with its .prj) or a KMZ (.kml)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile:
        raise InvalidUpload("The zip file is damaged and cannot be opened.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InvalidUpload(f"The zip holds {len(members)} files; at most {MAX_ZIP_MEMBERS} are read.")
    if sum(m.file_size for m in members) > max_bytes * MAX_UNPACKED_RATIO:
        raise PayloadTooLarge("The zip unpacks to more than the registry reads; send the layer on its own.")
    names = [m.filename for m in members if not m.is_dir()]
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    kmls = [n for n in names if n.lower().endswith(".kml")]
    if len(shapefiles) > 1:
        listed = ", ".join(shapefiles)
        raise InvalidUpload(f"The zip holds {len(shapefiles)} Shapefiles ({listed}); send one.")
    if shapefiles:
        stem = shapefiles[0][:-4]
        lowered = {n.lower() for n in names}
        missing = [ext for ext in (".shx", ".dbf") if (stem + ext).lower() not in lowered]
        if missing:
            name = PurePosixPath(shapefiles[0]).name
            raise InvalidUpload(f"The Shapefile {name} lacks its {', '.join(missing)}.")
        return "shapefile", shapefiles[0]
    if kmls:
        return "kmz", kmls[0]
    raise InvalidUpload("The zip holds no Shapefile (.shp with .shx and .dbf) and no .kml.")


def _read(content: bytes, file_format: str, member: str | None, layer: str | None) -> gpd.GeoDataFrame:
    suffix = {"geojson": ".geojson", "kml": ".kml", "gpkg": ".gpkg"}.get(file_format, ".zip")
    with tempfile.TemporaryDirectory(prefix="gi-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(content)
        source = f"/vsizip/{path}/{member}" if member else str(path)
        try:
            layers = [name for name, _kind in pyogrio.list_layers(source)]
            if layer is not None and layer not in layers:
                raise InvalidUpload(f"The file has no layer '{layer}'; its layers are: {', '.join(layers)}.")
            if layer is None and len(layers) > 1 and file_format == "gpkg":
                listed = ", ".join(layers)
                raise InvalidUpload(f"The GeoPackage holds {len(layers)} layers ({listed}); say which one.")
            return gpd.read_file(source, layer=layer or layers[0], engine="pyogrio")
        except InvalidUpload:
            raise
        except Exception as exc:  # GDAL's errors vary by driver; the person needs only "unreadable"
            raise InvalidUpload(f"The file could not be read as {file_format}: {str(exc)[:200]}") from None


def _parse_crs(text: str) -> CRS:
    try:
        return CRS.from_user_input(text.strip())
    except CRSError:
        raise InvalidUpload(
            f"'{text}' is not a coordinate system the registry knows; use an EPSG code such as EPSG:4490 "
            "(CGCS2000), EPSG:4326 (WGS84) or EPSG:4547 (CGCS2000 3-degree Gauss-Krüger, 114°E)."
        ) from None


def _to_wgs84(
    frame: gpd.GeoDataFrame, file_crs: CRS | None, declared: CRS | None
) -> tuple[gpd.GeoDataFrame, str]:
    crs = file_crs or declared
    if crs is None:
        raise InvalidUpload(
            "The layer does not say its coordinate system (a Shapefile without its .prj?). Add the .prj, or "
            "declare it with crs, e.g. EPSG:4490 for CGCS2000 or EPSG:4326 for WGS84."
        )
    disagree = file_crs is not None and declared is not None
    if disagree and not file_crs.equals(declared, ignore_axis_order=True):
        raise InvalidUpload(
            f"The file says its coordinates are {file_crs.name} but crs says {declared.name}; "
            "leave crs empty, or fix the file."
        )
    if crs.equals(WGS84, ignore_axis_order=True):
        return frame.set_crs(WGS84, allow_override=True), "WGS84 as declared"
    if crs.is_geographic and crs.datum is not None and crs.datum.name == CGCS2000.datum.name:
        # CGCS2000 and WGS84 differ by centimetres to decimetres in China: treated as the same.
        return frame.set_crs(WGS84, allow_override=True), f"CGCS2000 ({crs.name}), treated as WGS84"
    frame = frame.set_crs(crs, allow_override=True).to_crs(WGS84)
    return frame, f"reprojected from {crs.name} ({crs.to_string()}) to WGS84"


def _polygons_only(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = frame[~frame.geometry.isna() & ~frame.geometry.is_empty].copy()
    if frame.empty:
        raise InvalidUpload("The layer holds no geometry.")
    frame["geometry"] = shapely.force_2d(frame.geometry.values)
    parts = shapely.get_parts(frame.geometry.values)
    kinds = {g.geom_type for g in parts}
    if kinds - {"Polygon", "GeometryCollection"}:
        other = ", ".join(sorted(kinds - {"Polygon"}))
        raise InvalidUpload(f"An area must be polygons; the layer also holds {other}.")
    return frame


def read_layer(
    content: bytes,
    *,
    declared_crs: str | None,
    layer: str | None,
    max_bytes: int,
    max_vertices: int,
    max_features: int,
) -> UploadedLayer:
    """Read an upload's polygons into WGS84, or refuse it with the reason; the bytes are never kept."""
    if not content:
        raise InvalidUpload("The file is empty.")
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"The file is larger than the {max_bytes / 1024 / 1024:g} MB allowed.")
    file_format = _sniff(content)
    member = None
    if file_format == "zip":
        file_format, member = _zip_member(content, max_bytes)
    frame = _read(content, file_format, member, layer)
    if len(frame) > max_features:
        raise InvalidUpload(f"The layer has {len(frame)} features; at most {max_features} are accepted.")
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > max_vertices:
        raise InvalidUpload(
            f"The layer has {vertices:,} vertices; at most {max_vertices:,} are accepted. Simplify it first."
        )
    declared = _parse_crs(declared_crs) if declared_crs else None
    file_crs = frame.crs
    if file_format in ("kml", "kmz"):
        file_crs = WGS84  # KML is WGS84 by definition
    frame = _polygons_only(frame)
    frame, handling = _to_wgs84(frame, file_crs, declared)
    named = (file_crs or declared).name if (file_crs or declared) else None
    return UploadedLayer(frame, file_format, named, handling)
