"""Features of a collection per data version, held as prebuilt JSON bytes in memory.

The layer store (`gi_registry.layers`) keeps every feature drawn and serialised in the database; a
snapshot is that layer's rows for one filter set, read once per data version, so serving a page is
slicing a list and joining bytes. `bbox` goes to the database's spatial index (PostGIS `ST_Intersects`,
or SQLite's indexed bbox columns refined exactly); `datetime` is tested on the snapshot's date spans.
Snapshots are also renewed after `MAX_AGE_S`, which rechecks the latest changes on PostgreSQL (where
a write can become visible after a higher change-log id).
"""

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from sqlmodel import Session

from gi_registry.history.service import data_version
from gi_registry.layers import store
from gi_registry.layers.definitions import Layer
from gi_registry.layers.store import StoredFeature
from gi_registry.ogc.params import ItemsQuery

MAX_AGE_S = 300.0
MAX_SNAPSHOTS = 32
MAX_BOXES = 256

__all__ = ["MAX_AGE_S", "FeatureCache", "Snapshot", "data_version", "dumps"]


@dataclass(frozen=True)
class Snapshot:
    """Every feature of one layer and filter set at one data version."""

    layer: Layer
    version: int
    built_at: float
    features: list[StoredFeature]
    by_id: dict[str, StoredFeature]
    position_of: dict[str, int]
    without_geometry: np.ndarray  # positions of the features with no geometry
    # Positions matching a bbox, per bbox asked at this version: map clients ask the same views often.
    boxes: OrderedDict = field(default_factory=OrderedDict, compare=False)
    boxes_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    def _in_bbox(self, session: Session, bbox: tuple[float, float, float, float]) -> np.ndarray:
        with self.boxes_lock:
            found = self.boxes.get(bbox)
            if found is not None:
                self.boxes.move_to_end(bbox)
                return found
        hits = store.ids_in_bbox(session, self.layer, bbox)
        # The database may already hold a newer write than this snapshot: keep what it knows.
        positions = np.fromiter((self.position_of[i] for i in hits if i in self.position_of), dtype=int)
        found = np.union1d(positions, self.without_geometry)
        with self.boxes_lock:
            self.boxes[bbox] = found
            while len(self.boxes) > MAX_BOXES:
                self.boxes.popitem(last=False)
        return found

    def matching(self, session: Session, query: ItemsQuery) -> list[StoredFeature]:
        """Features passing the bbox and datetime filters, in collection order.

        Features with no geometry (or no date) are not excluded by that filter.
        """
        features = self.features
        if query.bbox is not None and features:
            features = [features[i] for i in self._in_bbox(session, query.bbox)]
        if query.datetime is not None:
            features = [
                f for f in features if not f.spans or any(query.datetime.overlaps(a, b) for a, b in f.spans)
            ]
        return features


def _snapshot(layer: Layer, version: int, features: list[StoredFeature]) -> Snapshot:
    return Snapshot(
        layer,
        version,
        time.monotonic(),
        features,
        {f.id: f for f in features},
        {f.id: position for position, f in enumerate(features)},
        np.array([i for i, f in enumerate(features) if not f.has_geometry], dtype=int),
    )


def dumps(value: object) -> bytes:
    """Compact UTF-8 JSON, as every OGC response here is written."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class FeatureCache:
    """Snapshots per (layer, filters, demo mode), least recently used dropped first; thread-safe."""

    def __init__(self) -> None:
        self._snapshots: OrderedDict[tuple, Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[tuple, threading.Lock] = {}

    def snapshot(self, session: Session, layer: Layer, filters: dict[str, str], demo: bool) -> Snapshot:
        """The snapshot for the current data version; after a write the first request rebuilds it.

        While the version is unchanged an old snapshot is rebuilt by one request only, the others keep
        being served from it meanwhile; after a change every request waits for the new one, so a write
        is visible to the very next read.
        """
        version = data_version(session)
        key = (layer.id, tuple(sorted(filters.items())), demo)
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
            store.ensure_current(session, layer, version, recheck=current)
            built = _snapshot(layer, version, store.features(session, layer, filters, include_synthetic=demo))
            with self._lock:
                self._snapshots[key] = built
                self._snapshots.move_to_end(key)
                while len(self._snapshots) > MAX_SNAPSHOTS:
                    self._snapshots.popitem(last=False)
            return built
        finally:
            builder.release()
