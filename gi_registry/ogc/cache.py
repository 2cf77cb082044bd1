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

from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import func
from sqlmodel import Session, select

from gi_registry.history.models import ChangeLog
from gi_registry.ogc.collections import Collection, Feature
from gi_registry.ogc.params import ItemsQuery

MAX_AGE_S = 300.0
MAX_SNAPSHOTS = 32


@dataclass(frozen=True)
class CachedFeature:
    """One feature as JSON bytes, with what filtering needs: its geometry, bounds and date spans."""

    id: str
    body: bytes
    geometry: BaseGeometry | None
    bounds: tuple[float, float, float, float] | None
    source: Feature

    def matches(self, query: ItemsQuery) -> bool:
        """The items filters; features with no geometry (or no date) are not excluded by that filter."""
        if query.bbox is not None and self.geometry is not None:
            min_x, min_y, max_x, max_y = query.bbox
            left, bottom, right, top = self.bounds
            if right < min_x or left > max_x or top < min_y or bottom > max_y:
                return False
            if not self.geometry.intersects(box(*query.bbox)):
                return False
        if query.datetime is not None and self.source.dates:
            return any(query.datetime.overlaps(start, end) for start, end in self.source.dates)
        return True


@dataclass(frozen=True)
class Snapshot:
    """Every feature of one collection and filter set at one data version."""

    version: int
    built_at: float
    features: list[CachedFeature]
    by_id: dict[str, CachedFeature]


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as every OGC response here is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def data_version(session: Session) -> int:
    """The newest change-log id: it moves with every committed write (an index lookup, not a scan)."""
    return session.exec(select(func.max(ChangeLog.id))).one() or 0


def _cached(feature: Feature) -> CachedFeature:
    geometry = shape(feature.geojson["geometry"]) if feature.geojson["geometry"] else None
    return CachedFeature(
        id=str(feature.geojson["id"]),
        body=dumps(feature.geojson),
        geometry=geometry,
        bounds=geometry.bounds if geometry is not None else None,
        source=feature,
    )


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
            features = [_cached(f) for f in collection.features(session, filters, demo)]
            built = Snapshot(version, time.monotonic(), features, {f.id: f for f in features})
            with self._lock:
                self._snapshots[key] = built
                self._snapshots.move_to_end(key)
                while len(self._snapshots) > MAX_SNAPSHOTS:
                    self._snapshots.popitem(last=False)
            return built
        finally:
            builder.release()
