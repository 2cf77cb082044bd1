"""GCJ-02, the obfuscated datum of Chinese web maps, to and from WGS84.

Maps exported from Amap, Tencent or Ovital are usually GCJ-02 while claiming WGS84; around Yueyang the two
differ by about 570 m east and 310 m south. The formula is the public one (the "eviltransform" algorithm),
vectorised; the inverse iterates the forward transform and agrees to well under a metre.
"""

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the GCJ-02 formula uses
_EE = 0.00669342162296594323


def _delta_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    result += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    result += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    result += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return result


def _delta_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    result += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    result += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    result += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return result


def wgs84_to_gcj02_coords(coords: np.ndarray) -> np.ndarray:
    """Shift an (n, 2) array of WGS84 lon/lat to GCJ-02."""
    lon, lat = coords[:, 0], coords[:, 1]
    dlat = _delta_lat(lon - 105.0, lat - 35.0)
    dlon = _delta_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(radlat) * np.pi)
    return np.column_stack([lon + dlon, lat + dlat])


def gcj02_to_wgs84_coords(coords: np.ndarray) -> np.ndarray:
    """Undo the GCJ-02 shift of an (n, 2) array of lon/lat by fixed-point iteration."""
    guess = coords.copy()
    for _ in range(6):  # converges to < 1e-7° (1 cm) in 3–4 steps
        guess = guess - (wgs84_to_gcj02_coords(guess) - coords)
    return guess


def wgs84_to_gcj02(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry shifted from WGS84 to GCJ-02."""
    return shapely.transform(geometry, wgs84_to_gcj02_coords)


def gcj02_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """A geometry shifted from GCJ-02 back to WGS84."""
    return shapely.transform(geometry, gcj02_to_wgs84_coords)
