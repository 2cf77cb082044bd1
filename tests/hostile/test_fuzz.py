"""R17: properties of the parsers that read untrusted text, checked on generated input (Hypothesis).

Each parser either returns a value that satisfies its contract or raises its own, explained error; any
other exception is a crash the API would turn into a 500.
"""

import io
import math
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from starlette.datastructures import QueryParams

from gi_registry.core.errors import InvalidUpload
from gi_registry.documents.files import check_name, check_upload
from gi_registry.imports.spreadsheet import UnreadableFile, read_rows
from gi_registry.ogc.params import OGCError, parse_bbox, parse_datetime, parse_int, parse_items_query
from tests.figures import report

BOUNDED = settings(max_examples=200, deadline=None)
NUMBERISH = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["", " ", "1e400", "-0", "0x10", "1_0", "٣", "nan", "inf", "+", "."]),
    st.text(max_size=8),
)
LONGITUDE = st.floats(-180, 180, allow_nan=False)
LATITUDE = st.floats(-90, 90, allow_nan=False)
_examples = {"bbox": 0, "datetime": 0, "names": 0, "csv": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_example_counts() -> Iterator[None]:
    yield
    report(
        "R17: Hypothesis, 0 unexpected exceptions; examples: "
        + ", ".join(f"{k} {n}" for k, n in _examples.items())
    )


@BOUNDED
@given(st.lists(NUMBERISH, min_size=0, max_size=7).map(",".join))
def test_bbox_is_a_valid_box_or_an_ogc_error(raw: str) -> None:
    _examples["bbox"] += 1
    try:
        box = parse_bbox(QueryParams({"bbox": raw}))
    except OGCError as error:
        assert error.status == 400 and error.description
        return
    min_lon, min_lat, max_lon, max_lat = box
    assert all(math.isfinite(v) for v in box)
    assert -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90


@BOUNDED
@given(LONGITUDE, LATITUDE, LONGITUDE, LATITUDE)
def test_bbox_round_trips(lon_a: float, lat_a: float, lon_b: float, lat_b: float) -> None:
    box = (min(lon_a, lon_b), min(lat_a, lat_b), max(lon_a, lon_b), max(lat_a, lat_b))
    assert parse_bbox(QueryParams({"bbox": ",".join(repr(v) for v in box)})) == box


@BOUNDED
@given(
    st.one_of(
        st.text(max_size=40),
        st.dates().map(str),
        st.tuples(st.dates(), st.dates()).map(lambda pair: f"{pair[0]}/{pair[1]}"),
    )
)
def test_datetime_is_an_ordered_interval_or_an_ogc_error(raw: str) -> None:
    _examples["datetime"] += 1
    try:
        interval = parse_datetime(QueryParams({"datetime": raw}))
    except OGCError as error:
        assert error.status == 400
        return
    assert interval.start is not None or interval.end is not None
    if interval.start and interval.end:
        assert interval.start <= interval.end


@BOUNDED
@given(NUMBERISH)
def test_paging_numbers_are_whole_and_bounded_or_an_ogc_error(raw: str) -> None:
    try:
        value = parse_int(QueryParams({"offset": raw}), "offset", 0, 0)
    except OGCError:
        return
    assert 0 <= value < 10**18


@BOUNDED
@given(
    st.dictionaries(
        st.sampled_from(["limit", "offset", "bbox", "datetime", "f", "kind", "x"]), st.text(max_size=20)
    )
)
def test_an_items_query_parses_or_is_refused(params: dict[str, str]) -> None:
    try:
        query = parse_items_query(QueryParams(params), {"kind": {"gi_trademark"}})
    except OGCError:
        return
    assert 1 <= query.limit <= 1000 and query.offset >= 0


@BOUNDED
@given(st.text(max_size=300))
def test_a_file_name_is_safe_or_refused(name: str) -> None:
    _examples["names"] += 1
    try:
        safe = check_name(name)
    except InvalidUpload as error:
        assert error.message
        return
    assert "/" not in safe and "\\" not in safe and safe not in (".", "..")
    assert 0 < len(safe) <= 200 and "\x00" not in safe


@BOUNDED
@given(
    st.binary(max_size=64), st.sampled_from(["a.pdf", "a.png", "a.jpg", "a", "a.exe"]), st.text(max_size=30)
)
def test_an_upload_is_checked_or_refused(content: bytes, name: str, claimed: str) -> None:
    try:
        checked = check_upload(name, claimed, content, max_bytes=32)
    except InvalidUpload:
        return
    assert checked.media_type in ("application/pdf", "image/png", "image/jpeg")
    assert len(checked.content) <= 32 and checked.sha256


PRINTABLE = st.characters(categories=("L", "N", "P", "S", "Zs"))  # what a worksheet cell can hold
CELL = st.one_of(
    st.none(), st.text(PRINTABLE, max_size=20), st.integers(-(10**15), 10**15), st.floats(-1e15, 1e15)
)


@BOUNDED
@given(st.binary(max_size=400))
def test_any_bytes_as_a_csv_are_rows_or_unreadable(content: bytes) -> None:
    _examples["csv"] += 1
    try:
        header, rows = read_rows("sheet.csv", content)
    except UnreadableFile as error:
        assert str(error)
        return
    assert isinstance(header, list)
    assert all(number >= 2 and isinstance(row, dict) for number, row in rows)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=5), min_size=1, max_size=6))
def test_any_workbook_reads_as_rows_of_text(table: list[list]) -> None:
    book = Workbook()
    for row in table:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows = read_rows("sheet.xlsx", buffer.getvalue())
    assert len(header) == max(len(row) for row in table)  # rows come padded to the widest
    assert len(rows) <= len(table) - 1
    assert all(value is None or isinstance(value, str) for _, row in rows for value in row.values())
    assert all(number >= 2 for number, _ in rows)


@BOUNDED
@given(st.binary(max_size=300))
def test_damaged_workbooks_are_unreadable_not_crashes(content: bytes) -> None:
    with pytest.raises(UnreadableFile):
        read_rows("sheet.xlsx", b"PK\x03\x04" + content)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(1, 60), path=st.sampled_from(["/api/v1/indications", "/api/v1/producers"]))
def test_pagination_returns_every_item_exactly_once(client: TestClient, limit: int, path: str) -> None:
    # Read-only against the test's loaded database, so sharing it across examples is safe.
    everything = client.get(path, params={"limit": 500}).json()
    seen: list[int] = []
    offset = 0
    while True:
        page = client.get(path, params={"limit": limit, "offset": offset}).json()
        assert page["count"] == everything["count"]
        seen += [item["id"] for item in page["data"]]
        if len(page["data"]) < limit:
            break
        offset += limit
    assert sorted(seen) == sorted(item["id"] for item in everything["data"]) and len(set(seen)) == len(seen)
