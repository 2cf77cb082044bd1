"""The map layers by view, for registries too large to send whole: one answer per Web Mercator tile.

At national scale (10,000 GIs, 100,000 producers) the whole layers are ~18 MB of JSON; a map only
shows one view at one zoom. The browser asks for the slippy-map tiles covering its view
(`/maps/data/producers/{z}/{x}/{y}.json`, `/maps/data/areas/{z}/{x}/{y}.json`; the slippy-map grid, each
tile drawn 512 px wide, so at map zoom z + 1), so answers snap to a fixed grid and the cache hits
whoever looks at the same place.

- Producers: a tile with few producers (or at the deepest zooms) lists them as points; otherwise it
  counts them per grid cell, each cluster placed at its producers' mean position, and a cell holding
  one producer gives that producer as a point. Tiles are half-open (west/south edges in, east/north
  out), so every producer is counted in exactly one tile of a zoom.
- Areas: those whose extent meets the tile, simplified to about a pixel of that zoom and rounded to
  the digits a pixel needs. They are not clipped (a clipped outline would draw seams at tile edges):
  an area spanning tiles comes in each, and the browser draws it once. A tile meeting more than
  AREAS_AT_MOST areas (a national overview: 20,000 in view) gives instead one merged shape per drawing
  style, with the number of areas it stands for, as the producers give clusters.

Both come from the documents maps.data builds (the same service functions), indexed once per data
version in the app's cache.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import shape
from sqlmodel import Session, func, select

from gi_registry.geo.models import ProductionArea
from gi_registry.producers.models import Producer
from maps import data as maps_data
from maps import pixel_union

MAX_ZOOM = 18
# Tiles of 512 screen pixels (as vector tiles often are): a tile at zoom z is drawn at map zoom z + 1,
# so a view needs a quarter of the requests 256 px tiles would (at most 6 go in parallel over HTTP/1.1).
TILE_PX = 512
CELLS = 8  # clusters per tile side: one per 64 px, about a cluster icon's size
POINTS_AT_MOST = 200  # a tile with no more producers than this lists them all
POINTS_FROM_ZOOM = 14  # from here on (a few km per tile) every producer is a point
AREAS_AT_MOST = 300  # a tile with no more areas than this draws them one by one (else merged per style)
# A map's first view: its tiles are cut with the area index (area_index), from the tile zoom of the
# maps' widest view (minZoom 6 in maps.builders, 512 px tiles) while the view spans at most 3 x 3 tiles.
HOME_FROM_ZOOM = 5
HOME_TILES_AT_MOST = 9
MERCATOR_LAT = 85.05112878  # Web Mercator's edge


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a slippy-map tile, in degrees."""
    n = 2**z
    west, east = x / n * 360 - 180, (x + 1) / n * 360 - 180
    north = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
    south = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 1) / n))))
    return west, south, east, north


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The tile (x, y) holding a point at zoom z."""
    n = 2**z
    lat = max(-MERCATOR_LAT, min(MERCATOR_LAT, lat))
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    """Latitudes as Web Mercator y in [0, 1) from the north edge."""
    clipped = np.radians(np.clip(lat, -MERCATOR_LAT, MERCATOR_LAT))
    return (1 - np.arcsinh(np.tan(clipped)) / math.pi) / 2


def pixel_degrees(z: int) -> float:
    """Degrees of longitude per screen pixel at zoom z."""
    return 360 / (TILE_PX * 2**z)


def _decimals(z: int) -> int:
    """Digits after the point that still place a vertex within half a pixel at zoom z (at most 5, ~1 m)."""
    return min(maps_data.DECIMALS, max(1, math.ceil(-math.log10(pixel_degrees(z) / 2))))


@dataclass(frozen=True)
class ProducerIndex:
    """Located producers as columns, for masking by tile."""

    lon: np.ndarray
    lat: np.ndarray
    my: np.ndarray  # Mercator y, for grid cells square on screen
    rows: list[list]  # [id, lon, lat, name_zh, name_en] as maps.data gives them

    @property
    def size(self) -> int:
        """Rough memory, for the cache's bound."""
        return len(self.rows) * 160


def producer_index(document: dict) -> ProducerIndex:
    """Index `maps.data.producer_points`' document."""
    rows = document["rows"]
    lon = np.array([r[1] for r in rows], dtype=np.float64)
    lat = np.array([r[2] for r in rows], dtype=np.float64)
    return ProducerIndex(lon, lat, _mercator_y(lat), rows)


