"""Keeping the layers' stored features current, and querying them; only the spatial parts vary by dialect.

Every write goes through the change log in its own transaction, so the newest change-log id versions
the registry. A layer is current when its state holds that id; otherwise `refresh` redraws the owners
the intervening changes touch (or the whole layer) and moves the state, in one transaction. Two
processes refreshing at once are settled by the state row: the second one's conditional update finds
the version already moved and gives way.
"""

import json
import time
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import orjson
import shapely
from geoalchemy2.elements import WKBElement
from shapely.geometry import box
from sqlalchemy import and_, delete, func, or_, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, select

from gi_registry.history.models import ChangeLog, utcnow
from gi_registry.history.service import data_version
from gi_registry.layers.collections import LAYERS
from gi_registry.layers.definitions import Drawn, Layer, owners_changed
from gi_registry.layers.models import SQLITE_RTREE, LayerFeature, LayerState

# Past this many changes since the last refresh, redrawing everything is cheaper than resolving them.
INCREMENTAL_LIMIT = 5_000
INSERT_CHUNK = 2_000
# PostgreSQL hands out change-log ids before commit, so a write can become visible after a higher id
# did. Each refresh there also looks at the ids below the last version that were written shortly
# before that refresh (in flight then). Bulk writes (loads, imports, synth), whose transactions run
# longer, end with `redraw_all`.
POSTGRES_LOOKBACK_IDS = 1_000
IN_FLIGHT = timedelta(seconds=10)  # the registry's own write transactions take milliseconds
ATTEMPTS = 5


def dumps(value: object) -> str:
    """Compact JSON, as every feature is served (orjson: a national layer has 100,000 of them)."""
    return orjson.dumps(value).decode()


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _read_only(session: Session) -> bool:
    """Whether this is a PostgreSQL standby (hot_standby), where nothing can be written."""
    if not _is_postgres(session):
        return False
    return bool(session.connection().execute(text("SELECT pg_is_in_recovery()")).scalar())


def _span_text(spans: tuple[tuple[date, date], ...]) -> str | None:
    return ",".join(f"{a.isoformat()}/{b.isoformat()}" for a, b in spans) or None


def _rows(layer: str, drawn: list[Drawn], postgres: bool) -> list[dict]:
    """Table rows for drawn features; bounds and WKB are computed for all geometries at once."""
    geometries = np.array([d.geometry for d in drawn], dtype=object)
    bounds = shapely.bounds(geometries).tolist() if drawn else []  # NaN where there is no geometry
    wkbs = shapely.to_wkb(geometries).tolist() if drawn else []
    rows = []
    for item, box_, wkb in zip(drawn, bounds, wkbs, strict=True):
        feature = item.feature
        if not isinstance(feature["geometry"], dict | None):  # still a shapely object
            feature = {**feature, "geometry": item.geometry.__geo_interface__}
        has_geometry = wkb is not None
        rows.append(
            {
                "layer": layer,
                "feature_id": str(feature["id"]),
                "owner_id": item.owner_id,
                "position": item.position,
                "body": dumps(feature),
                "filters": " " + " ".join(item.filters) + " ",
                "spans": _span_text(item.spans),
                "synthetic": item.synthetic,
                "min_x": box_[0] if has_geometry else None,
                "min_y": box_[1] if has_geometry else None,
                "max_x": box_[2] if has_geometry else None,
                "max_y": box_[3] if has_geometry else None,
                "geometry": (WKBElement(wkb, srid=4326) if postgres else wkb) if has_geometry else None,
            }
        )
    return rows


def _changed_owners(session: Session, layer: Layer, state: LayerState, until: int) -> set[int] | None:
    window = and_(ChangeLog.id > state.version, ChangeLog.id <= until)
    if _is_postgres(session):
        in_flight = and_(
            ChangeLog.id > state.version - POSTGRES_LOOKBACK_IDS,
            ChangeLog.id <= state.version,
            ChangeLog.at >= state.refreshed_at - IN_FLIGHT,
        )
        window = or_(window, in_flight)
    changes = session.exec(
        select(ChangeLog.entity_type, ChangeLog.entity_id).where(window).limit(INCREMENTAL_LIMIT + 1)
    ).all()
    if len(changes) > INCREMENTAL_LIMIT:
        return None
    return owners_changed(session, layer, changes)


