"""R19–R26: hostile files for every parser of untrusted bytes, each refused (or read for what it really
holds) within a bounded memory and time, without a 5xx and without a request leaving the server.

Every file is made here, in the test (zipfile, sqlite3, openpyxl, shapely): nothing big is committed.
Memory is the server process's peak above its resident size before the request (VmHWM, reset through
/proc/self/clear_refs), plus the peak growth of the parsing child (gi_registry.core.sandbox). Times are a
bound that proves "not unbounded" on a loaded 2-core machine, not a speed.
"""

import gc
import io
import json
import sqlite3
import struct
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import geopandas as gpd
import httpx2 as httpx
import pyogrio
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from shapely.geometry import MultiPolygon, Polygon, box
from sqlmodel import Session, func, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core import sandbox
from gi_registry.geo.models import BoundaryVersion
from tests import boundary_files as files
from tests.figures import report
from tests.workflow import PASSWORD, bearer

MEMORY_BOUND_MB = 200
SECONDS_BOUND = 60  # "not unbounded": the unbounded versions took 8.5 s to 33 minutes and gigabytes
MB = 2**20


@dataclass(frozen=True)
class Measured:
    """One request's answer and what it cost the server."""

    response: httpx.Response
    server_mb: float  # this process's peak growth: the test client and the app handling the request
    child_mb: float  # the parsing child's peak growth
    seconds: float

    @property
    def memory_mb(self) -> float:
        return self.server_mb + self.child_mb

    @property
    def message(self) -> str:
        return self.response.json()["detail"][0]["msg"]

    def figure(self) -> str:
        return (
            f"{self.response.status_code} in {self.seconds:.1f} s, memory +{self.memory_mb:.0f} MB "
            f"(server +{self.server_mb:.0f}, parser +{self.child_mb:.0f})"
        )


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def measure(send: Callable[[], httpx.Response]) -> Measured:
    """Send one request and measure the server's peak memory growth (this process and the child)."""
    gc.collect()
    before = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    last_run = sandbox.RECENT[-1] if sandbox.RECENT else None
    started = time.monotonic()
    response = send()
    seconds = time.monotonic() - started
    parent = max(_status_kb("VmHWM") - before, 0) / 1024
    newest = sandbox.RECENT[-1] if sandbox.RECENT else None
    child = newest.peak_growth_mb or 0.0 if newest is not None and newest is not last_run else 0.0
    return Measured(response, parent, child, seconds)


def assert_bounded(measured: Measured) -> None:
    assert measured.response.status_code < 500, measured.response.text
    assert measured.memory_mb < MEMORY_BOUND_MB, measured.figure()
    assert measured.seconds < SECONDS_BOUND, measured.figure()


@pytest.fixture
def official(client: TestClient, session: Session) -> dict[str, str]:
    auth_service.create_user(
        session, username="official", password=PASSWORD, role=Role.official, producer_id=None, actor="test"
    )
    return bearer(client, "official")


def _protection_id(client: TestClient) -> int:
    gi = client.get("/api/v1/indications/pingjiang-baizhu").json()
    return next(p["id"] for p in gi["protections"] if p["area"] is not None)


def upload_area(client: TestClient, headers: dict, content: bytes, name: str, **form: str) -> Measured:
    data = {
        "valid_from": "2024-01-01",
        "reason": "hostile-input test (synthetic file)",
        "source_document": "synthetic test file",
        "source_confidence": "L",
    } | form
    url = f"/api/v1/protections/{_protection_id(client)}/area/versions"
    return measure(
        lambda: client.post(
            url, files={"file": (name, content, "application/octet-stream")}, data=data, headers=headers
        )
    )


def import_sheet(client: TestClient, headers: dict, content: bytes, name: str) -> Measured:
    return measure(
        lambda: client.post(
            "/api/v1/imports",
            data={"kind": "producers"},
            files={"file": (name, content, "application/octet-stream")},
            headers=headers,
        )
    )


def nothing_stored(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(BoundaryVersion)).one() == 0


# --- Zips that lie -------------------------------------------------------------------------------------


