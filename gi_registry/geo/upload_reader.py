"""Reading an uploaded boundary layer (GeoJSON, KML/KMZ, zipped Shapefile, GeoPackage) into WGS84 polygons.

The file is recognised by its content, never by its name. Every budget is enforced while reading, before
GDAL sees the bytes: a zip's members are inflated by Python with a counter of the real bytes (the sizes an
archive declares are never trusted) into files with names of our own (so member names cannot escape), a
KML's placemarks and a Shapefile's records and points are counted as they are read, a GeoPackage must be
plain tables (a view can generate rows without end), and a GeoJSON may not name a URL GDAL would fetch.
GDAL then reads at most one feature more than allowed. All of this runs in a child process with memory
and time limits (gi_registry.core.sandbox), called from gi_registry.geo.uploads.
"""

import io
import json
import re
import sqlite3
import struct
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from gi_registry.core.errors import InvalidUpload, PayloadTooLarge, UnsupportedFileType

CGCS2000 = CRS.from_epsg(4490)
WGS84 = CRS.from_epsg(4326)
MAX_ZIP_MEMBERS = 50
# Everything read from a zip may unpack to at most 5× the upload limit (100 MB by default), and the KML of
# a KMZ to the upload limit itself, like a plain KML: GDAL holds a KML whole in memory, ~7× its size.
MAX_UNPACKED_RATIO = 5
CHUNK = 1 << 16
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_PLACEMARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Placemark[\s>/]")
# GDAL follows a GeoJSON "crs" of type "link" (and a name that is a URL): only plain names are read.
_CRS_KEY = re.compile(r'"(?:c|\\u0063)(?:r|\\u0072)(?:s|\\u0073)"\s*:', re.IGNORECASE)
MAX_CRS_MEMBERS = 10  # a GeoJSON has one; thousands would make checking them the attack
_CRS_NAME = re.compile(r"(?:urn:ogc:def:crs:[A-Za-z0-9.:-]+|(?:EPSG|CRS):[0-9A-Za-z]+)", re.IGNORECASE)
# Triggers GDAL and the GeoPackage standard create (spatial index, feature counts); they fire only on writes.
_STANDARD_TRIGGER = re.compile(r"(rtree_.+_(insert|update\d*|delete)|gpkg_.+|trigger_\w+_feature_count_.+)")
GPKG_CHECK_SECONDS = 5.0
GPKG_APPLICATION_IDS = {0x47504B47, 0x47503130, 0x47503131}  # "GPKG" (1.2 on), "GP10", "GP11"
# Network off for GDAL, should the child's network namespace be unavailable (see gi_registry.core.sandbox).
NO_NETWORK = {
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",  # the discard port: any fetch GDAL still tried would fail here
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".nothing-is-fetched",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
}


@dataclass(frozen=True)
class UploadedLayer:
    """The polygons of an upload in WGS84, with what was done to get them there."""

    frame: gpd.GeoDataFrame
    file_format: str
    crs_declared: str | None
    crs_handling: str
    repairs: tuple[str | None, ...] = ()  # per feature, once repaired (gi_registry.geo.uploads)


@dataclass(frozen=True)
class Budgets:
    """How much one upload may hold, enforced while reading."""

    max_bytes: int
    max_vertices: int
    max_features: int


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


def _too_many_features(budgets: Budgets) -> InvalidUpload:
    return InvalidUpload(
        f"The layer has more than {budgets.max_features:,} features (counted while reading); at most "
        f"{budgets.max_features:,} are accepted. 图层要素超过{budgets.max_features:,}个，未予读取。"
    )


def _too_many_vertices(budgets: Budgets, counted: str) -> InvalidUpload:
    return InvalidUpload(
        f"The layer has {counted} vertices; at most {budgets.max_vertices:,} are accepted. Simplify it "
        f"first. 图层顶点超过{budgets.max_vertices:,}个，请先简化。"
    )


