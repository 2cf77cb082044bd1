"""A small in-process rate limit (per key, sliding window): misuse reports per address, failed sign-ins.

Its memory is bounded whatever clients send: keys longer than `MAX_KEY_CHARS` are kept as their digest,
and at most `max_keys` keys are kept; past that the least recently used key is forgotten. A flood of new
keys therefore costs the limiter nothing, and callers pair every per-account key with a per-address one
(see auth.service), so forgetting a key cannot be used to earn more attempts than the address may make.
"""

import hashlib
import threading
import time
from collections import OrderedDict, deque

from starlette.requests import Request

from gi_registry.core.errors import TooManyRequests

MAX_KEY_CHARS = 200


def _bounded(key: str) -> str:
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class SlidingWindowLimit:
    """At most `limit` events per `seconds` for each key; keys with no recent events are forgotten."""

    def __init__(self, limit: int, seconds: float, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.seconds = seconds
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._events)

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque(maxlen=self.limit)
        else:
            self._events.move_to_end(key)
        while events and now - events[0] > self.seconds:
            events.popleft()
        return events

    def check(self, key: str, what: str = "requests") -> None:
        """Raise TooManyRequests if the key has used up its events, without counting one."""
        now = time.monotonic()
        with self._lock:
            events = self._events.get(_bounded(key))
            if events is not None:
                while events and now - events[0] > self.seconds:
                    events.popleft()
                if len(events) >= self.limit:
                    wait = int(self.seconds - (now - events[0])) + 1
                    raise TooManyRequests(f"Too many {what}; try again in {wait} seconds.")

    def hit(self, key: str, what: str = "requests") -> None:
        """Count one event, or raise TooManyRequests (saying when to try again) if the key used them up.

        Checking and counting happen under one lock, so parallel requests cannot all slip through.
        """
        now = time.monotonic()
        with self._lock:
            events = self._recent(_bounded(key), now)
            if len(events) >= self.limit:
                wait = int(self.seconds - (now - events[0])) + 1
                raise TooManyRequests(f"Too many {what}; try again in {wait} seconds.")
            events.append(now)
            if len(self._events) > self.max_keys:
                self._sweep(now)

    def clear(self, key: str) -> None:
        """Forget a key's events (after a successful sign-in)."""
        with self._lock:
            self._events.pop(_bounded(key), None)

    def _sweep(self, now: float) -> None:
        idle = [k for k, events in self._events.items() if not events or now - events[-1] > self.seconds]
        for stale in idle:
            del self._events[stale]
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)  # the least recently used


def client_address(request: Request) -> str:
    """The address per-address limits count: the peer's, or the client's a trusted proxy names.

    uvicorn's own proxy-header handling is off (`gi-registry serve`); X-Forwarded-For is read only by
    `middleware.add_middleware`, and only from the peers GI_TRUSTED_PROXIES lists, so a client cannot
    pick a new address per request.
    """
    return request.client.host if request.client else "unknown"
