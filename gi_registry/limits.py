"""A small in-process rate limit (per key, sliding window): misuse reports per address, failed sign-ins."""

import threading
import time
from collections import defaultdict, deque

from gi_registry.errors import TooManyRequests


class SlidingWindowLimit:
    """At most `limit` events per `seconds` for each key; keys with no recent events are forgotten."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and now - events[0] > self.seconds:
            events.popleft()
        return events

    def hit(self, key: str, what: str = "requests") -> None:
        """Count one event, or raise TooManyRequests (saying when to try again) if the key used them up.

        Checking and counting happen under one lock, so parallel requests cannot all slip through.
        """
        now = time.monotonic()
        with self._lock:
            events = self._recent(key, now)
            if len(events) >= self.limit:
                wait = int(self.seconds - (now - events[0])) + 1
                raise TooManyRequests(f"Too many {what}; try again in {wait} seconds.")
            events.append(now)
            if len(self._events) > 10_000:
                self._sweep(now)

    def clear(self, key: str) -> None:
        """Forget a key's events (after a successful sign-in)."""
        with self._lock:
            self._events.pop(key, None)

    def _sweep(self, now: float) -> None:
        for stale in [k for k in self._events if not self._recent(k, now)]:
            del self._events[stale]