def hand_zip(members: list[tuple[str, Iterator[bytes], int | None]]) -> tuple[bytes, int]:
    """A deflated zip written by hand: each member declares the size given (None: the truth) in both its
    local header and the central directory. Returns the bytes and the real unpacked total."""
    out, directory, total = io.BytesIO(), b"", 0
    for name, chunks, declared in members:
        compressor, packed, crc, real = zlib.compressobj(9, zlib.DEFLATED, -15), io.BytesIO(), 0, 0
        for chunk in chunks:
            crc, real = zlib.crc32(chunk, crc), real + len(chunk)
            packed.write(compressor.compress(chunk))
        packed.write(compressor.flush())
        data, size, encoded, offset = (
            packed.getvalue(),
            real if declared is None else declared,
            name.encode(),
            out.tell(),
        )
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0)
        )
        out.write(encoded + data)
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0, 0, 0,
            0, 0, offset,
        ) + encoded  # fmt: skip
        total += real
    start = out.tell()
    out.write(directory)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue(), total


def _kml_of_filler(megabytes: int) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><!--'
    block = b"x" * MB
    for _ in range(megabytes):
        yield block
    yield b"--></Document></kml>"


@pytest.mark.parametrize("declared", ["0 bytes", "the truth"])
def test_r19_a_kmz_is_refused_after_unpacking_at_most_the_limit_whatever_it_declares(
    client: TestClient, official: dict, session: Session, declared: str
) -> None:
    content, real = hand_zip([("doc.kml", _kml_of_filler(600), 0 if declared == "0 bytes" else None)])
    listed = zipfile.ZipFile(io.BytesIO(content)).infolist()[0]
    assert real > 600 * MB and len(content) < 3 * MB
    assert listed.file_size == (0 if declared == "0 bytes" else real)  # the lie is in the central directory
    measured = upload_area(client, official, content, "area.kmz")
    assert measured.response.status_code in (413, 422), measured.response.text
    assert "zip" in measured.message.lower()  # "damaged" (its CRC) or "unpacks to more than 20 MB"
    assert_bounded(measured)
    assert nothing_stored(session)
    report(
        f"R19: KMZ of {len(content) / MB:.1f} MB declaring {declared}, really {real / MB:.0f} MB: "
        f"{measured.figure()}"
    )


def test_r19_a_zipped_shapefile_whose_dbf_lies_is_refused(
    client: TestClient, official: dict, session: Session, tmp_path: Path
) -> None:
    honest = zipfile.ZipFile(
        io.BytesIO(files.write(files.frame(files.square_in_pingjiang()), tmp_path, "shp"))
    )
    members = [
        (i.filename, iter([honest.read(i)]), None)
        for i in honest.infolist()
        if i.filename.endswith((".shp", ".shx", ".prj"))
    ]
    content, real = hand_zip([*members, ("area/area.dbf", iter([b" " * MB] * 500), 1000)])
    assert real > 500 * MB and len(content) < 3 * MB
    measured = upload_area(client, official, content, "area.zip")
    assert measured.response.status_code in (413, 422), measured.response.text
    assert "zip" in measured.message.lower()
    assert_bounded(measured)
    assert nothing_stored(session)
    report(
        f"R19: zipped Shapefile whose .dbf declares 1,000 bytes, really {real / MB:.0f} MB: "
        f"{measured.figure()}"
    )


# --- Too many features, hidden in a small file ----------------------------------------------------------


