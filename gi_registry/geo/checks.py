"""Checks on an uploaded boundary: lossless repair, inside Yueyang, probably GCJ-02, fit with the sources.

Distances and areas are measured in an equal-area projection centred on Yueyang, so a figure in metres or
km² means what it says.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from gi_registry.core.errors import InvalidUpload
from gi_registry.geo.gcj02 import gcj02_to_wgs84

LOCAL = "+proj=aea +lat_0=0 +lon_0=113 +lat_1=28 +lat_2=30 +datum=WGS84 +units=m +no_defs"
_TO_LOCAL = Transformer.from_crs("EPSG:4326", LOCAL, always_xy=True)

INSIDE_SHARE_REQUIRED = 0.95  # of the area, within Yueyang plus a 1 km margin
FIT_DISTANCE_M = 150  # a boundary point this close to a county boundary "follows" it
GCJ02_MIN_FIT = 0.3
GCJ02_MIN_GAIN = 2.0
SAMPLE_POINTS = 2000


def to_local(geometry: BaseGeometry) -> BaseGeometry:
    """The geometry in metres (equal-area projection around Yueyang)."""
    return shapely.transform(geometry, lambda xy: np.column_stack(_TO_LOCAL.transform(xy[:, 0], xy[:, 1])))


def area_km2(geometry: BaseGeometry) -> float:
    """Area in square kilometres."""
    return to_local(geometry).area / 1e6


@dataclass
class Finding:
    """Something an official should know about an upload, in both languages."""

    code: str
    message_en: str
    message_zh: str
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The finding as stored and answered."""
        return {"code": self.code, "message": self.message_en, "message_zh": self.message_zh} | self.details


def _polygonal(geometry: BaseGeometry) -> MultiPolygon:
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon) and not p.is_empty]
    return MultiPolygon(parts)


MAX_REPAIRED_PARTS = 1_000


def _repair_one(geometry: BaseGeometry, reason: str) -> MultiPolygon:
    repaired = _polygonal(shapely.make_valid(geometry, method="structure", keep_collapsed=False))
    buffered = _polygonal(geometry.buffer(0))
    disagreement = repaired.symmetric_difference(buffered).area
    if repaired.is_empty or disagreement > 1e-9 * max(repaired.area, 1e-12):
        raise InvalidUpload(
            f"The polygon is invalid ({reason}) and cannot be repaired without changing its shape; "
            "fix it in the source file (QGIS: Vector ▸ Geometry Tools ▸ Check Validity) and upload again."
        )
    return repaired


def repair_losslessly(geometry: BaseGeometry) -> tuple[MultiPolygon, str | None]:
    """The geometry as a valid MultiPolygon and the repair made, or InvalidUpload when a repair loses area.

    A repair counts as lossless when GEOS's two repair methods (make_valid by structure, and buffer(0))
    agree on the covered area: overlapping or nested parts, rings touching themselves. When they disagree
    the shape the author meant is ambiguous (a bow-tie could mean either lobe or both) and a person has
    to fix it.

    A multi-part geometry is repaired part by part and then unioned once (a cascaded union, which is what
    both methods do with sound parts): repairing it whole grows about quadratically with the number of
    parts (40,000 bow-ties kept a core busy for 33 minutes). More than MAX_REPAIRED_PARTS invalid parts
    are refused without trying; the sandbox's time limit bounds what is left (one huge tangled ring).
    """
    if geometry.is_valid:
        return _polygonal(geometry), None
    reason = shapely.is_valid_reason(geometry)
    note = f"repaired without change of area: {reason}"
    parts = shapely.get_parts(geometry)
    if len(parts) <= 1:
        return _repair_one(geometry, reason), note
    invalid = ~shapely.is_valid(parts)
    if int(invalid.sum()) > MAX_REPAIRED_PARTS:
        raise InvalidUpload(
            f"The polygon has {int(invalid.sum()):,} invalid parts; at most {MAX_REPAIRED_PARTS:,} are "
            f"repaired ({reason}). Fix it in the source file (QGIS: Vector ▸ Geometry Tools ▸ Check "
            f"Validity) and upload again. 无效的多边形部件超过{MAX_REPAIRED_PARTS:,}个，未予修复。"
        )
    sound = [_repair_one(part, reason) if bad else part for part, bad in zip(parts, invalid, strict=True)]
    return _polygonal(shapely.union_all(sound)), note


def check_inside(geometry: BaseGeometry, yueyang: BaseGeometry) -> None:
    """Refuse a layer that does not lie in Yueyang, hinting at swapped coordinates when that explains it."""
    local = to_local(geometry)
    inside = local.intersection(to_local(yueyang).buffer(1000)).area / local.area if local.area else 0.0
    if inside >= INSIDE_SHARE_REQUIRED:
        return
    minx, miny, maxx, maxy = geometry.bounds
    hint = ""
    swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
    if swapped.intersects(yueyang):
        hint = " Its coordinates look like latitude/longitude swapped."
    elif max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
        hint = " Its coordinates are not degrees: is the coordinate system declared right?"
    raise InvalidUpload(
        f"The layer lies outside Yueyang: {inside:.0%} of its area is inside the city "
        f"(bounds {minx:.4f}, {miny:.4f} – {maxx:.4f}, {maxy:.4f}); at least "
        f"{INSIDE_SHARE_REQUIRED:.0%} must be.{hint}"
    )