def producer_tile(index: ProducerIndex, z: int, x: int, y: int) -> dict:
    """One tile's producers: {"fields", "rows" (points), "clusters": [[lon, lat, count], ...]}."""
    n = 2**z
    west, _south, east, _north = tile_bounds(z, x, y)
    top, bottom = y / n, (y + 1) / n
    inside = np.flatnonzero(
        (index.lon >= west) & (index.lon < east) & (index.my >= top) & (index.my < bottom)
    )
    answer: dict = {"fields": list(maps_data.PRODUCER_FIELDS), "rows": [], "clusters": []}
    if len(inside) <= POINTS_AT_MOST or z >= POINTS_FROM_ZOOM:
        answer["rows"] = [index.rows[i] for i in inside]
        return answer
    # Cell of each producer on a CELLS x CELLS grid over the tile, square on screen.
    col = np.minimum(((index.lon[inside] - west) / (east - west) * CELLS).astype(np.int64), CELLS - 1)
    row = np.minimum(((index.my[inside] - top) * n * CELLS).astype(np.int64), CELLS - 1)
    cell = row * CELLS + col
    counts = np.bincount(cell, minlength=CELLS * CELLS)
    lon_sum = np.bincount(cell, weights=index.lon[inside], minlength=CELLS * CELLS)
    lat_sum = np.bincount(cell, weights=index.lat[inside], minlength=CELLS * CELLS)
    digits = _decimals(z)
    for c in np.flatnonzero(counts > 1):
        count = int(counts[c])
        answer["clusters"].append(
            [round(lon_sum[c] / count, digits), round(lat_sum[c] / count, digits), count]
        )
    alone = set(np.flatnonzero(counts == 1).tolist())
    answer["rows"] = [index.rows[i] for i, c in zip(inside, cell.tolist(), strict=True) if c in alone]
    return answer


@dataclass(frozen=True)
class AreaIndex:
    """Drawable production areas with a spatial index over their shapes."""

    features: list[dict]  # maps.data.area_shapes' features
    shapes: np.ndarray  # their shapely geometries
    tree: shapely.STRtree
    weight: int
    home: dict[tuple[int, int, int], dict] = field(default_factory=dict)  # tiles cut in advance

    @property
    def size(self) -> int:
        """Rough memory, for the cache's bound."""
        return self.weight


def home_tiles(bounds: maps_data.Bounds) -> list[tuple[int, int, int]]:
    """(z, x, y) of the tiles a map opened on `bounds` (west, south, east, north) may ask for first:
    every zoom from the map's widest (HOME_FROM_ZOOM) at which they span at most HOME_TILES_AT_MOST."""
    west, south, east, north = bounds
    tiles = []
    for z in range(HOME_FROM_ZOOM, MAX_ZOOM + 1):
        (x0, y0), (x1, y1) = tile_of(west, north, z), tile_of(east, south, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) > HOME_TILES_AT_MOST:
            break
        tiles += [(z, x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)]
    return tiles


def area_index(document: dict, home: maps_data.Bounds | None = None) -> AreaIndex:
    """Index `maps.data.area_shapes`' document; with `home` (a map's first view, as bounds), its tiles
    cut at once.

    Each worker cuts a tile the first time it is asked for it, and a merged tile over thousands of
    areas takes a few tenths of a second: a new visitor whose requests reach a worker that has not
    cut the first view's tiles yet would wait for them. Cutting them with the index, which each
    worker builds once per data version anyway, makes the first view ready on every worker.
    """
    features = document["features"]
    shapes = np.array([shape(f["geometry"]) for f in features], dtype=object)
    weight = sum(len(shapely.get_coordinates(s)) for s in shapes) * 48 + len(features) * 400
    index = AreaIndex(features, shapes, shapely.STRtree(shapes), weight)
    for tile in home_tiles(home) if home is not None else []:
        index.home[tile] = area_tile(index, *tile)
    return index


def map_area_index(session: Session, *, county_code: str | None = None) -> AreaIndex:
    """The index of the areas on the overview (or one county's map), its first view's tiles cut."""
    shapes = maps_data.area_shapes(session, county_code=county_code)
    return area_index(shapes, home=maps_data.home_bounds(session, county_code=county_code))


def _tile_pixels(z: int, x: int, y: int) -> tuple[pixel_union.Project, pixel_union.Project]:
    """Degrees to the tile's pixels (TILE_PX square, y down, Web Mercator) and back."""
    n = 2**z
    west, _south, east, _north = tile_bounds(z, x, y)
    per_px = (east - west) / TILE_PX

    def to_pixels(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(
            ((coords[:, 0] - west) / per_px, (_mercator_y(coords[:, 1]) * n - y) * TILE_PX)
        )

    def from_pixels(pixels: np.ndarray) -> np.ndarray:
        mercator = (y + pixels[:, 1] / TILE_PX) / n
        lat = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * mercator))))
        return np.column_stack((west + pixels[:, 0] * per_px, lat))

    return to_pixels, from_pixels


