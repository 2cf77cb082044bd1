"""Many areas merged on a tile's pixel grid (maps.pixel_union), checked against shapely's exact union."""

import numpy as np
import shapely

from maps.pixel_union import pixel_union

SIZE = 64  # pixels; coordinates below are in pixels too, so a pixel is 1.0


def _same(coords: np.ndarray) -> np.ndarray:
    return coords


def _union(shapes: list[shapely.Geometry]) -> shapely.Geometry:
    return pixel_union(np.array(shapes, dtype=object), SIZE, _same, _same)


def test_the_union_lies_within_a_pixel_of_the_exact_one_and_within_the_grid() -> None:
    rng = np.random.default_rng(7)
    corners = rng.uniform(-10, SIZE + 10, size=(300, 2))
    sides = rng.uniform(0.5, 12, size=(300, 2))  # some narrower than a pixel
    shapes = [shapely.box(x, y, x + w, y + h) for (x, y), (w, h) in zip(corners, sides, strict=True)]
    shapes.append(shapely.Point(30, 30).buffer(9))  # a round one among the boxes
    merged = _union(shapes)
    exact = shapely.union_all(shapes).intersection(shapely.box(0, 0, SIZE, SIZE))
    assert merged.is_valid
    assert shapely.box(0, 0, SIZE, SIZE).contains(merged)
    # Nothing of the areas is lost beyond a pixel, nothing added beyond two (a pixel the edge
    # crosses is filled whole, and the outline is traced through its corners).
    assert exact.difference(merged.buffer(1)).area < 1e-9
    assert merged.difference(exact.buffer(2)).area < 1e-9
    # Larger areas, fewer edges: the difference in area shrinks with the share of edge pixels.
    boxes = [shapely.box(x, y, x + 20, y + 20) for x, y in rng.uniform(0, SIZE - 20, size=(5, 2))]
    assert abs(_union(boxes).area - shapely.union_all(boxes).area) / shapely.union_all(boxes).area < 0.1


def test_a_hole_stays_empty_unless_another_area_fills_it() -> None:
    ring = shapely.box(8, 8, 56, 56).difference(shapely.box(24, 24, 40, 40))
    alone = _union([ring])
    assert len(alone.interiors) == 1
    assert not alone.contains(shapely.Point(32, 32))
    assert alone.contains(shapely.Point(12, 12))

    # Another area over the hole fills it: the hole is only empty within its own polygon.
    filled = _union([ring, shapely.box(20, 20, 44, 44)])
    assert filled.contains(shapely.Point(32, 32))
    assert len(filled.interiors) == 0


def test_an_area_smaller_than_a_pixel_keeps_a_pixel() -> None:
    speck = shapely.box(10.2, 10.2, 10.4, 10.4)
    far = shapely.box(40.1, 40.1, 40.15, 41.9)  # thin as well as small
    merged = _union([speck, far])
    assert merged.geom_type == "MultiPolygon" and len(merged.geoms) == 2
    for area in (speck, far):
        assert merged.intersects(area) and merged.buffer(1).contains(area)


def test_multipolygons_lines_and_nothing_at_all() -> None:
    two = shapely.MultiPolygon([shapely.box(2, 2, 6, 6), shapely.box(50, 50, 60, 60)])
    merged = _union([two, shapely.LineString([(0, 0), (30, 30)])])
    assert merged.buffer(1).contains(two)
    assert not merged.intersects(shapely.Point(20, 20))  # a line has no area to draw
    assert _union([]).is_empty