def _boundary_fit(geometry: BaseGeometry, county_lines_local: BaseGeometry) -> float:
    """Share of points sampled along the geometry's boundary that lie near a county boundary."""
    outline = to_local(geometry).boundary
    if outline.length == 0:
        return 0.0
    distances = np.linspace(0, outline.length, SAMPLE_POINTS, endpoint=False)
    points = shapely.line_interpolate_point(outline, distances)
    near = shapely.dwithin(points, county_lines_local, FIT_DISTANCE_M)
    return float(near.mean())


@dataclass(frozen=True)
class Gcj02Fit:
    """How well a layer follows the county boundaries as uploaded and after a GCJ-02 → WGS84 conversion."""

    fit_as_uploaded: float
    fit_converted: float

    @property
    def suspected(self) -> bool:
        """The conversion makes the layer follow the county boundaries markedly better."""
        return self.fit_converted >= GCJ02_MIN_FIT and self.fit_converted >= GCJ02_MIN_GAIN * max(
            self.fit_as_uploaded, 0.05
        )

    def finding(self) -> Finding:
        """The result in words."""
        before, after = f"{self.fit_as_uploaded:.0%}", f"{self.fit_converted:.0%}"
        return Finding(
            "probably_gcj02",
            f"Probably GCJ-02: {after} of its boundary lies within {FIT_DISTANCE_M} m of the county "
            f"boundaries after a GCJ-02 → WGS84 conversion, against {before} as uploaded.",
            f"疑似GCJ-02（火星坐标）：经GCJ-02→WGS84转换后，边界{after}与县界相距{FIT_DISTANCE_M}米以内，"
            f"原样仅{before}。",
            {
                "fit_as_uploaded": round(self.fit_as_uploaded, 3),
                "fit_converted": round(self.fit_converted, 3),
            },
        )


def gcj02_fit(geometry: BaseGeometry, county_lines_local: BaseGeometry) -> Gcj02Fit:
    """Compare the fit to the registry's county boundaries before and after converting from GCJ-02."""
    return Gcj02Fit(
        _boundary_fit(geometry, county_lines_local),
        _boundary_fit(gcj02_to_wgs84(geometry), county_lines_local),
    )


def covered(geometry: BaseGeometry, areas: dict[str, BaseGeometry], *, min_share: float) -> set[str]:
    """Codes of the areas of which the geometry covers at least `min_share` (or 1 km²)."""
    local = to_local(geometry)
    result = set()
    for code, area in areas.items():
        area_local = to_local(area)
        overlap = local.intersection(area_local).area
        if overlap >= min(min_share * area_local.area, 1e6) and overlap > 0:
            result.add(code)
    return result


def _names(codes: set[str], names: dict[str, str]) -> str:
    return "、".join(names.get(c, c) for c in sorted(codes))


_WORDS = {
    "counties": ("county-level division(s)", "the sources", "个县市区", "来源"),
    "townships": ("township(s)", "the announcement", "个乡镇", "公告"),
}


def _differences(
    level: str, covered_codes: set[str], named: set[str], names: dict[str, str]
) -> list[Finding]:
    """Findings for places covered but not named, and named but not reached."""
    noun_en, source_en, noun_zh, source_zh = _WORDS[level]
    findings = []
    extra, missing = covered_codes - named, named - covered_codes
    if extra:
        listed = _names(extra, names)
        findings.append(
            Finding(
                f"{level}_not_named",
                f"Covers {len(extra)} {noun_en} not named in {source_en}: {listed}.",
                f"覆盖了{source_zh}未列出的{len(extra)}{noun_zh}：{listed}。",
                {"codes": sorted(extra)},
            )
        )
    if missing:
        listed = _names(missing, names)
        findings.append(
            Finding(
                f"named_{level}_missing",
                f"Does not reach {len(missing)} {noun_en} named in {source_en}: {listed}.",
                f"未覆盖{source_zh}列出的{len(missing)}{noun_zh}：{listed}。",
                {"codes": sorted(missing)},
            )
        )
    return findings


def compare_with_sources(
    geometry: BaseGeometry,
    *,
    counties: dict[str, BaseGeometry],
    named_counties: set[str],
    townships: dict[str, BaseGeometry],
    named_townships: set[str],
    declared_range: list[float] | None,
    names: dict[str, str],
) -> list[Finding]:
    """Differences between the uploaded area and what the sources say; reported, never silently accepted."""
    findings: list[Finding] = []
    if named_counties:
        covered_counties = covered(geometry, counties, min_share=0.01)
        findings += _differences("counties", covered_counties, named_counties & set(counties), names)
    if townships and named_townships:
        covered_townships = covered(geometry, townships, min_share=0.05)
        findings += _differences("townships", covered_townships, named_townships & set(townships), names)
    if declared_range is not None:
        local = to_local(geometry)
        outside = local.difference(to_local(box(*declared_range))).area / local.area if local.area else 0
        if outside > 0.02:
            findings.append(
                Finding(
                    "outside_declared_range",
                    f"{outside:.0%} of the area lies outside the coordinate range the source declares.",
                    f"{outside:.0%}的面积位于来源所列坐标范围之外。",
                    {"share_outside": round(outside, 3)},
                )
            )
    return findings