def _placemarks(count: int, square: Polygon) -> Iterator[bytes]:
    ring = " ".join(f"{x},{y}" for x, y in square.exterior.coords).encode()
    yield b'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
    placemark = (
        b"<Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + ring
        + (b"</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n")
    )
    batch = placemark * 1000
    for _ in range(count // 1000):
        yield batch
    yield b"</Document></kml>"


def test_r20_an_honest_kmz_over_the_feature_limit_is_refused_while_reading(
    client: TestClient, official: dict, session: Session
) -> None:
    content, real = hand_zip([("doc.kml", _placemarks(530_000, files.square_in_pingjiang(0.01)), None)])
    assert real > 100 * 10**6 and len(content) < 2 * MB
    measured = upload_area(client, official, content, "area.kmz")
    assert measured.response.status_code == 422, measured.response.text
    assert "more than 2,000 features" in measured.message
    assert_bounded(measured)
    assert nothing_stored(session)
    report(
        f"R20: KMZ of {len(content) / 1024:.0f} KB holding {real / MB:.0f} MB of KML, 530,000 placemarks: "
        f"{measured.figure()}"
    )


def test_r20_a_kmz_within_the_limits_is_still_read(client: TestClient, official: dict) -> None:
    square = files.square_in_pingjiang(0.01)
    content, _real = hand_zip([("doc.kml", _placemarks(2_000, square), None)])
    measured = upload_area(client, official, content, "area.kmz", dry_run="true")
    assert measured.response.status_code == 200, measured.response.text
    assert measured.response.json()["file_format"] == "kmz"
    assert_bounded(measured)


# --- A GeoPackage whose layer is a view that generates rows ---------------------------------------------


def _geopackage_with_a_view(folder: Path, rows: int) -> Path:
    path = folder / "area.gpkg"
    files.frame(files.square_in_pingjiang()).to_file(path, driver="GPKG", layer="area", SPATIAL_INDEX="NO")
    with sqlite3.connect(path) as connection:
        connection.executescript(
            f"""
            ALTER TABLE area RENAME TO area_source;
            CREATE VIEW area AS
              WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT {rows})
              SELECT x AS fid, (SELECT geom FROM area_source LIMIT 1) AS geom FROM n;
            """
        )
    return path


def test_r21_a_geopackage_layer_that_is_a_view_is_refused_before_gdal_reads_it(
    client: TestClient, official: dict, session: Session, tmp_path: Path
) -> None:
    path = _geopackage_with_a_view(tmp_path, 5_000_000)
    # The control: the view is what GDAL lists and reads, one generated row after another.
    assert "area" in [name for name, _ in pyogrio.list_layers(path)]
    assert len(pyogrio.read_dataframe(path, layer="area", max_features=3)) == 3
    content = path.read_bytes()
    measured = upload_area(client, official, content, "area.gpkg", layer="area")
    assert measured.response.status_code == 422, measured.response.text
    assert "view" in measured.message and "plain tables" in measured.message
    assert_bounded(measured)
    assert nothing_stored(session)
    report(
        f"R21: GeoPackage of {len(content) / 1024:.0f} KB whose layer is a 5,000,000-row view: "
        f"{measured.figure()}"
    )


def test_r21_a_plain_geopackage_is_still_read(client: TestClient, official: dict, tmp_path: Path) -> None:
    content = files.write(
        files.frame(files.square_in_pingjiang()), tmp_path, "gpkg"
    )  # with its spatial index
    measured = upload_area(client, official, content, "area.gpkg", dry_run="true")
    assert measured.response.status_code == 200, measured.response.text


# --- Spreadsheets that lie about their size --------------------------------------------------------------


def _xlsx(rows: list[list], sheet_xml: Callable[[bytes], bytes] = lambda xml: xml) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data)
            archive.writestr(info.filename, data)
    return out.getvalue()


HEADER = ["name_zh", "uscc", "county_code", "source_confidence", "source_document"]


def _good_row() -> list:
    from tests.factories import make_uscc

    return [
        "合成合作社（测试）",
        make_uscc(division="430626", org_body="KMP00099"),
        "430626",
        "L",
        "test sheet",
    ]


def test_r22_an_xlsx_declaring_a_huge_dimension_is_read_by_its_real_cells(
    client: TestClient, session: Session
) -> None:
    from tests.workflow import build_world

    world = build_world(client, session)
    content = _xlsx([HEADER, _good_row()], lambda xml: xml.replace(b'ref="A1:E2"', b'ref="A1:XFD16000"'))
    declared = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    assert (declared.max_row, declared.max_column) == (16000, 16384) and len(content) < 6000
    measured = import_sheet(client, world.official, content, "producers.xlsx")
    assert measured.response.status_code == 200, measured.response.text
    assert measured.response.json()["rows"] == 1 and measured.response.json()["problems"] == []
    assert_bounded(measured)
    report(
        f"R22: XLSX of {len(content) / 1024:.1f} KB declaring A1:XFD16000: {measured.figure()}, "
        "1 real row read"
    )


