"""GI products and counties as GeoJSON features: the builders of the indications and counties layers.

Each builder takes its data from the domain services, so every interface shows the same facts. The
producers layer is drawn by `producers.service.producer_features`, the production areas by
`indications.areas.production_area_eras`; `gi_registry.layers.collections` lists which builder feeds
which collection.
"""

from collections import defaultdict

import shapely
from sqlmodel import Session

from gi_registry.geo import service as geo_service
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.indications.models import Category, ProtectionKind


def indication_features(
    session: Session,
    filters: dict[str, str] | None = None,
    indication_ids: list[int] | None = None,
    *,
    shapes: bool = False,
) -> list[dict]:
    """One GeoJSON feature per GI (all, or those in `indication_ids`): the union of its drawable
    production areas, or null geometry; with `shapes`, the geometry is left a shapely object."""
    filters = filters or {}
    county_filter = filters.get("county")
    summaries = indications_service.indication_summaries(
        session,
        indications_service.IndicationFilter(
            kind=ProtectionKind(filters["kind"]) if "kind" in filters else None,
            category=Category(filters["category"]) if "category" in filters else None,
            county_codes=(county_filter, "430600") if county_filter else (),
        ),
        indication_ids,
    )
    areas: dict[int, list] = defaultdict(list)
    bases: dict[int, set[str]] = defaultdict(set)
    # Every product: no id list (10,000 bound parameters would be slower, and past SQLite's limit).
    wanted = None if indication_ids is None and not filters else [s.id for s in summaries]
    for feature in production_area_features(session, indication_ids=wanted, shapes=True)["features"]:
        props = feature["properties"]
        if feature["geometry"] is not None:  # None: the sources' places and range do not overlap
            areas[props["indication_id"]].append(feature["geometry"])
        bases[props["indication_id"]].add(props["basis"])
    result = []
    for gi in summaries:
        geometry = shapely.union_all(areas[gi.id]) if areas[gi.id] else None
        result.append(
            {
                "type": "Feature",
                "id": gi.slug,
                "geometry": geometry if shapes or geometry is None else geometry.__geo_interface__,
                "properties": {
                    "slug": gi.slug,
                    "name_zh": gi.name_zh,
                    "name_pinyin": gi.name_pinyin,
                    "name_en": gi.name_en,
                    "category": gi.category.value,
                    "kinds": ",".join(sorted({kind.value for kind, *_ in gi.protections})),
                    "numbers": ",".join(number for _, number, *_ in gi.protections if number) or None,
                    "confidence": gi.confidence.value if gi.confidence else None,
                    "counties": ",".join(gi.county_codes),
                    "area_basis": ",".join(sorted(bases[gi.id])) or None,
                    "registration_dates": ",".join(day for _, _, day, _ in gi.protections if day) or None,
                },
            }
        )
    return result


def county_features(session: Session, filters: dict[str, str] | None = None) -> list[dict]:  # noqa: ARG001
    """The county polygons as GeoJSON features."""
    return geo_service.county_feature_collection(session)["features"]