class _PlacemarkCounter:
    """Counts KML placemarks across chunks, refusing the layer once there are more than allowed."""

    def __init__(self, budgets: Budgets) -> None:
        self.budgets, self.count, self.tail = budgets, 0, b""

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        # Tags starting before `cut` are counted now, the rest with the next chunk: a tag split between
        # two chunks starts in the 64 bytes kept.
        cut = max(len(data) - 64, 0)
        self.count += sum(1 for match in _PLACEMARK.finditer(data) if match.start() < cut)
        self.tail = data[cut:]
        if self.count > self.budgets.max_features:
            raise _too_many_features(self.budgets)

    def close(self) -> None:
        self.count += len(_PLACEMARK.findall(self.tail))
        self.tail = b""
        if self.count > self.budgets.max_features:
            raise _too_many_features(self.budgets)


def _choose_members(names: list[str]) -> tuple[str, list[str]]:
    """The format inside a zip and the members to read: a Shapefile's parts, or a KMZ's .kml."""
    shapefiles = [n for n in names if n.lower().endswith(".shp")]
    kmls = [n for n in names if n.lower().endswith(".kml")]
    if len(shapefiles) > 1:
        listed = ", ".join(shapefiles)
        raise InvalidUpload(f"The zip holds {len(shapefiles)} Shapefiles ({listed}); send one.")
    if shapefiles:
        stem = shapefiles[0][:-4].lower()
        parts = [n for n in names if n[:-4].lower() == stem and n[-4:].lower() in SHAPEFILE_PARTS]
        found = {n[-4:].lower() for n in parts}
        missing = [ext for ext in (".shx", ".dbf") if ext not in found]
        if missing:
            name = PurePosixPath(shapefiles[0]).name
            raise InvalidUpload(f"The Shapefile {name} lacks its {', '.join(missing)}.")
        return "shapefile", parts
    if kmls:
        return "kmz", [kmls[0]]
    raise InvalidUpload("The zip holds no Shapefile (.shp with .shx and .dbf) and no .kml.")


def _unzip(content: bytes, folder: Path, budgets: Budgets) -> tuple[str, Path]:
    """Inflate the members GDAL needs into `folder`, counting the real bytes; the format and the file."""
    total_limit = budgets.max_bytes * MAX_UNPACKED_RATIO
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InvalidUpload("The zip file is damaged and cannot be opened.") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise InvalidUpload(f"The zip holds {len(members)} files; at most {MAX_ZIP_MEMBERS} are read.")
    file_format, chosen = _choose_members([m.filename for m in members if not m.is_dir()])
    written, target = 0, folder / "doc.kml"
    for name in chosen:
        is_kml = name.lower().endswith(".kml")
        # Our own names: a member's path never reaches the disk.
        path = folder / ("doc.kml" if is_kml else "layer" + name[-4:].lower())
        if not is_kml and name.lower().endswith(".shp"):
            target = path
        limit = budgets.max_bytes if is_kml else total_limit
        counter = _PlacemarkCounter(budgets) if is_kml else None
        member_bytes = 0
        try:
            with archive.open(name) as source, path.open("wb") as sink:
                while chunk := source.read(CHUNK):
                    member_bytes += len(chunk)
                    written += len(chunk)
                    if member_bytes > limit or written > total_limit:
                        raise PayloadTooLarge(
                            f"The zip unpacks to more than the {min(limit, total_limit) / 2**20:g} MB the "
                            "registry reads (counted while unpacking); send the layer on its own. "
                            "压缩包解压后超过上限，未予读取。"
                        )
                    if counter:
                        counter.feed(chunk)
                    sink.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError, ValueError) as exc:
            # A bad CRC, encryption, an unknown compression method: nothing the person can fix but the file.
            kind = type(exc).__name__
            raise InvalidUpload(f"The zip file is damaged and cannot be read ({kind}).") from None
        if counter:
            counter.close()
    return file_format, target