def test_r22_an_xlsx_with_values_beyond_the_column_cap_is_refused(
    client: TestClient, session: Session
) -> None:
    from tests.workflow import build_world

    world = build_world(client, session)
    wide = _good_row() + [None] * (50 - len(HEADER)) + ["column 51"]
    measured = import_sheet(client, world.official, _xlsx([HEADER, wide]), "producers.xlsx")
    assert measured.response.status_code == 422, measured.response.text
    assert "beyond column 50" in measured.message
    assert_bounded(measured)


def _with_dtd(xml: bytes) -> bytes:
    """A DTD with an external entity used far down the sheet, after the part openpyxl reads on opening."""
    start = xml.index(b"<worksheet")
    body = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i) for i in range(3, 3000)
    )
    xml = xml.replace(
        b"</sheetData>",
        body + b'<row r="3000"><c r="A3000" t="inlineStr"><is><t>&ext;</t></is></c></row></sheetData>',
    )
    return xml[:start] + b'<!DOCTYPE worksheet [<!ENTITY ext SYSTEM "file:///etc/passwd">]>' + xml[start:]


def test_r23_an_xlsx_worksheet_with_a_dtd_is_a_4xx_not_a_500(client: TestClient, session: Session) -> None:
    from tests.workflow import build_world

    world = build_world(client, session)
    content = _xlsx([HEADER, _good_row()], _with_dtd)
    measured = import_sheet(client, world.official, content, "producers.xlsx")
    assert measured.response.status_code == 422, measured.response.text
    assert "DTD" in measured.message and "root:" not in measured.response.text
    assert_bounded(measured)
    report(f"R23: XLSX worksheet with a DTD and an external entity: {measured.figure()}")


def test_r24_a_csv_of_blank_lines_is_refused_cheaply(client: TestClient, session: Session) -> None:
    from tests.workflow import build_world

    world = build_world(client, session)
    content = (",".join(HEADER) + "\n").encode() + b"\n" * (20 * MB - 100)
    measured = import_sheet(client, world.official, content, "producers.csv")
    assert measured.response.status_code == 422, measured.response.text
    assert "more than 100,000 rows" in measured.message
    assert_bounded(measured)
    report(f"R24: CSV of {len(content) / MB:.0f} MB of blank lines: {measured.figure()}")


# --- A GeoJSON that names a URL --------------------------------------------------------------------------


class _Listener(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        _Listener.requests.append(self.path)
        body = b'PROJCS["x"]'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    server = HTTPServer(("127.0.0.1", 0), _Listener)
    _Listener.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Listener.requests
    server.shutdown()
    server.server_close()


def _geojson_with_crs(crs: dict) -> bytes:
    feature = {"type": "Feature", "properties": {}, "geometry": files.square_in_pingjiang().__geo_interface__}
    return json.dumps({"type": "FeatureCollection", "crs": crs, "features": [feature]}).encode()


def test_r25_a_geojson_crs_link_is_refused_and_nothing_is_fetched(
    client: TestClient, official: dict, session: Session, tmp_path: Path, listener: tuple[str, list[str]]
) -> None:
    url, requests = listener
    link = _geojson_with_crs({"type": "link", "properties": {"href": f"{url}/link", "type": "ogcwkt"}})
    # The control: GDAL, in this process and with its defaults, does fetch the link.
    (tmp_path / "link.geojson").write_bytes(link)
    try:
        pyogrio.read_dataframe(tmp_path / "link.geojson")
    except Exception:  # noqa: S110 - whether GDAL makes sense of the answer does not matter here
        pass
    assert requests, "GDAL did not follow the crs link: this test would prove nothing"
    requests.clear()
    named_url = _geojson_with_crs({"type": "name", "properties": {"name": f"{url}/name"}})
    escaped = link.replace(b'"crs"', b'"\\u0063rs"')
    for content in (link, named_url, escaped):
        measured = upload_area(client, official, content, "area.geojson")
        assert measured.response.status_code == 422, measured.response.text
        assert "links and URLs are not followed" in measured.message
        assert_bounded(measured)
    time.sleep(0.5)  # a fetch in flight would have arrived by now
    assert requests == []
    assert nothing_stored(session)
    plain = _geojson_with_crs({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}})
    assert upload_area(client, official, plain, "area.geojson", dry_run="true").response.status_code == 200
    report(
        "R25: GeoJSON crs as a link, a URL name and an escaped key: 3/3 refused with 422, 0 requests received"
    )


