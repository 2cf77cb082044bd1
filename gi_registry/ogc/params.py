"""Query parameters of OGC API – Features, parsed strictly: anything undeclared or invalid is a 400."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from starlette.datastructures import QueryParams

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000


class OGCError(Exception):
    """An OGC exception: HTTP status, OGC code and a description a person can read."""

    def __init__(self, description: str, status: int = 400, code: str = "InvalidParameterValue") -> None:
        super().__init__(description)
        self.description = description
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Interval:
    """A closed date interval; None at either end is open."""

    start: date | None
    end: date | None

    def overlaps(self, start: date, end: date) -> bool:
        """Whether [start, end] shares at least a day with this interval."""
        return (self.end is None or start <= self.end) and (self.start is None or end >= self.start)


@dataclass(frozen=True)
class ItemsQuery:
    """The parsed query of an items request."""

    limit: int
    offset: int
    bbox: tuple[float, float, float, float] | None
    datetime: Interval | None
    filters: dict[str, str]


def check_known(params: QueryParams, allowed: set[str]) -> None:
    """Refuse any parameter the API does not declare, instead of silently ignoring it."""
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise OGCError(
            f"Unknown query parameter(s): {', '.join(unknown)}. Allowed here: {', '.join(sorted(allowed))}.",
            code="InvalidParameterValue",
        )
    for key in params:
        if len(params.getlist(key)) > 1:
            raise OGCError(f"The parameter '{key}' is given more than once.")


def check_format(params: QueryParams) -> None:
    """Only JSON encodings are served here."""
    value = params.get("f")
    if value is not None and value not in ("json", "geojson"):
        raise OGCError(f"f={value} is not offered; use f=json (or leave f out).")


def parse_int(params: QueryParams, name: str, default: int, minimum: int) -> int:
    """An integer parameter of at least `minimum`."""
    raw = params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,18}", raw.strip()):
        raise OGCError(f"{name} must be a whole number, got '{raw}'.")
    value = int(raw)
    if value < minimum:
        raise OGCError(f"{name} must be at least {minimum}, got {value}.")
    return value


def parse_bbox(params: QueryParams) -> tuple[float, float, float, float] | None:
    """bbox=minLon,minLat,maxLon,maxLat in CRS84 (the only CRS offered)."""
    crs = params.get("bbox-crs")
    if crs is not None and crs != CRS84:
        raise OGCError(f"bbox-crs {crs} is not supported; only {CRS84}.")
    raw = params.get("bbox")
    if raw is None:
        return None
    parts = raw.split(",")
    if len(parts) == 6:
        parts = [parts[0], parts[1], parts[3], parts[4]]  # a 3D box: the heights do not matter here
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise OGCError(f"bbox must be four numbers minLon,minLat,maxLon,maxLat; got '{raw}'.") from None
    if len(values) != 4 or any(v != v for v in values):
        raise OGCError(f"bbox must be four numbers minLon,minLat,maxLon,maxLat; got '{raw}'.")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise OGCError(f"bbox '{raw}' is outside longitude -180..180 / latitude -90..90 or has min > max.")
    if min_lon > max_lon:
        raise OGCError("bbox crossing the antimeridian is not supported (minLon > maxLon).")
    return min_lon, min_lat, max_lon, max_lat


def _instant(text: str) -> date | None:
    if text in ("..", ""):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise OGCError(f"'{text}' is not an RFC 3339 date or date-time.") from None


def parse_datetime(params: QueryParams) -> Interval | None:
    """datetime=instant, start/end, ../end or start/.. (RFC 3339)."""
    raw = params.get("datetime")
    if raw is None:
        return None
    if "/" in raw:
        start_text, _, end_text = raw.partition("/")
        start, end = _instant(start_text), _instant(end_text)
        if start_text in ("..", "") and end_text in ("..", ""):
            raise OGCError("datetime needs at least one end: '../..' is not an interval.")
        if start and end and start > end:
            raise OGCError(f"datetime interval '{raw}' ends before it starts.")
        return Interval(start, end)
    day = _instant(raw)
    if day is None:
        raise OGCError("datetime '..' alone is not an instant.")
    return Interval(day, day)


def parse_items_query(params: QueryParams, filters: dict[str, set[str] | None]) -> ItemsQuery:
    """Parse an items query; `filters` maps each declared property filter to its allowed values (or None)."""
    check_known(params, {"f", "limit", "offset", "bbox", "bbox-crs", "datetime", *filters})
    check_format(params)
    limit = min(parse_int(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)  # clamped, never an error
    chosen = {}
    for name, allowed in filters.items():
        value = params.get(name)
        if value is None:
            continue
        if allowed is not None and value not in allowed:
            raise OGCError(f"{name}={value} is not one of: {', '.join(sorted(allowed))}.")
        chosen[name] = value
    return ItemsQuery(
        limit, parse_int(params, "offset", 0, 0), parse_bbox(params), parse_datetime(params), chosen
    )