def _check_shapefile(path: Path, budgets: Budgets) -> None:
    """Count the .shp's records and points from its record headers, stopping past either limit."""
    records, points = 0, 0
    with path.open("rb") as shp:
        header = shp.read(100)
        if len(header) < 100:
            raise InvalidUpload("The Shapefile's .shp is damaged (shorter than its header).")
        while record := shp.read(8):
            if len(record) < 8:
                break
            _number, words = struct.unpack(">ii", record)
            content = shp.read(min(max(words, 0) * 2, 44))
            records += 1
            if records > budgets.max_features:
                raise _too_many_features(budgets)
            if len(content) >= 44 and struct.unpack("<i", content[:4])[0] in (3, 5, 13, 15, 23, 25, 31):
                points += max(struct.unpack("<i", content[40:44])[0], 0)
                if points > budgets.max_vertices:
                    raise _too_many_vertices(budgets, f"more than {budgets.max_vertices:,}")
            shp.seek(max(words, 0) * 2 - len(content), 1)


def _check_geopackage(path: Path) -> None:
    """Only plain tables may be read: no views, no triggers of our own making, no generated columns.

    A view can generate rows without end (a recursive CTE) and a generated column can compute anything,
    so the file is inspected by SQLite itself, read-only and under a time bound, before GDAL opens it.
    """
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    deadline = time.monotonic() + GPKG_CHECK_SECONDS
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise InvalidUpload("The GeoPackage is damaged and cannot be opened.") from None
    connection.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    try:
        if connection.execute("PRAGMA application_id").fetchone()[0] not in GPKG_APPLICATION_IDS:
            raise InvalidUpload("The SQLite file is not a GeoPackage (its application_id is not GPKG).")
        schema = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
        for kind, name, sql in schema:
            if kind == "view":
                raise InvalidUpload(
                    f"The GeoPackage holds a view ({name[:60]}); only plain tables are read. Save the layer "
                    "as a table (QGIS: Export ▸ Save Features As). GeoPackage中含视图，只读取普通表。"
                )
            if kind == "trigger" and not _STANDARD_TRIGGER.fullmatch(name):
                raise InvalidUpload(
                    f"The GeoPackage holds a trigger ({name[:60]}); only plain tables are read. "
                    "GeoPackage中含触发器，只读取普通表。"
                )
            text = (sql or "").upper()
            if kind == "table" and text.startswith("CREATE VIRTUAL TABLE") and "USING RTREE" not in text:
                raise InvalidUpload(
                    f"The GeoPackage holds a virtual table ({name[:60]}); only plain tables are read."
                )
            if kind == "table" and " GENERATED " in f" {text} ":
                raise InvalidUpload(
                    f"The GeoPackage's table {name[:60]} has generated columns; only plain tables are read."
                )
    except sqlite3.Error as exc:
        if "interrupted" in str(exc):
            raise InvalidUpload(
                "The GeoPackage took too long to inspect; only plain tables are read."
            ) from None
        raise InvalidUpload("The GeoPackage is damaged and cannot be read.") from None
    finally:
        connection.close()


def _crs_refusal(value: object) -> InvalidUpload | None:
    if not isinstance(value, dict):
        return None if value is None else InvalidUpload("The GeoJSON's crs member is not an object.")
    name = (value.get("properties") or {}).get("name") if isinstance(value.get("properties"), dict) else None
    if value.get("type") == "name" and isinstance(name, str) and _CRS_NAME.fullmatch(name.strip()):
        return None
    return InvalidUpload(
        "The GeoJSON's crs member must name a coordinate system (e.g. EPSG:4490 or "
        "urn:ogc:def:crs:EPSG::4490); links and URLs are not followed. "
        "GeoJSON的crs只能写坐标系名称，不访问链接。"
    )


