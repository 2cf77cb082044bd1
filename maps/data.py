"""What the maps load in the browser: producers as compact points, production areas as light GeoJSON.

A map page carries the small context (counties, neighbours, labels, legend) and fetches these from
/maps/data/ (or, for the static site opened from disk, gets them inlined once), so its size does not
grow with the number of producers or GIs. Both are built from the same service functions the API
and the other maps use (`located_producers`, `production_area_features`), so they never disagree.
"""

import json

import numpy as np
import shapely
from sqlmodel import Session

from gi_registry.geo import service as geo_service
from gi_registry.geo.drawing import AreaBasis
from gi_registry.indications.areas import production_area_features
from gi_registry.producers import service as producers_service

PRODUCER_FIELDS = ("id", "lon", "lat", "name_zh", "name_en")
AREA_PROPERTIES = ("slug", "name_zh", "name_en", "kind", "basis", "places")
# The published range is outlined where it is the extent of places the source names; a range alone
# (basis declared_range) is already the area's own edge.
OUTLINED_RANGES = frozenset(b.value for b in AreaBasis) - {AreaBasis.declared_range.value}
# Drawing only: about 30 m at Yueyang's latitude, well under a pixel at the overview's zoom; the API
# and the exports keep the full geometry.
SIMPLIFY_DEGREES = 0.0003
DECIMALS = 5  # about 1 m


def producer_points(
    session: Session,
    *,
    include_synthetic: bool,
    county_code: str | None = None,
    indication_id: int | None = None,
) -> dict:
    """Located producers as {"fields": [...], "rows": [[id, lon, lat, name_zh, name_en], ...]}."""
    collection = producers_service.located_producers(
        session, county_code=county_code, indication_id=indication_id, include_synthetic=include_synthetic
    )
    return points_of(collection)


def points_of(collection: dict) -> dict:
    """`located_producers`' FeatureCollection in the compact form the browser layer reads."""
    rows = []
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        props = feature["properties"]
        rows.append(
            [props["id"], round(lon, DECIMALS), round(lat, DECIMALS), props["name_zh"], props["name_en"]]
        )
    return {"fields": list(PRODUCER_FIELDS), "rows": rows}


def _light(geometries: list[shapely.Geometry]) -> list[dict]:
    """The geometries simplified and rounded for drawing, as GeoJSON dicts.

    All at once: shapely works on the whole array in C, and `to_geojson` with `json.loads` is many
    times faster than `__geo_interface__` for 20,000 polygons (a national map's areas).
    """
    simplified = shapely.simplify(
        np.array(geometries, dtype=object), SIMPLIFY_DEGREES, preserve_topology=True
    )
    rounded = shapely.transform(simplified, lambda coords: np.round(coords, DECIMALS))
    return [json.loads(text) for text in shapely.to_geojson(rounded).tolist()]


def area_shapes(session: Session, *, county_code: str | None = None) -> dict:
    """Today's production areas with only the properties the map shows, simplified for drawing, and
    `range` (only where there is one to outline: the published range around the places named). Areas the
    sources leave undrawn are left out."""
    collection = production_area_features(session, county_code=county_code, shapes=True)
    drawn = [feature for feature in collection["features"] if feature["geometry"] is not None]
    features = []
    for feature, geometry in zip(drawn, _light([f["geometry"] for f in drawn]), strict=True):
        props = feature["properties"]
        light = {key: props[key] for key in AREA_PROPERTIES}
        if props["declared_range"] and props["basis"] in OUTLINED_RANGES:
            light["range"] = [round(v, DECIMALS) for v in props["declared_range"]]
        features.append({"type": "Feature", "id": feature["id"], "geometry": geometry, "properties": light})
    return {"type": "FeatureCollection", "features": features}


Bounds = tuple[float, float, float, float]  # west, south, east, north


def home_bounds(session: Session, *, county_code: str | None = None) -> Bounds | None:
    """(west, south, east, north) a map opens on: the city's counties, or the one county; None when
    no county polygon is on record."""
    shapes = geo_service.county_geometries(session)
    if county_code is not None:
        shapes = {code: shape for code, shape in shapes.items() if code == county_code}
    if not shapes:
        return None
    return tuple(shapely.total_bounds(np.array(list(shapes.values()), dtype=object)).tolist())
