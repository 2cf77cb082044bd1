"""The published layers: how each one's features are drawn, and which records a change touches.

A layer is rebuilt per owner (the GI or producer a feature is drawn from): the change log says which
records changed since the layer was last current, and `owners` maps those to owner ids. A change the
mapping cannot place (a deleted row, a bulk load, a township layer) rebuilds the whole layer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session, select

from gi_registry.core.dates import date_span
from gi_registry.geo.models import BoundaryVersion, ProductionArea
from gi_registry.indications import areas
from gi_registry.indications.models import Indication, Protection
from gi_registry.layers import catalog
from gi_registry.producers import service as producers_service
from gi_registry.producers.models import ProducerLink
from gi_registry.sources.models import EntityType

CITY_CODE = "430600"  # a GI of the whole city is in every county


@dataclass(frozen=True)
class Drawn:
    """One feature ready to store: the GeoJSON (geometry still a shapely object) and its index fields."""

    owner_id: int
    position: int
    feature: dict
    geometry: BaseGeometry | None
    filters: tuple[str, ...] = ()
    spans: tuple[tuple[date, date], ...] = ()
    synthetic: bool = False


Owners = Callable[[Session, list[int]], set[int] | None]


@dataclass(frozen=True)
class Layer:
    """A layer: its id, how to draw all or some owners' features, and how changes map to owners."""

    id: str
    draw: Callable[[Session, list[int] | None], list[Drawn]]
    owners: dict[str, Owners]
    hides_synthetic: bool = False
    # A filter value matches features carrying any of these tokens (a county also matches city-wide GIs).
    alternatives: dict[str, Callable[[str], list[str]]] = field(default_factory=dict)

    def tokens(self, name: str, value: str) -> list[str]:
        """The stored tokens that satisfy `name=value`."""
        expand = self.alternatives.get(name)
        values = expand(value) if expand else [value]
        return [f"{name}={v}" for v in values]


def _spans(days: str | None) -> tuple[tuple[date, date], ...]:
    """The day spans of 'YYYY[-MM[-DD]],…' (a year spans the whole year)."""
    return tuple(span for span in (date_span(d) for d in (days or "").split(",") if d) if span)


def _draw_indications(session: Session, owners: list[int] | None) -> list[Drawn]:
    features = catalog.indication_features(session, {}, owners, shapes=True)
    slugs = select(Indication.slug, Indication.id)
    if owners is not None:
        slugs = slugs.where(Indication.id.in_(owners))
    ids = dict(session.exec(slugs).all())
    drawn = []
    for feature in features:
        props = feature["properties"]
        counties = [c for c in (props["counties"] or "").split(",") if c]
        kinds = [k for k in (props["kinds"] or "").split(",") if k]
        drawn.append(
            Drawn(
                owner_id=ids[props["slug"]],
                position=0,
                feature=feature,
                geometry=feature["geometry"],
                filters=(
                    *(f"kind={k}" for k in kinds),
                    f"category={props['category']}",
                    *(f"county={c}" for c in counties),
                ),
                spans=_spans(props["registration_dates"]),
            )
        )
    return drawn


def _draw_producers(session: Session, owners: list[int] | None) -> list[Drawn]:
    features = producers_service.producer_features(session, include_synthetic=True, producer_ids=owners)
    located = [i for i, f in enumerate(features) if f["geometry"]]
    points: list[BaseGeometry | None] = [None] * len(features)
    if located:  # made all at once: one Point at a time costs seconds for 100,000 producers
        coordinates = [features[i]["geometry"]["coordinates"] for i in located]
        for i, point in zip(located, shapely.points(coordinates).tolist(), strict=True):
            points[i] = point
    return [
        Drawn(
            owner_id=feature["id"],
            position=0,
            feature=feature,
            geometry=points[i],
            filters=(f"county={feature['properties']['county_code']}",),
            synthetic=feature["properties"]["synthetic"],
        )
        for i, feature in enumerate(features)
    ]


def _draw_production_areas(session: Session, owners: list[int] | None) -> list[Drawn]:
    drawn = []
    for position, (feature, start, end) in enumerate(
        areas.production_area_eras(session, owners, shapes=True)
    ):
        drawn.append(
            Drawn(
                owner_id=feature["properties"]["indication_id"],
                position=position,
                feature=feature,
                geometry=feature["geometry"],
                spans=((start, end),),
            )
        )
    return drawn


def _draw_counties(session: Session, _owners: list[int] | None) -> list[Drawn]:
    return [
        Drawn(owner_id=0, position=position, feature=feature, geometry=shape(feature["geometry"]))
        for position, feature in enumerate(catalog.county_features(session))
    ]


def _same(_session: Session, ids: list[int]) -> set[int]:
    return set(ids)


def _lookup(column, key) -> Owners:  # noqa: ANN001 - SQLAlchemy columns
    """Owners found through another table; None (rebuild all) when a changed row no longer exists."""

    def owners(session: Session, ids: list[int]) -> set[int] | None:
        rows = session.exec(select(key, column).where(key.in_(ids))).all()
        if len(rows) < len(set(ids)) or any(owner is None for _, owner in rows):
            return None
        return {owner for _, owner in rows}

    return owners


def _via_protection(protection_ids: Owners) -> Owners:
    def owners(session: Session, ids: list[int]) -> set[int] | None:
        found = protection_ids(session, ids)
        if found is None:
            return None
        return _lookup(Protection.indication_id, Protection.id)(session, sorted(found))

    return owners


_INDICATION_OWNERS: dict[str, Owners] = {
    EntityType.indication.value: _same,
    EntityType.protection.value: _lookup(Protection.indication_id, Protection.id),
    EntityType.production_area.value: _via_protection(
        _lookup(ProductionArea.protection_id, ProductionArea.id)
    ),
    # A township layer (no protection) changes the drawing of many areas: rebuild all.
    EntityType.boundary_version.value: _via_protection(
        _lookup(BoundaryVersion.protection_id, BoundaryVersion.id)
    ),
    EntityType.admin_area.value: lambda _session, _ids: None,
}

# The stored layers; the collection registry (`gi_registry.layers.collections`) says what each publishes.
INDICATIONS = Layer(
    "indications",
    _draw_indications,
    _INDICATION_OWNERS,
    alternatives={"county": lambda code: [code, CITY_CODE]},
)
PRODUCERS = Layer(
    "producers",
    _draw_producers,
    {
        EntityType.producer.value: _same,
        EntityType.producer_link.value: _lookup(ProducerLink.producer_id, ProducerLink.id),
    },
    hides_synthetic=True,
)
PRODUCTION_AREAS = Layer("production_areas", _draw_production_areas, _INDICATION_OWNERS)
COUNTIES = Layer("counties", _draw_counties, {EntityType.admin_area.value: lambda _session, _ids: None})


def owners_changed(session: Session, layer: Layer, changes: Iterable[tuple[str, str]]) -> set[int] | None:
    """Owner ids whose features `changes` (entity type, entity id) may alter; None: rebuild the layer."""
    by_type: dict[str, list[int]] = {}
    for entity_type, entity_id in changes:
        if entity_type not in layer.owners:
            continue
        if not entity_id.isascii() or not entity_id.isdigit():
            return None  # a bulk load ("seed-1") or a code-keyed record
        by_type.setdefault(entity_type, []).append(int(entity_id))
    owners: set[int] = set()
    for entity_type, ids in by_type.items():
        found = layer.owners[entity_type](session, sorted(set(ids)))
        if found is None:
            return None
        owners |= found
    return owners
