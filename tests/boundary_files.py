"""Boundary files in every format an official may upload, made with geopandas from real county polygons.

The shapes are synthetic (a square inside 平江县, shifted copies of a county); the formats are real files
written by GDAL, as QGIS or Google Earth would write them.
"""

import io
import zipfile
from pathlib import Path

import geopandas as gpd
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from gi_registry.core.settings import REPO_ROOT
from gi_registry.geo.gcj02 import wgs84_to_gcj02

COUNTIES = REPO_ROOT / "data" / "boundaries" / "yueyang_counties.geojson"
PINGJIANG = "430626"


def county(code: str) -> BaseGeometry:
    """A county polygon from the registry's shipped boundaries (WGS84)."""
    frame = gpd.read_file(COUNTIES)
    return frame[frame["code"].astype(str) == code].geometry.iloc[0]


def square_in_pingjiang(size: float = 0.05) -> BaseGeometry:
    """A small square well inside 平江县."""
    point = county(PINGJIANG).representative_point()
    return box(point.x - size, point.y - size, point.x + size, point.y + size)


def bow_tie_in_pingjiang() -> BaseGeometry:
    """A self-intersecting polygon (its two lobes cross at the centre)."""
    point = county(PINGJIANG).representative_point()
    x, y, d = point.x, point.y, 0.03
    return Polygon([(x - d, y - d), (x + d, y + d), (x + d, y - d), (x - d, y + d)])


def gcj02_copy(code: str) -> BaseGeometry:
    """A county as a web map in GCJ-02 would give it."""
    return wgs84_to_gcj02(county(code))


def frame(geometry: BaseGeometry, crs: str | None = "EPSG:4326", **properties: object) -> gpd.GeoDataFrame:
    """One feature with optional properties."""
    return gpd.GeoDataFrame({k: [v] for k, v in properties.items()}, geometry=[geometry], crs=crs)


def write(data: gpd.GeoDataFrame, folder: Path, fmt: str) -> bytes:
    """The bytes of the layer written as GeoJSON, KML, GPKG, or a zipped Shapefile (shp / shp-no-prj)."""
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "geojson":
        path = folder / "area.geojson"
        data.to_file(path, driver="GeoJSON")
        return path.read_bytes()
    if fmt == "kml":
        path = folder / "area.kml"
        data.to_crs("EPSG:4326").to_file(path, driver="KML")
        return path.read_bytes()
    if fmt == "gpkg":
        path = folder / "area.gpkg"
        data.to_file(path, driver="GPKG", layer="area")
        return path.read_bytes()
    if fmt in ("shp", "shp-no-prj"):
        shp_folder = folder / "shp"
        shp_folder.mkdir(exist_ok=True)
        data.to_file(shp_folder / "area.shp", driver="ESRI Shapefile", encoding="UTF-8")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for part in sorted(shp_folder.iterdir()):
                if fmt == "shp-no-prj" and part.suffix == ".prj":
                    continue
                archive.write(part, f"area/{part.name}")
        return buffer.getvalue()
    raise ValueError(fmt)


HUARONG = "430623"
HUARONG_TOWNSHIPS = [
    "430623101", "430623102", "430623104", "430623106", "430623103", "430623110", "430623111",
    "430623112", "430623114", "430623119", "430623120", "430623121", "430623201", "430623207",
]  # fmt: skip


def huarong_strips() -> gpd.GeoDataFrame:
    """华容县 cut into 14 west-to-east strips, each labelled with a real township code (synthetic shapes)."""
    whole = county(HUARONG)
    minx, miny, maxx, maxy = whole.bounds
    width = (maxx - minx) / len(HUARONG_TOWNSHIPS)
    strips = [
        whole.intersection(box(minx + i * width, miny, minx + (i + 1) * width, maxy))
        for i in range(len(HUARONG_TOWNSHIPS))
    ]
    return gpd.GeoDataFrame(
        {"code": HUARONG_TOWNSHIPS, "note": ["synthetic shape"] * len(strips)},
        geometry=strips,
        crs="EPSG:4326",
    )
