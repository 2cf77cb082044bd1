"""The exported tables: the collection registry's exported collections, each read as GeoJSON features.

A stored collection is read from its layer (drawn by the one builder OGC and the maps use), flattened
by its `table_row` where it has one; a table-only collection is built whole by its `rows`.
"""

import json

from sqlmodel import Session

from gi_registry.layers import store
from gi_registry.layers.collections import Collection


def features(session: Session, collection: Collection) -> list[dict]:
    """Every exported feature of `collection` (geometry may be null), in collection order."""
    if collection.layer is None:
        assert collection.rows is not None  # the registry gives every collection one builder
        return collection.rows(session)
    stored = store.current_features(session, collection.layer)
    if collection.table_row is None:
        return [json.loads(f.body) for f in stored]
    return [collection.table_row(json.loads(f.body), f.spans) for f in stored]
