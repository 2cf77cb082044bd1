"""Features of a collection at one data version, held as prebuilt JSON bytes (in the app's cache).

The layer store (`gi_registry.layers`) keeps every feature drawn and serialised in the database; a
snapshot is that layer's rows for one filter set, read once per data version (`gi_registry.core.cache`), so
serving a page is slicing a list and joining bytes. `bbox` goes to the database's spatial index (PostGIS
`ST_Intersects`, or SQLite's indexed bbox columns refined exactly); `datetime` is tested on the
snapshot's date spans.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from sqlmodel import Session

from gi_registry.layers import store
from gi_registry.layers.definitions import Layer
from gi_registry.layers.store import StoredFeature
from gi_registry.ogc.params import ItemsQuery

MAX_BOXES = 256

__all__ = ["Snapshot", "build_snapshot"]


@dataclass(frozen=True)
class Snapshot:
    """Every feature of one layer and filter set at one data version."""

    layer: Layer
    version: int
    features: list[StoredFeature]
    by_id: dict[str, StoredFeature]
    position_of: dict[str, int]
    without_geometry: np.ndarray  # positions of the features with no geometry
    # Positions matching a bbox, per bbox asked at this version: map clients ask the same views often.
    boxes: OrderedDict = field(default_factory=OrderedDict, compare=False)
    boxes_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    @property
    def size(self) -> int:
        """Roughly the memory it takes: its features' bytes, and as much again for the objects."""
        return 2 * sum(len(f.body) for f in self.features)

    def _in_bbox(self, session: Session | None, bbox: tuple[float, float, float, float]) -> np.ndarray:
        with self.boxes_lock:
            found = self.boxes.get(bbox)
            if found is not None:
                self.boxes.move_to_end(bbox)
                return found
        if session is None:
            raise LookupError("an unknown bbox needs the database")
        hits = store.ids_in_bbox(session, self.layer, bbox)
        # The database may already hold a newer write than this snapshot: keep what it knows.
        positions = np.fromiter((self.position_of[i] for i in hits if i in self.position_of), dtype=int)
        found = np.union1d(positions, self.without_geometry)
        with self.boxes_lock:
            self.boxes[bbox] = found
            while len(self.boxes) > MAX_BOXES:
                self.boxes.popitem(last=False)
        return found

    def matching(self, session: Session | None, query: ItemsQuery) -> list[StoredFeature]:
        """Features passing the bbox and datetime filters, in collection order.

        Features with no geometry (or no date) are not excluded by that filter. Without a session, only
        a bbox already asked at this version can be answered.
        """
        features = self.features
        if query.bbox is not None and features:
            features = [features[i] for i in self._in_bbox(session, query.bbox)]
        if query.datetime is not None:
            features = [
                f for f in features if not f.spans or any(query.datetime.overlaps(a, b) for a, b in f.spans)
            ]
        return features


def build_snapshot(
    session: Session, layer: Layer, version: int, filters: dict[str, str], demo: bool
) -> Snapshot:
    """The layer's features for `filters` as of now (at least data version `version`).

    The layer store is brought up to its newest change first, looking back over the latest changes too
    (`recheck`): a write can commit after one with a higher change-log id was already drawn, and the
    data version moving is what tells that some commit happened since.
    """
    store.ensure_current(session, layer, store.data_version(session), recheck=True)
    features = store.features(session, layer, filters, include_synthetic=demo)
    return Snapshot(
        layer,
        version,
        features,
        {f.id: f for f in features},
        {f.id: position for position, f in enumerate(features)},
        np.array([i for i, f in enumerate(features) if not f.has_geometry], dtype=int),
    )