# --- Geometry repair that would be quadratic --------------------------------------------------------------


def _bow_ties(count: int) -> MultiPolygon:
    minx, miny, _maxx, _maxy = files.square_in_pingjiang(0.05).bounds
    side, step, per_row = 0.0004, 0.0005, 200
    ties = []
    for i in range(count):
        x, y = minx + (i % per_row) * step, miny + (i // per_row) * step
        ties.append(Polygon([(x, y), (x + side, y + side), (x + side, y), (x, y + side)]))
    return MultiPolygon(ties)


def test_r26_a_multipolygon_of_40000_bow_ties_is_refused_without_trying_a_quadratic_repair(
    client: TestClient, official: dict, session: Session, tmp_path: Path
) -> None:
    ties = _bow_ties(40_000)
    assert sum(len(p.exterior.coords) for p in ties.geoms) == 200_000 and not ties.is_valid
    path = tmp_path / "ties.geojson"
    gpd.GeoDataFrame(geometry=[ties], crs="EPSG:4326").to_file(path, driver="GeoJSON", COORDINATE_PRECISION=6)
    content = path.read_bytes()
    measured = upload_area(client, official, content, "ties.geojson")
    assert measured.response.status_code == 422, measured.response.text
    assert "invalid parts" in measured.message and "Self-intersection" in measured.message
    assert_bounded(measured)
    assert nothing_stored(session)
    report(
        f"R26: one MultiPolygon of 40,000 bow-ties ({len(content) / MB:.1f} MB, 200,000 vertices): "
        f"{measured.figure()}"
    )


def test_r26_many_overlapping_parts_are_still_repaired_losslessly(
    client: TestClient, official: dict, tmp_path: Path
) -> None:
    minx, miny, _maxx, _maxy = files.square_in_pingjiang(0.05).bounds
    squares = MultiPolygon(
        [
            box(
                minx + (i % 100) * 0.0008,
                miny + (i // 100) * 0.0008,
                minx + (i % 100) * 0.0008 + 0.001,
                miny + (i // 100) * 0.0008 + 0.001,
            )
            for i in range(10_000)
        ]
    )
    assert not squares.is_valid  # the parts overlap their neighbours
    content = files.write(gpd.GeoDataFrame(geometry=[squares], crs="EPSG:4326"), tmp_path, "geojson")
    measured = upload_area(client, official, content, "squares.geojson", dry_run="true")
    assert measured.response.status_code == 200, measured.response.text
    assert_bounded(measured)
    report(f"R26: one MultiPolygon of 10,000 overlapping squares, repaired by a union: {measured.figure()}")


# --- What an error may say --------------------------------------------------------------------------------


def test_upload_errors_do_not_show_server_paths(client: TestClient, official: dict) -> None:
    import tempfile

    for content, name in (
        (b'{"type": "FeatureCollection", "features": [', "broken.geojson"),
        (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>', "b.kml"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "broken.gpkg"),
    ):
        measured = upload_area(client, official, content, name)
        assert measured.response.status_code in (415, 422), measured.response.text
        text = measured.response.text
        assert tempfile.gettempdir() not in text and "gi-parse" not in text and "/vsi" not in text, text


def _sleep_in(_folder: Path, seconds: float) -> None:
    time.sleep(seconds)


def test_the_sandbox_stops_a_parser_past_its_memory_or_time_and_leaves_nothing() -> None:
    import tempfile

    def scratch_folders() -> set[Path]:
        return set(Path(tempfile.gettempdir()).glob("gi-parse-*"))

    small = sandbox.Budget(memory_mb=100, seconds=2)
    with pytest.raises(sandbox.WorkerLimit) as memory:
        sandbox.run_limited(bytearray, 400 * MB, budget=small)
    assert memory.value.limit == "memory"
    before = scratch_folders()
    started = time.monotonic()
    with pytest.raises(sandbox.WorkerLimit) as slow:
        sandbox.run_limited(_sleep_in, 30, budget=small, files={"upload.bin": b"x" * 1000})
    assert slow.value.limit == "time" and time.monotonic() - started < 20
    assert scratch_folders() <= before  # the killed child's folder is gone with it
    assert sandbox.run_limited(len, b"abc", budget=small) == 3