def _check_geojson(content: bytes) -> None:
    """Refuse a "crs" member GDAL would fetch (a link, a URL), wherever it appears, before GDAL sees it.

    Only the members' values are decoded, not the whole document; a key spelled with escapes is found too.
    """
    if b"crs" not in content.lower() and b"\\u" not in content:
        return
    text = content.decode("utf-8", errors="replace")
    for number, match in enumerate(_CRS_KEY.finditer(text), start=1):
        if number > MAX_CRS_MEMBERS:
            raise InvalidUpload(f"The GeoJSON has more than {MAX_CRS_MEMBERS} crs members; it needs one.")
        try:
            value, _end = json.JSONDecoder().raw_decode(text, _skip_spaces(text, match.end()))
        except (ValueError, RecursionError):
            raise InvalidUpload("The GeoJSON's crs member is not valid JSON.") from None
        refusal = _crs_refusal(value)
        if refusal:
            raise refusal


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _scrub(message: str, folder: Path) -> str:
    """GDAL's words without the server's temporary paths."""
    message = message.replace(str(folder), "")
    return re.sub(r"(?<![\w.])(/vsi\w+)?(/[^\s'\":,]+)+", "the file", message)


def _read(
    folder: Path, content: bytes, file_format: str, layer: str | None, budgets: Budgets
) -> tuple[gpd.GeoDataFrame, str]:
    if file_format == "zip":
        file_format, path = _unzip(content, folder, budgets)
        if file_format == "shapefile":
            _check_shapefile(path, budgets)
    else:
        path = folder / f"upload.{ {'geojson': 'geojson', 'kml': 'kml', 'gpkg': 'gpkg'}[file_format] }"
        path.write_bytes(content)
        if file_format == "kml":
            counter = _PlacemarkCounter(budgets)
            counter.feed(content)
            counter.close()
        elif file_format == "geojson":
            _check_geojson(content)
        elif file_format == "gpkg":
            _check_geopackage(path)
    pyogrio.set_gdal_config_options(NO_NETWORK)
    try:
        layers = [name for name, _kind in pyogrio.list_layers(path)]
        if layer is not None and layer not in layers:
            raise InvalidUpload(f"The file has no layer '{layer}'; its layers are: {', '.join(layers)}.")
        if layer is None and len(layers) > 1 and file_format == "gpkg":
            listed = ", ".join(layers)
            raise InvalidUpload(f"The GeoPackage holds {len(layers)} layers ({listed}); say which one.")
        # One feature more than allowed tells "too many" without reading them all.
        frame = gpd.read_file(
            path, layer=layer or layers[0], engine="pyogrio", max_features=budgets.max_features + 1
        )
    except InvalidUpload:
        raise
    except Exception as exc:  # GDAL's errors vary by driver; the person needs only "unreadable"
        message = _scrub(str(exc), folder)[:200]
        raise InvalidUpload(f"The file could not be read as {file_format}: {message}") from None
    return frame, file_format


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
    folder: Path | None = None,
) -> UploadedLayer:
    """Read an upload's polygons into WGS84, or refuse it with the reason; the bytes are never kept.

    `folder` is an empty scratch folder (the sandbox's, removed by its owner); without one, a temporary
    folder is used and removed here.
    """
    if not content:
        raise InvalidUpload("The file is empty.")
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"The file is larger than the {max_bytes / 1024 / 1024:g} MB allowed.")
    budgets = Budgets(max_bytes=max_bytes, max_vertices=max_vertices, max_features=max_features)
    file_format = _sniff(content)
    declared = _parse_crs(declared_crs) if declared_crs else None
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="gi-upload-") as temporary:
            frame, file_format = _read(Path(temporary), content, file_format, layer, budgets)
    else:
        frame, file_format = _read(folder, content, file_format, layer, budgets)
    if len(frame) > max_features:
        raise _too_many_features(budgets)
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > max_vertices:
        raise _too_many_vertices(budgets, f"{vertices:,}")
    file_crs = frame.crs
    if file_format in ("kml", "kmz"):
        file_crs = WGS84  # KML is WGS84 by definition
    frame = _polygons_only(frame)
    frame, handling = _to_wgs84(frame, file_crs, declared)
    named = (file_crs or declared).name if (file_crs or declared) else None
    return UploadedLayer(frame, file_format, named, handling)