def refresh(
    session: Session, layer: Layer, version: int | None = None, *, recheck: bool = False, full: bool = False
) -> bool:
    """Bring `layer` up to `version` (default: the newest change); whether this call wrote anything.

    `recheck` looks back over the latest changes even when the layer is current, for writes that
    PostgreSQL made visible after a higher id (a periodic safety net; nothing to do on SQLite). `full`
    redraws everything (after bulk writes). Commits on success; on a lost race (another process
    refreshed first) rolls back and leaves the other's result, which is at least as new.
    """
    version = data_version(session) if version is None else version
    state = session.get(LayerState, layer.id)
    old = state.version if state is not None else None
    behind = old is None or old < version
    if not (behind or full or (recheck and old and _is_postgres(session))):
        return False
    owners = None if full or not old else _changed_owners(session, layer, state, version)
    if not behind and not full and owners == set():
        return False  # a recheck that found nothing to redraw
    drawn = [] if owners == set() else layer.draw(session, None if owners is None else sorted(owners))
    version = max(version, old or 0)
    postgres = _is_postgres(session)
    try:
        if old is None:
            session.add(LayerState(layer=layer.id, version=version, refreshed_at=utcnow()))
            session.flush()
        else:
            moved = session.connection().execute(
                update(LayerState)
                .where(LayerState.layer == layer.id, LayerState.version == old)
                .values(version=version, refreshed_at=utcnow())
            )
            if moved.rowcount != 1:
                session.rollback()
                return False
        doomed = delete(LayerFeature).where(LayerFeature.layer == layer.id)
        if owners is not None:
            doomed = doomed.where(LayerFeature.owner_id.in_(sorted(owners)))
        session.connection().execute(doomed)
        rows = _rows(layer.id, drawn, postgres)
        table = LayerFeature.__table__
        for start in range(0, len(rows), INSERT_CHUNK):
            session.connection().execute(table.insert(), rows[start : start + INSERT_CHUNK])
        session.commit()
    except (IntegrityError, DBAPIError):
        # Another process refreshed this layer at the same moment (or holds SQLite's write lock):
        # its rows stand, and the next request finds the layer current.
        session.rollback()
        return False
    return True


def ensure_current(session: Session, layer: Layer, version: int, *, recheck: bool = False) -> None:
    """Refresh `layer` up to `version`; after a lost race, wait for the process that won it.

    Gives up after a few tries (the other process may have died mid-refresh, or hold SQLite's write
    lock for long): the stored rows are then served as they are, and the next request tries again.
    """
    if _read_only(session):
        return  # a replica: its rows are the primary's, refreshed there at write time
    for attempt in range(ATTEMPTS):
        if refresh(session, layer, version, recheck=recheck and attempt == 0):
            return
        session.rollback()  # end the read transaction, so the next look sees the other's commit
        state = session.get(LayerState, layer.id)
        if state is not None and state.version >= version:
            return
        time.sleep(0.05 * (attempt + 1))


def redraw_all(session: Session, layer_ids: tuple[str, ...] | None = None) -> list[str]:
    """Redraw every layer (or those in `layer_ids`) from scratch, after a bulk write (a load, an
    import, a synthetic set).

    A long transaction can commit after a shorter one with higher change-log ids was already taken
    into a layer; redrawing everything then is the one way nothing it wrote is missed.
    """
    version = data_version(session)
    chosen = {i: LAYERS[i] for i in layer_ids} if layer_ids is not None else LAYERS
    return [layer_id for layer_id, layer in chosen.items() if refresh(session, layer, version, full=True)]


