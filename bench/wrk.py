"""Running wrk with a warm-up and reading its --latency report."""

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    """One wrk run: throughput, latency percentiles and every kind of failure it counted."""

    requests_per_second: float = 0.0
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    non_2xx: int = 0
    socket_errors: int = 0
    timeouts: int = 0
    failure: str | None = None
    # Which non-2xx statuses and what the first answer of each said (scripts with `REPORT_STATUSES`).
    statuses: dict[int, int] = field(default_factory=dict)
    first_bodies: dict[int, str] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """'ok', or what went wrong (reported in the table, never hidden)."""
        if self.failure:
            return self.failure
        if self.requests == 0 or (self.timeouts and self.timeouts >= self.requests):
            return "TIMEOUT"
        problems = []
        if self.non_2xx:
            which = ", ".join(f"{status} x{count}" for status, count in sorted(self.statuses.items()))
            problems.append(f"{self.non_2xx} non-2xx" + (f" ({which})" if which else ""))
        if self.timeouts:
            problems.append(f"{self.timeouts} timeouts")
        if self.socket_errors:
            problems.append(f"{self.socket_errors} socket errors")
        return ", ".join(problems) or "ok"


# Lua for a wrk script: counts the answers that are not 2xx by status, keeps the first body of each,
# and prints them after wrk's own report (parsed by `parse`). Each wrk thread has a Lua state of its
# own; `done` reads theirs through the thread objects `setup` kept.
REPORT_STATUSES = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; bodies = {} end
function response(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
    if bodies[status] == nil then
      bodies[status] = string.gsub(string.sub(body or "", 1, 300), "%s+", " ")
    end
  end
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("status %d: %d\n", status, count))
    end
    for status, body in pairs(thread:get("bodies")) do
      io.write(string.format("first body %d: %s\n", status, body))
    end
  end
end
"""


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse(output: str) -> Load:
    """A Load from wrk's text output."""
    load = Load()
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        load.requests_per_second = float(match.group(1))
    if match := re.search(r"(\d+) requests in", output):
        load.requests = int(match.group(1))
    for percent, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        if match := re.search(rf"^\s+{percent}(?:\.000)?%\s+([\d.]+(?:us|ms|s|m))\s*$", output, re.M):
            setattr(load, attribute, _ms(match.group(1)))
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        load.non_2xx = int(match.group(1))
    for status, count in re.findall(r"^status (\d+): (\d+)$", output, re.M):
        load.statuses[int(status)] = int(count)
    for status, body in re.findall(r"^first body (\d+): (.*)$", output, re.M):
        load.first_bodies[int(status)] = body
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        connect, read, write, timeout = (int(g) for g in match.groups())
        load.socket_errors, load.timeouts = connect + read + write, timeout
    return load


def run(
    url: str,
    *,
    seconds: int,
    warmup: int,
    connections: int,
    timeout_s: int,
    script: Path | None = None,
) -> Load:
    """Warm up, then measure `url` for `seconds` with `connections` on one wrk thread."""
    base = ["wrk", "-t1", f"-c{connections}", f"--timeout={timeout_s}s", "--latency"]
    if script is not None:
        base += ["-s", str(script)]
    try:
        if warmup:
            subprocess.run([*base, f"-d{warmup}s", url], capture_output=True, timeout=warmup + timeout_s + 30)
        done = subprocess.run(
            [*base, f"-d{seconds}s", url], capture_output=True, text=True, timeout=seconds + timeout_s + 30
        )
    except subprocess.TimeoutExpired:
        return Load(failure="TIMEOUT (wrk did not finish)")
    if done.returncode != 0:
        return Load(failure=f"wrk failed: {done.stderr.strip()[:80]}")
    if script is not None and str(script) in done.stderr:
        # wrk reports a broken script and goes on without it (a POST test would send GETs).
        return Load(failure=f"wrk script error: {done.stderr.strip()[:120]}")
    return parse(done.stdout)