def _merged(index: AreaIndex, hits: list[int], z: int, x: int, y: int) -> dict:
    """The tile's areas as one shape per drawing style (kind and basis), clipped to the tile.

    Thousands of overlapping areas in one tile are one blur at this zoom, and drawing them one by one
    is what makes a national overview slow: each style's union says where that kind of area lies,
    `count` how many it stands for; zooming in shows them one by one. The union is taken on the
    tile's pixels (maps.pixel_union), all this zoom can show. Clipped, so tiles do not overlap (the
    browser draws merged shapes without an outline, so tile edges leave no seam).
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for i in hits:
        props = index.features[i]["properties"]
        groups.setdefault((props["kind"] or "", props["basis"]), []).append(i)
    tolerance, digits = pixel_degrees(z), _decimals(z)
    west, south, east, north = tile_bounds(z, x, y)
    to_pixels, from_pixels = _tile_pixels(z, x, y)
    features = []
    for (kind, basis), members in sorted(groups.items()):
        # Clipped a pixel beyond the tile first, so that no far-off vertex is drawn.
        near = shapely.clip_by_rect(
            index.shapes[members], west - tolerance, south - tolerance, east + tolerance, north + tolerance
        )
        union = pixel_union.pixel_union(near, TILE_PX, to_pixels, from_pixels)
        # Half a pixel: the traced outline follows the pixels' edges, whose steps say nothing.
        light = shapely.transform(shapely.simplify(union, tolerance / 2), lambda c: np.round(c, digits))
        # Only the polygons: simplifying and rounding may leave a line or a point of a sliver, which
        # Leaflet would draw as a stray line or a marker.
        polygons = [
            polygon
            for part in shapely.get_parts(light)
            for polygon in (part.geoms if part.geom_type == "MultiPolygon" else [part])
            if polygon.geom_type == "Polygon" and not polygon.is_empty
        ]
        if not polygons:
            continue
        # Parts as they are, no union: rounded coordinates may not survive another overlay.
        light = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
        features.append(
            {
                "type": "Feature",
                "id": f"{z}/{x}/{y}:{kind}|{basis}",
                "geometry": light.__geo_interface__,
                "properties": {"kind": kind, "basis": basis, "count": len(members), "merged": True},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def area_tile(index: AreaIndex, z: int, x: int, y: int) -> dict:
    """The areas meeting one tile, simplified for its zoom (a FeatureCollection); where there are many
    (more than AREAS_AT_MOST, before POINTS_FROM_ZOOM), merged per drawing style instead."""
    cut = index.home.get((z, x, y))
    if cut is not None:
        return cut
    box = shapely.box(*tile_bounds(z, x, y))
    hits = sorted(index.tree.query(box, predicate="intersects").tolist())
    if len(hits) > AREAS_AT_MOST and z < POINTS_FROM_ZOOM:
        return _merged(index, hits, z, x, y)
    tolerance, digits = pixel_degrees(z), _decimals(z)
    features = []
    for i in hits:
        light = shapely.simplify(index.shapes[i], tolerance, preserve_topology=True)
        light = shapely.transform(light, lambda coords: np.round(coords, digits))  # noqa: B023 - used at once
        feature = index.features[i]
        features.append(
            {
                "type": "Feature",
                "id": feature["id"],
                "geometry": light.__geo_interface__,
                "properties": feature["properties"],
            }
        )
    return {"type": "FeatureCollection", "features": features}


def layer_sizes(
    session: Session, *, include_synthetic: bool, county_code: str | None = None
) -> tuple[int, int]:
    """(located producers, production areas) the whole layers would carry.

    The areas are an upper bound (some are undrawable, and a county's map counts all): the sum only
    decides whether a map loads its layers whole or by view, so two cheap counts are enough.
    """
    producers = select(func.count(Producer.id)).where(Producer.lon.is_not(None), Producer.lat.is_not(None))
    if not include_synthetic:
        producers = producers.where(Producer.synthetic == False)  # noqa: E712 - SQL expression
    if county_code is not None:
        producers = producers.where(Producer.county_code == county_code)
    areas = select(func.count(ProductionArea.id))
    return int(session.exec(producers).one()), int(session.exec(areas).one())