@dataclass(frozen=True)
class StoredFeature:
    """A stored feature as a snapshot holds it."""

    id: str
    body: bytes
    has_geometry: bool
    spans: tuple[tuple[date, date], ...]


def _parse_spans(text: str | None) -> tuple[tuple[date, date], ...]:
    if not text:
        return ()
    spans = []
    for span in text.split(","):
        start, end = span.split("/")
        spans.append((date.fromisoformat(start), date.fromisoformat(end)))
    return tuple(spans)


def features(
    session: Session, layer: Layer, filters: dict[str, str], *, include_synthetic: bool
) -> list[StoredFeature]:
    """The layer's features matching the property `filters`, in layer order."""
    query = select(LayerFeature.feature_id, LayerFeature.body, LayerFeature.min_x, LayerFeature.spans).where(
        LayerFeature.layer == layer.id
    )
    for name, value in sorted(filters.items()):
        query = query.where(
            or_(
                *(
                    LayerFeature.filters.contains(f" {token} ", autoescape=True)
                    for token in layer.tokens(name, value)
                )
            )
        )
    if layer.hides_synthetic and not include_synthetic:
        query = query.where(LayerFeature.synthetic == False)  # noqa: E712 - SQL expression
    rows = session.exec(query.order_by(LayerFeature.owner_id, LayerFeature.position)).all()
    return [
        StoredFeature(feature_id, body.encode(), min_x is not None, _parse_spans(spans))
        for feature_id, body, min_x, spans in rows
    ]


def ids_in_bbox(session: Session, layer: Layer, bbox: tuple[float, float, float, float]) -> set[str]:
    """Ids of the layer's features whose geometry intersects `bbox` (lon/lat, WGS84).

    PostGIS answers with `ST_Intersects` on the GIST-indexed geometry; on SQLite the R*Tree prefilters
    and shapely decides exactly on the candidates left.
    """
    min_x, min_y, max_x, max_y = bbox
    query = select(LayerFeature.feature_id).where(LayerFeature.layer == layer.id)
    if _is_postgres(session):
        envelope = func.ST_MakeEnvelope(min_x, min_y, max_x, max_y, 4326)
        query = query.where(func.ST_Intersects(LayerFeature.geometry, envelope))
        return set(session.exec(query).all())
    # CROSS JOIN makes SQLite start from the R*Tree; a plain join starts from the layer's index.
    query = text(
        f"SELECT f.feature_id, f.geometry FROM {SQLITE_RTREE} r CROSS JOIN layer_feature f ON f.id = r.id"
        " WHERE r.max_x >= :min_x AND r.min_x <= :max_x AND r.max_y >= :min_y AND r.min_y <= :max_y"
        " AND f.layer = :layer"
    ).bindparams(min_x=min_x, min_y=min_y, max_x=max_x, max_y=max_y, layer=layer.id)
    rows = session.connection().execute(query).all()
    if not rows:
        return set()
    geometries = shapely.from_wkb(np.array([wkb for _, wkb in rows], dtype=object))
    hits = shapely.intersects(geometries, box(*bbox))
    return {feature_id for (feature_id, _), hit in zip(rows, hits, strict=True) if hit}


def current_features(
    session: Session, layer: Layer, *, include_synthetic: bool = False
) -> list[StoredFeature]:
    """Every feature of the layer as of the newest change, refreshing the store first if needed."""
    ensure_current(session, layer, data_version(session))
    return features(session, layer, {}, include_synthetic=include_synthetic)


def feature_dicts(session: Session, layer: Layer, *, include_synthetic: bool = False) -> list[dict]:
    """The current features as GeoJSON dicts (for exports in other formats)."""
    return [json.loads(f.body) for f in current_features(session, layer, include_synthetic=include_synthetic)]


def collection_bytes(features: list[StoredFeature]) -> bytes:
    """A GeoJSON FeatureCollection of stored features, joined from their bytes, never re-serialised."""
    return b'{"type":"FeatureCollection","features":[' + b",".join(f.body for f in features) + b"]}"
