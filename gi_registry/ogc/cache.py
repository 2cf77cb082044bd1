"""Features of a collection, computed once per data version and kept as prebuilt JSON bytes.

Building the features of a 10,000-GI collection takes seconds; serving a page of them should take
a millisecond. Every write goes through the change log in the same transaction, so the newest
change-log id is a version of the whole registry: a snapshot built at version v is valid while the
newest id is still v. On PostgreSQL two writers can commit their change-log ids out of order, so a
snapshot is also renewed after `MAX_AGE_S`, which bounds how stale that rare case can be.
"""

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import box, shape
from sqlalchemy import func
from sqlmodel import Session, select

from gi_registry.history.models import ChangeLog
from gi_registry.ogc.collections import Collection, Feature
from gi_registry.ogc.params import ItemsQuery

MAX_AGE_S = 300.0
MAX_SNAPSHOTS = 32


@dataclass(frozen=True)
class CachedFeature:
    """One feature as JSON bytes, with the feature it was made from (for its date spans)."""

    id: str
    body: bytes
    source: Feature


@dataclass(frozen=True)
class Snapshot:
    """Every feature of one collection and filter set at one data version, with arrays for bbox filters."""

    version: int
    built_at: float
    features: list[CachedFeature]
    by_id: dict[str, CachedFeature]
    bounds: np.ndarray  # one row (min_x, min_y, max_x, max_y) per feature; NaN where there is no geometry
    geometries: np.ndarray  # shapely geometries (None where there is none), for the exact test

    def matching(self, query: ItemsQuery) -> list[CachedFeature]:
        """Features passing the bbox and datetime filters, in collection order.

        Features with no geometry (or no date) are not excluded by that filter. The bbox test runs on
        the bounds arrays first (vectorised), then exactly on the few candidates left.
        """
        features = self.features
        if query.bbox is not None and features:
            min_x, min_y, max_x, max_y = query.bbox
            left, bottom, right, top = self.bounds.T
            no_geometry = np.isnan(left)
            near = np.flatnonzero(
                ~no_geometry & (right >= min_x) & (left <= max_x) & (top >= min_y) & (bottom <= max_y)
            )
            exact = near[shapely.intersects(self.geometries[near], box(*query.bbox))]
            features = [features[i] for i in np.union1d(exact, np.flatnonzero(no_geometry))]
        if query.datetime is not None:
            features = [
                f
                for f in features
                if not f.source.dates or any(query.datetime.overlaps(a, b) for a, b in f.source.dates)
            ]
        return features


def _snapshot(version: int, features: list[Feature]) -> Snapshot:
    geometries = [shape(f.geojson["geometry"]) if f.geojson["geometry"] else None for f in features]
    cached = [CachedFeature(str(f.geojson["id"]), dumps(f.geojson), f) for f in features]
    bounds = np.array(
        [g.bounds if g is not None else (np.nan,) * 4 for g in geometries], dtype=float
    ).reshape(-1, 4)
    return Snapshot(
        version,
        time.monotonic(),
        cached,
        {f.id: f for f in cached},
        bounds,
        np.array(geometries, dtype=object),
    )


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as every OGC response here is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def data_version(session: Session) -> int:
    """The newest change-log id: it moves with every committed write (an index lookup, not a scan)."""
    return session.exec(select(func.max(ChangeLog.id))).one() or 0


class FeatureCache:
    """Snapshots per (collection, filters, demo mode), least recently used dropped first; thread-safe."""

    def __init__(self) -> None:
        self._snapshots: OrderedDict[tuple, Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def snapshot(
        self, session: Session, collection: Collection, filters: dict[str, str], demo: bool
    ) -> Snapshot:
        """The snapshot for the current data version; after a write the first request rebuilds it.

        While the version is unchanged an old snapshot is rebuilt by one request only, the others keep
        being served from it meanwhile; after a change every request waits for the new one, so a write
        is visible to the very next read.
        """
        version = data_version(session)
        key = (collection.id, tuple(sorted(filters.items())), demo)
        with self._lock:
            found = self._snapshots.get(key)
            builder = self._building.setdefault(key, threading.Lock())
        current = found is not None and found.version == version
        if current and time.monotonic() - found.built_at <= MAX_AGE_S:
            return found
        if not builder.acquire(blocking=not current):
            return found  # an old snapshot of this same version, while another request renews it
        try:
            with self._lock:
                latest = self._snapshots.get(key)
            if latest is not None and latest.version == version and latest is not found:
                return latest  # built by the request this one waited for
            built = _snapshot(version, collection.features(session, filters, demo))
            with self._lock:
                self._snapshots[key] = built
                self._snapshots.move_to_end(key)
                while len(self._snapshots) > MAX_SNAPSHOTS:
                    self._snapshots.popitem(last=False)
            return built
        finally:
            builder.release()
