"""Parsing the coordinate ranges GI announcements print.

Example: 'E112°47′11″–112°53′18″, N28°32′25″–28°35′40″'.
"""

import re
from dataclasses import dataclass

_DMS = r"(\d{1,3})\s*°\s*(?:(\d{1,2})\s*[′']\s*)?(?:(\d{1,2}(?:\.\d+)?)\s*[″\"]\s*)?"
_RANGE = re.compile(
    rf"(?P<axis>[EN])\s*{_DMS}\s*[–—\-~至到]+\s*[EN]?\s*{_DMS}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class CoordinateRange:
    """A lon/lat rectangle in decimal degrees (WGS84 as declared by the source)."""

    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float


def _degrees(deg: str, minutes: str | None, seconds: str | None) -> float:
    value = int(deg) + int(minutes or 0) / 60 + float(seconds or 0) / 3600
    if (minutes and int(minutes) >= 60) or (seconds and float(seconds) >= 60):
        raise ValueError("minutes and seconds must be below 60")
    return round(value, 6)


def parse_coordinate_range(text: str) -> CoordinateRange:
    """Parse an east-longitude and a north-latitude range; raise ValueError saying what is wrong."""
    spans: dict[str, tuple[float, float]] = {}
    for match in _RANGE.finditer(text):
        groups = match.groups()
        low = _degrees(*groups[1:4])
        high = _degrees(*groups[4:7])
        spans[match.group("axis").upper()] = (min(low, high), max(low, high))
    if set(spans) != {"E", "N"}:
        raise ValueError(
            f"'{text}' is not a coordinate range: expected 'E<d>°<m>′<s>″–<d>°<m>′<s>″, N<d>°<m>′<s>″–…'"
        )
    (lon_min, lon_max), (lat_min, lat_max) = spans["E"], spans["N"]
    if not (
        -180 <= lon_min <= 180 and -180 <= lon_max <= 180 and -90 <= lat_min <= 90 and -90 <= lat_max <= 90
    ):
        raise ValueError(f"'{text}' lies outside the range of longitudes and latitudes")
    return CoordinateRange(lon_min=lon_min, lat_min=lat_min, lon_max=lon_max, lat_max=lat_max)
