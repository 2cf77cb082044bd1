"""The registry's public tables as GeoJSON features, built once for the OGC API, the exports and tools.

Each builder takes its data from the domain services, so every interface shows the same facts.
"""

from collections import defaultdict
from datetime import date

import shapely
from shapely.geometry import shape
from sqlmodel import Session, select

from gi_registry.geo import service as geo_service
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.indications.models import Category, ProtectionKind
from gi_registry.producers.models import Producer, ProducerLink


def indication_features(session: Session, filters: dict[str, str] | None = None) -> list[dict]:
    """One GeoJSON feature per GI: the union of its drawable production areas, or null geometry."""
    filters = filters or {}
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
        result.append(
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
            }
        )
    return result


def producer_features(
    session: Session, filters: dict[str, str] | None = None, *, include_synthetic: bool = False
) -> list[dict]:
    """One GeoJSON feature per producer: a point where its location is known; public fields only."""
    filters = filters or {}
    query = select(Producer).order_by(Producer.id)
    if not include_synthetic:
        query = query.where(Producer.synthetic == False)  # noqa: E712 - SQL expression
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
    return features


def county_features(session: Session, filters: dict[str, str] | None = None) -> list[dict]:  # noqa: ARG001
    """The county polygons as GeoJSON features."""
    return geo_service.county_feature_collection(session)["features"]
