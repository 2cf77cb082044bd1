"""Many overlapping areas as one shape, exact to a pixel of the tile they are drawn in.

A merged tile (maps.view) stands for thousands of areas at a zoom where each is a few pixels wide. A
vector union of them (`shapely.union_all`) computes every crossing of every edge, about 0.25 s per
drawing style for the 17,000 areas of the benchmark's busiest tile, while the browser can show no
more than the tile's pixels. So the areas are filled on the tile's pixel grid, as the browser would
draw them, and the filled pixels traced back into polygons: about a third of the time, a few times
fewer vertices, and within a pixel of the vector union.
"""

from collections.abc import Callable

import contourpy
import numpy as np
import shapely
from PIL import Image, ImageChops, ImageDraw

Project = Callable[[np.ndarray], np.ndarray]  # (n, 2) coordinates to (n, 2) coordinates


def _rings(rings: np.ndarray, to_pixels: Project) -> list[list[float]]:
    """Each geometry's pixel coordinates, flat as Pillow takes them: rings, or polygons of one ring
    (read directly, as making 17,000 ring objects first costs more than drawing them)."""
    coords, which = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return []
    flat = to_pixels(coords).ravel().tolist()  # one conversion, then slices: ~50,000 rings a tile
    bounds = [0, *(np.flatnonzero(np.diff(which)) + 1).tolist(), len(coords)]
    return [flat[2 * start : 2 * end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]


def _fill(draw: ImageDraw.ImageDraw, rings: list[list[float]], value: int) -> None:
    # The outline as well as the inside: an area narrower than a pixel still marks the pixels it
    # crosses, so no area drops out of the merged shape however small it is at this zoom.
    for ring in rings:
        if len(ring) >= 4:
            draw.polygon(ring, fill=value, outline=1)


def _drawn(polygons: np.ndarray, size: int, to_pixels: Project) -> np.ndarray:
    """The pixels the polygons cover, as a size x size boolean array (row 0 at the top)."""
    mask = Image.new("1", (size, size), 0)
    draw = ImageDraw.Draw(mask)
    holed = shapely.get_num_interior_rings(polygons) > 0
    _fill(draw, _rings(polygons[~holed], to_pixels), 1)
    # A hole is only empty within its own polygon, so a polygon with holes is drawn on its own
    # sheet and laid over the others.
    for polygon in polygons[holed]:
        sheet = Image.new("1", (size, size), 0)
        sheet_draw = ImageDraw.Draw(sheet)
        _fill(sheet_draw, _rings(np.array([polygon.exterior], dtype=object), to_pixels), 1)
        _fill(sheet_draw, _rings(np.array(polygon.interiors, dtype=object), to_pixels), 0)
        mask = ImageChops.logical_or(mask, sheet)
    return np.asarray(mask, dtype=np.uint8)


def pixel_union(shapes: np.ndarray, size: int, to_pixels: Project, from_pixels: Project) -> shapely.Geometry:
    """The union of `shapes` as filled on a size x size pixel grid, traced back to their coordinates.

    `to_pixels` maps the shapes' coordinates to pixels (x right, y down, the grid from 0 to size);
    `from_pixels` maps back. The answer lies within the grid; every pixel any shape touches is in it.
    """
    # Polygons as they are; only the others are taken apart (get_parts copies every geometry it sees).
    polygon = shapely.GeometryType.POLYGON
    single = shapely.get_type_id(shapes) == polygon
    parts = shapely.get_parts(shapes[~single])
    polygons = np.concatenate((shapes[single], parts[shapely.get_type_id(parts) == polygon]))
    # A ring of empty pixels around the grid closes every traced outline at the grid's edge.
    grid = np.zeros((size + 2, size + 2), dtype=np.uint8)
    grid[1:-1, 1:-1] = _drawn(polygons, size, to_pixels)
    centres = np.arange(-1, size + 1, dtype=np.float64) + 0.5
    tracer = contourpy.contour_generator(
        centres, centres, grid, name="serial", fill_type=contourpy.FillType.OuterOffset
    )
    points, offsets = tracer.filled(0.5, 1.5)
    traced = []
    for outline, ends in zip(points, offsets, strict=True):
        rings = [from_pixels(outline[start:end]) for start, end in zip(ends[:-1], ends[1:], strict=True)]
        traced.append(shapely.Polygon(rings[0], rings[1:]))
    return shapely.MultiPolygon(traced) if len(traced) != 1 else traced[0]
