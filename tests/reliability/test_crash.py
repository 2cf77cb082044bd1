"""R1 concurrent submissions and R2 kill -9 mid-write, against `gi-registry serve --workers 2`."""

import random
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from gi_registry.core.settings import Settings
from tests.figures import report
from tests.load import Tally, Target, integrity, prepare, renewal_rows, run_load, server, submit_one

pytestmark = pytest.mark.slow

R1_WRITES = 200  # the load runs until this many are acknowledged (or R1_BOUND seconds pass)
R1_BOUND = 120.0


def test_r1_concurrent_submissions_lose_and_duplicate_nothing(settings: Settings, tmp_path: Path) -> None:
    target = prepare(settings.database_url)
    log = tmp_path / "server.log"
    tally = Tally()
    with server(settings.database_url, tmp_path / "uploads", log) as running:
        stop = threading.Event()
        started = time.monotonic()
        threads = run_load(running.base, target, stop, tally)
        tally.wait_for_acks(R1_WRITES, R1_BOUND)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        seconds = time.monotonic() - started
    stored, history = renewal_rows(settings.database_url)
    acked_ids = list(tally.acked.values())
    lost = [key for key in tally.acked if key not in stored]
    busy = log.read_text(errors="replace").count("database is locked")
    report(
        f"R1: {len(tally.acked)} acked in {seconds:.1f} s ({len(tally.acked) / seconds:.0f}/s, 2 workers, "
        f"16 threads), {len(lost)} lost, {len(acked_ids) - len(set(acked_ids))} duplicated, "
        f"{tally.server_errors} 5xx, {busy} SQLITE_BUSY, history rows {history} = renewals {len(stored)}"
    )
    assert tally.acked  # the load really ran; how fast is for make bench, not for a test
    assert tally.statuses.keys() == {201}, tally.statuses
    assert lost == [] and len(set(acked_ids)) == len(acked_ids) == len(stored)
    assert history == len(stored) and busy == 0
    assert tally.in_flight == []


@dataclass
class CrashOutcome:
    """What one kill -9 left behind."""

    acked: int
    lost: int
    committed_unacked: int
    in_flight: int
    integrity: str


def crash_once(database_url: str, target: Target, tmp_path: Path, kill_after: float) -> CrashOutcome:
    """Load the server, kill its process group `kill_after` s after the first acknowledged write, restart,
    check, and resubmit what was in flight."""
    tally = Tally()
    log = tmp_path / "server.log"
    with server(database_url, tmp_path / "uploads", log) as running:
        stop = threading.Event()
        threads = run_load(running.base, target, stop, tally)
        tally.wait_for_acks(1)
        time.sleep(kill_after)
        running.kill_group()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    state = integrity(database_url)
    stored, _ = renewal_rows(database_url)
    lost = [key for key in tally.acked if key not in stored]
    committed_unacked = [key for key in tally.in_flight if key in stored]
    with (
        server(database_url, tmp_path / "uploads", log) as running,
        httpx.Client(base_url=running.base) as http,
    ):
        for key in tally.in_flight:
            again = submit_one(http, target, key)
            # A request that committed before the crash is found by its key: the same row, not a new one.
            assert again.status_code == (200 if key in committed_unacked else 201), again.text
            if key in stored:
                assert again.json()["id"] == stored[key]
    return CrashOutcome(len(tally.acked), len(lost), len(committed_unacked), len(tally.in_flight), state)


def test_r2_kill_9_mid_write_loses_no_acknowledged_write(settings: Settings, tmp_path: Path) -> None:
    outcome = crash_once(settings.database_url, prepare(settings.database_url), tmp_path, kill_after=1.0)
    report(
        f"R2: {outcome.acked} acked before kill -9 (1 s after the first), {outcome.lost} lost, "
        f"{outcome.committed_unacked} committed-but-unacked of {outcome.in_flight} in flight "
        f"(replayed by key), integrity {outcome.integrity}"
    )
    assert outcome.acked > 0 and outcome.in_flight > 0  # the kill really hit a loaded server
    assert outcome.lost == 0 and outcome.integrity == "ok"
    assert outcome.committed_unacked <= 16


def random_kill_times(runs: int, seed: int = 3) -> list[float]:
    """R3's kill times, uniform in 0.5–3 s (seeded, so a failing run can be repeated)."""
    chooser = random.Random(seed)
    return [round(chooser.uniform(0.5, 3.0), 2) for _ in range(runs)]
