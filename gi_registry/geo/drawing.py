"""The one function that turns what the sources say about a production area into geometry.

Every map, the OGC `production_areas` and `indications` collections, the GeoJSON exports and the point
lookup draw an area through `draw_area`, so they can never disagree.

A production area is the intersection of what the sources say:

* the units they name: the polygons of the townships named when every one of them has a polygon on
  record; else the counties of those townships (and the counties named); else the whole city;
* clipped to the coordinate range the source prints, when it prints one. A range is the *extent* of an
  area the same source defines by places: never drawn as the area itself, only as a thin outline;
* a range with no place named is clipped to Yueyang, so nothing drawn from the sources leaves the city.

When the places and the range do not overlap, neither is drawn as the area: the drawing has no geometry
and carries a finding saying so (the same shape as the findings of an uploaded boundary). An uploaded
production-area polygon is the delimitation map itself and is drawn as uploaded (its differences with the
sources were reported when it was uploaded).
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from gi_registry.geo.checks import Finding
from gi_registry.geo.models import YUEYANG_CODE, PlaceLevel, ProductionAreaPublic


class AreaBasis(StrEnum):
    """How a production area is drawn, best evidence first; every map, feature and lookup says which."""

    uploaded_area = "uploaded_area"  # a polygon an official uploaded from the delimitation map
    township_polygons = "township_polygons"  # the polygons of the townships named
    township_polygons_in_range = "township_polygons_in_range"  # ... within the published range
    townships_in_range = "townships_in_range"  # the counties of the townships named, within the range
    counties_in_range = "counties_in_range"  # the counties named, within the range
    whole_city_in_range = "whole_city_in_range"  # Yueyang, within the range
    declared_range = "declared_range"  # a range and no place named: the range within Yueyang
    whole_city = "whole_city"  # the source names the whole of Yueyang
    counties = "counties"  # the source names whole counties
    townships = "townships"  # the source names townships without polygons: their counties
    range_disjoint = "range_disjoint"  # the places named and the range do not overlap: nothing drawn


# Drawings that trace a stated boundary; the others are the most the area can be (drawn dashed).
TRACED = frozenset(
    {AreaBasis.uploaded_area, AreaBasis.township_polygons, AreaBasis.township_polygons_in_range}
)

_IN_RANGE = {
    AreaBasis.township_polygons: AreaBasis.township_polygons_in_range,
    AreaBasis.townships: AreaBasis.townships_in_range,
    AreaBasis.counties: AreaBasis.counties_in_range,
    AreaBasis.whole_city: AreaBasis.whole_city_in_range,
}

# Below this share of the smaller of the two, the places and the range count as not overlapping (a
# shared edge, or a sliver from coordinates rounded to the second).
DISJOINT_SHARE = 1e-3


@dataclass
class Boundaries:
    """The administrative polygons a drawing may use, read once per request."""

    counties: dict[str, BaseGeometry]
    township_parents: dict[str, str]
    township_polygons: dict[str, BaseGeometry] = field(default_factory=dict)

    @cached_property
    def city(self) -> BaseGeometry:
        """Yueyang: the union of its counties, prepared for quick containment tests."""
        city = shapely.union_all(list(self.counties.values()))
        shapely.prepare(city)
        return city

    def __post_init__(self) -> None:
        for county in self.counties.values():
            shapely.prepare(county)  # containment tests against small areas are then cheap


@dataclass(frozen=True)
class AreaDrawing:
    """A drawn production area: its geometry (None when the sources disagree), how it was drawn, the
    counties it lies in, the published range as a rectangle (an outline, not the area) and findings."""

    geometry: BaseGeometry | None
    basis: AreaBasis
    county_codes: list[str]
    declared_range: BaseGeometry | None = None
    findings: list[Finding] = field(default_factory=list)


def _named_township_codes(area: ProductionAreaPublic) -> list[str] | None:
    """Codes of the townships the source names, or None when it names places no township polygon can draw."""
    levels = {p.level for p in area.places}
    if PlaceLevel.township not in levels or levels - {
        PlaceLevel.township,
        PlaceLevel.county,
        PlaceLevel.city,
    }:
        return None
    townships = [p for p in area.places if p.level == PlaceLevel.township]
    if any(p.code is None for p in townships):
        return None  # a township that matches no code: drawing the others would shrink the area
    return [p.code for p in townships]


def _named_units(
    area: ProductionAreaPublic, b: Boundaries
) -> tuple[BaseGeometry, AreaBasis, list[str]] | None:
    """The union of the units the source names at the finest level on record, its basis and its
    counties; None when it names nothing with a polygon."""
    named = _named_township_codes(area)
    if named and all(code in b.township_polygons for code in named):
        shape = shapely.union_all([b.township_polygons[c] for c in named])
        if b.counties and not shapely.covers(b.city, shape):
            # An uploaded township may reach a little past the city's edge (uploads are checked to lie
            # 95 % inside it): what the sources define stays within Yueyang.
            shape = _valid(shapely.intersection(shape, b.city))
        parents = sorted({b.township_parents[c] for c in named if c in b.township_parents})
        return shape, AreaBasis.township_polygons, parents
    codes = [p.code for p in area.places if p.code]
    if YUEYANG_CODE in codes:
        return (b.city, AreaBasis.whole_city, sorted(b.counties)) if b.counties else None
    county_codes = {c for c in codes if c in b.counties}
    basis = AreaBasis.counties
    if {p.level for p in area.places} - {PlaceLevel.county, PlaceLevel.city}:
        basis = AreaBasis.townships
        county_codes |= {b.township_parents[c] for c in codes if c in b.township_parents}
    county_codes &= set(b.counties)
    if not county_codes:
        return None
    chosen = sorted(county_codes)
    return shapely.union_all([b.counties[c] for c in chosen]), basis, chosen


def _clip(shape: BaseGeometry, declared: BaseGeometry) -> BaseGeometry | None:
    """`shape` within the rectangle `declared` (a published range), or None when they do not overlap
    beyond a shared edge or a sliver. Clipping by a rectangle, not a general overlay: at national scale
    ten thousand areas are drawn per request."""
    if shapely.contains_properly(shape, declared):  # `shape` first: a prepared city answers at once
        return declared
    if shapely.contains_properly(declared, shape):
        return shape
    clipped = _valid(shapely.clip_by_rect(shape, *declared.bounds))
    smaller = min(shape.area, declared.area)
    if clipped.is_empty or clipped.area <= DISJOINT_SHARE * smaller:
        return None
    return clipped


def _valid(geometry: BaseGeometry) -> BaseGeometry:
    return geometry if geometry.is_valid else shapely.make_valid(geometry)


def _counties_of(geometry: BaseGeometry, b: Boundaries, among: list[str] | None = None) -> list[str]:
    """The counties (of `among`, default all) a drawn geometry overlaps (more than a shared edge).

    Predicates only, on the prepared counties: no overlay, since ten thousand areas are drawn at national
    scale. Areas drawn from counties share their edges exactly with the neighbours, which touch only.
    """
    return sorted(
        code
        for code in (among if among is not None else b.counties)
        if shapely.intersects(b.counties[code], geometry) and not shapely.touches(b.counties[code], geometry)
    )


def _range_text(area: ProductionAreaPublic) -> str:
    if area.coordinate_range:
        return area.coordinate_range
    lon_min, lat_min, lon_max, lat_max = area.bbox or (0, 0, 0, 0)
    return f"E{lon_min:.4f}–{lon_max:.4f}, N{lat_min:.4f}–{lat_max:.4f}"


def _disjoint(area: ProductionAreaPublic, units: str) -> Finding:
    span = _range_text(area)
    return Finding(
        "range_disjoint_from_places",
        f"The coordinate range the source publishes ({span}) and the places it names ({units}) do not "
        "overlap: the area is not drawn until the sources are checked.",
        f"来源公布的坐标范围（{span}）与其所列地点（{units}）不重叠，产地范围暂不绘制，有待核实来源。",
        {"range": list(area.bbox or [])},
    )


def _unit_names(area: ProductionAreaPublic) -> str:
    return "、".join(p.name_zh for p in area.places if p.level != PlaceLevel.village) or "岳阳市"


def draw_area(
    area: ProductionAreaPublic, boundaries: Boundaries, *, uploaded: BaseGeometry | None = None
) -> AreaDrawing | None:
    """The production area as the sources define it (see the module's text), or None when they give
    nothing that can be placed on a map (no place with a code, no range)."""
    declared = box(*area.bbox) if area.bbox is not None else None
    if uploaded is not None:
        counties = _counties_of(uploaded, boundaries)
        return AreaDrawing(uploaded, AreaBasis.uploaded_area, counties, declared_range=declared)
    units = _named_units(area, boundaries)
    if declared is None:
        return None if units is None else AreaDrawing(*units)
    if units is None:
        if not boundaries.counties:
            return None
        clipped = _clip(boundaries.city, declared)
        if clipped is None:
            return AreaDrawing(None, AreaBasis.range_disjoint, [], declared, [_disjoint(area, "岳阳市")])
        counties = _counties_of(clipped, boundaries)
        return AreaDrawing(clipped, AreaBasis.declared_range, counties, declared_range=declared)
    shape, basis, codes = units
    clipped = _clip(shape, declared)
    if clipped is None:
        finding = _disjoint(area, _unit_names(area))
        return AreaDrawing(None, AreaBasis.range_disjoint, codes, declared, [finding])
    counties = _counties_of(clipped, boundaries, codes)
    return AreaDrawing(clipped, _IN_RANGE[basis], counties, declared_range=declared)
