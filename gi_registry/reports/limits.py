"""A small in-process rate limit for anonymous writes (per client address, sliding window)."""

import threading
import time
from collections import defaultdict, deque

from gi_registry.errors import RegistryError


class TooManyRequests(RegistryError):
    """The client sent too many reports in a short time."""

    status_code = 429
    code = "too_many_requests"


class SlidingWindowLimit:
    """At most `limit` events per `seconds` for each key."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Count one event, or raise TooManyRequests saying when to try again."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] > self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                wait = int(self.seconds - (now - events[0])) + 1
                raise TooManyRequests(f"Too many reports from this address; try again in {wait} seconds.")
            events.append(now)
