"""The benchmark's peers: the PostGIS export tipg serves, the check of a peer's answers and its targets."""

import json
import sys
from pathlib import Path

import httpx2 as httpx
import psycopg
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import postgis_export  # noqa: E402
import run  # noqa: E402
from servers import ThrowawayPostgres  # noqa: E402
from wrk import Load  # noqa: E402

from tests.machine import needs_postgis  # noqa: E402

SQUARE = {"type": "Polygon", "coordinates": [[[113, 29], [113.1, 29], [113.1, 29.1], [113, 29.1], [113, 29]]]}


def test_column_types_follow_the_values_and_fall_back_to_text() -> None:
    assert postgis_export._column_type(["a", None]) == "text"
    assert postgis_export._column_type([1, 2]) == "bigint"
    assert postgis_export._column_type([1, 2.5]) == "double precision"
    assert postgis_export._column_type([True, None]) == "boolean"
    assert postgis_export._column_type([True, 1]) == "text"
    assert postgis_export._column_type([{"a": 1}, [1]]) == "jsonb"
    assert postgis_export._column_type([None, None]) == "text"


@needs_postgis
def test_export_writes_every_feature_with_its_id_properties_and_geometry() -> None:
    features = [
        {"type": "Feature", "id": "gi-1", "geometry": SQUARE, "properties": {"name_zh": "岳阳", "n": 1}},
        {"type": "Feature", "id": "gi-2", "geometry": None, "properties": {"name_zh": None, "n": 2}},
    ]
    postgres = ThrowawayPostgres(port=54364)
    try:
        postgres.create_database("peer")
        conninfo = f"host={postgres.dir} port={postgres.port} dbname=peer user=postgres"
        assert postgis_export.export(features, conninfo, "bench_peer", "indications") == 2
        assert postgis_export.export(features, conninfo, "bench_peer", "indications") == 2  # runs again
        with psycopg.connect(conninfo) as connection:
            rows = connection.execute(
                "SELECT id, name_zh, n, ST_SRID(geom), ST_Area(geom) FROM bench_peer.indications ORDER BY id"
            ).fetchall()
            indexes = connection.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'bench_peer' AND indexdef LIKE '%gist%'"
            ).fetchall()
    finally:
        postgres.close()
    assert rows[0][:4] == ("gi-1", "岳阳", 1, 4326) and rows[0][4] == pytest.approx(0.01)
    assert rows[1] == ("gi-2", None, 2, None, None)
    assert len(indexes) == 1


def _answer(status: int, body: dict) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode())


def test_a_peer_answer_is_compared_with_ours() -> None:
    ours = json.dumps({"numberMatched": 43, "features": [{}] * 43}).encode()
    assert run._compare(_answer(200, {"numberMatched": 43, "features": [{}] * 43}), ours) == "ok"
    assert "numberMatched 40" in run._compare(
        _answer(200, {"numberMatched": 40, "features": [{}] * 43}), ours
    )
    assert run._compare(_answer(422, {}), ours) == "status 422"
    one = json.dumps({"type": "Feature", "id": "synthetic-00042"}).encode()
    assert run._compare(_answer(200, {"type": "Feature", "id": "synthetic-00042"}), one) == "ok"
    assert run._compare(_answer(200, {"type": "Feature", "id": "other"}), one).startswith("id other")


def test_tipg_targets_appear_on_postgis_only() -> None:
    rows = [
        run.Row("items page (100)", "gi-registry", "/", Load(3000, requests=1)),
        run.Row("items page (100)", "tipg", "/", Load(100, requests=1)),
        run.Row("bbox page (1%)", "gi-registry", "/", Load(1000, requests=1)),
        run.Row("bbox page (1%)", "tipg", "/", Load(100, requests=1)),
    ]
    on_postgis = {
        label: passed for label, _, passed in run.targets(run.Results({"backend": "postgis"}, {}, rows))
    }
    assert on_postgis["items page >= 15x tipg"] is True
    assert on_postgis["1% bbox page >= 11x tipg"] is False
    on_sqlite = {label for label, _, _ in run.targets(run.Results({"backend": "sqlite"}, {}, rows))}
    assert not any("tipg" in label for label in on_sqlite)


def test_the_cpu_shares_of_a_load_test_say_how_busy_the_machine_was_and_what_was_stolen() -> None:
    before = [100, 0, 50, 1000, 0, 0, 0, 5]
    after = [160, 0, 70, 1100, 0, 0, 0, 25]  # 200 ticks: 60 user, 20 system, 100 idle, 20 stolen
    shares = run.cpu_shares(before, after)
    assert shares["user"] == 0.3 and shares["system"] == 0.1 and shares["idle"] == 0.5
    assert shares["steal"] == 0.1
    assert run.cpu_shares(before, before) == {}  # no time passed: no shares, not a division by zero


def test_a_load_tests_cpu_time_is_split_between_the_server_wrk_postgresql_and_the_rest() -> None:
    before = {10: ("python", 10, 100), 11: ("python", 10, 200), 20: ("wrk", 20, 5), 30: ("postgres", 30, 7)}
    after = {
        10: ("python", 10, 110),
        11: ("python", 10, 290),  # the server's workers share its process group: 100 ticks in all
        20: ("wrk", 20, 45),  # 40
        30: ("postgres", 30, 17),
        31: ("postgres", 30, 10),  # a backend that started during the test: all its time counts (20)
        40: ("bash", 40, 3),  # not seen before either: 3
    }
    shares = run.process_shares(before, after, server_group=10, machine_ticks=200)
    assert shares == {"server": 0.5, "wrk": 0.2, "postgres": 0.1, "other": 0.015}
    # wrk runs ended before the second reading: their time comes from the bench's children (getrusage).
    ended = run.process_shares(before, {k: v for k, v in after.items() if k != 20}, 10, 200, wrk_ticks=30)
    assert ended["wrk"] == 0.15
    assert run.process_shares(before, after, server_group=10, machine_ticks=0) == {}


def test_the_process_times_are_read_for_this_very_process() -> None:
    import os

    found = run._process_times()
    name, group, ticks = found[os.getpid()]
    assert group == os.getpgrp() and ticks >= 0 and name


def test_a_scripted_load_says_which_statuses_were_not_2xx_and_what_the_first_answer_said() -> None:
    from wrk import REPORT_STATUSES, parse

    output = (
        "  400 requests in 10.00s, 1.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:     40.00\n"
        'status 409: 2\nstatus 503: 1\nfirst body 409: {"detail":"already open"}\n'
    )
    load = parse(output)
    assert load.non_2xx == 3 and load.statuses == {409: 2, 503: 1}
    assert load.first_bodies == {409: '{"detail":"already open"}'}
    assert load.verdict == "3 non-2xx (409 x2, 503 x1)"
    # The Lua prints those lines with real newlines (a "\n" lost in the Python source broke the script).
    assert 'string.format("status %d: %d\\n"' in REPORT_STATUSES
