"""The long reliability checks, run by `make soak` (not by `make test`: this file is not named test_*.py).

R3: R2's kill -9 repeated 20 times, at a random moment between 0.5 and 3 s.
R18: a soak of mixed traffic (95 % reads, 5 % writes) for GI_SOAK_SECONDS (10 minutes by default):
no errors, server memory growth under 10 %, open file descriptors flat; p99 per minute is printed.
"""

import os
import threading
import time
from pathlib import Path

import pytest

from gi_registry.core.settings import Settings
from tests.figures import report
from tests.load import Tally, group_rss_and_fds, prepare, renewal_rows, run_load, server
from tests.reliability.test_crash import crash_once, random_kill_times

pytestmark = pytest.mark.slow

R3_RUNS = int(os.environ.get("GI_R3_RUNS", "20"))
SOAK_SECONDS = int(os.environ.get("GI_SOAK_SECONDS", "600"))


def test_r3_repeated_kills_lose_nothing(settings: Settings, tmp_path: Path) -> None:
    target = prepare(settings.database_url)
    outcomes = []
    for run, kill_after in enumerate(random_kill_times(R3_RUNS)):
        folder = tmp_path / f"run-{run}"
        folder.mkdir()
        outcomes.append(crash_once(settings.database_url, target, folder, kill_after))
    stored, history = renewal_rows(settings.database_url)
    intact = sum(outcome.integrity == "ok" for outcome in outcomes)
    lost = sum(outcome.lost for outcome in outcomes)
    report(
        f"R3: {len(outcomes)} kill -9 runs, {sum(o.acked for o in outcomes)} acked, {lost} lost, "
        f"{intact}/{len(outcomes)} integrity ok, "
        f"{sum(o.committed_unacked for o in outcomes)} committed-but-unacked replayed by key, "
        f"history rows {history} = renewals {len(stored)}"
    )
    assert lost == 0 and intact == len(outcomes) and history == len(stored)


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(len(ordered) * 0.99)] if ordered else 0.0


def test_r18_soak_mixed_traffic(settings: Settings, tmp_path: Path) -> None:
    target = prepare(settings.database_url)
    tally = Tally()
    warm_up = max(10, SOAK_SECONDS // 10)
    with server(settings.database_url, tmp_path / "uploads", tmp_path / "server.log") as running:
        group = running.process.pid
        stop = threading.Event()
        # A moderate rate: 4 clients with a short pause each, well below what 2 workers can serve.
        threads = run_load(running.base, target, stop, tally, threads=4, write_share=0.05, pause=0.01)
        time.sleep(warm_up)
        rss_start, fds_start = group_rss_and_fds(group)
        samples = []
        started = time.monotonic()
        while time.monotonic() - started < SOAK_SECONDS - warm_up:
            time.sleep(min(30, SOAK_SECONDS))
            samples.append(group_rss_and_fds(group))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        rss_end, fds_end = group_rss_and_fds(group)
    requests = sum(tally.statuses.values())
    errors = sum(n for status, n in tally.statuses.items() if status not in (200, 201))
    first = tally.latencies[0][0] if tally.latencies else 0.0
    minutes: dict[int, list[float]] = {}
    for when, seconds in tally.latencies:
        minutes.setdefault(int((when - first) // 60), []).append(seconds)
    p99s = [round(_p99(values) * 1000, 1) for _, values in sorted(minutes.items())]
    growth = (rss_end - rss_start) / rss_start * 100
    report(
        f"R18: {requests} requests in {SOAK_SECONDS} s ({requests / SOAK_SECONDS:.0f}/s, "
        f"{tally.reads} reads, {len(tally.acked)} writes), {errors} errors, RSS {rss_start // 1024} → "
        f"{rss_end // 1024} MB ({growth:+.1f} %), fds {fds_start} → {fds_end}, p99 per minute (ms): {p99s}"
    )
    assert errors == 0 and tally.in_flight == []
    assert growth < 10
    assert fds_end <= fds_start + 4 and max(fds for _, fds in samples) <= fds_start + 8
