"""A small in-process rate limit (per key, sliding window): misuse reports per address, failed sign-ins."""

import threading
import time
from collections import defaultdict, deque

from gi_registry.errors import TooManyRequests


class SlidingWindowLimit:
    """At most `limit` events per `seconds` for each key."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str, what: str = "requests") -> None:
        """Raise TooManyRequests, saying when to try again, if `key` used up its events."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and now - events[0] > self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                wait = int(self.seconds - (now - events[0])) + 1
                raise TooManyRequests(f"Too many {what}; try again in {wait} seconds.")

    def record(self, key: str) -> None:
        """Count one event for `key`."""
        with self._lock:
            self._events[key].append(time.monotonic())

    def hit(self, key: str, what: str = "requests") -> None:
        """Check, then count one event."""
        self.check(key, what)
        self.record(key)
