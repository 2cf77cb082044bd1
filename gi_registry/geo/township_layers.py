"""Township boundary layers: each feature matched to a township of Yueyang by code or unique name.

The matched polygons then go through the same checks and versioning as a production area (uploads.py).
"""

import re

from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlmodel import Session

from gi_registry.core.errors import InvalidUpload
from gi_registry.geo import checks
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AreaLevel
from gi_registry.geo.upload_reader import UploadedLayer
from gi_registry.geo.uploads import (
    BoundaryUpload,
    StoredAs,
    UploadLimits,
    UploadReport,
    area_names,
    check_layer,
    finish_upload,
    read_upload,
    repaired_union,
)

CODE_FIELDS = ("code", "township_code", "xzqdm", "adcode", "gb", "代码", "乡镇代码", "行政区划代码")
NAME_FIELDS = ("name_zh", "name", "xzqmc", "township", "名称", "乡镇", "乡镇名称")


def _field(columns: list[str], wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    if wanted:
        if wanted not in columns:
            raise InvalidUpload(f"The layer has no field '{wanted}'; its fields are: {', '.join(columns)}.")
        return wanted
    lowered = {c.lower(): c for c in columns}
    return next((lowered[c] for c in candidates if c in lowered), None)


def _township_code(value: object, known: dict[str, str]) -> str | None:
    digits = re.sub(r"\D", "", str(value or ""))
    if len(digits) == 12 and digits.endswith("000"):
        digits = digits[:9]  # the 12-digit NBS form of a township code
    return digits if digits in known else None


def _match_townships(
    layer: UploadedLayer, session: Session, code_field: str | None, name_field: str | None
) -> dict[str, tuple[MultiPolygon, str | None]]:
    townships = {a.code: a.name_zh for a in geo_service.list_admin_areas(session, level=AreaLevel.township)}
    by_name: dict[str, list[str]] = {}
    for code, name in townships.items():
        by_name.setdefault(name, []).append(code)
    columns = [c for c in layer.frame.columns if c != "geometry"]
    code_column = _field(columns, code_field, CODE_FIELDS)
    name_column = _field(columns, name_field, NAME_FIELDS)
    if code_column is None and name_column is None:
        raise InvalidUpload(
            "No field names the townships; say which with code_field or name_field "
            f"(fields: {', '.join(columns)})."
        )
    parts: dict[str, list[BaseGeometry]] = {}
    notes: dict[str, list[str | None]] = {}
    unmatched = []
    for position, row in enumerate(layer.frame.itertuples(index=False)):
        values = row._asdict()
        code = _township_code(values.get(code_column), townships) if code_column else None
        if code is None and name_column:
            matches = by_name.get(str(values.get(name_column) or "").strip(), [])
            code = matches[0] if len(matches) == 1 else None
        if code is None:
            label = values.get(name_column) if name_column else values.get(code_column)
            unmatched.append(f"#{position + 1} {label}")
            continue
        parts.setdefault(code, []).append(values["geometry"])
        notes.setdefault(code, []).append(layer.repairs[position] if layer.repairs else None)
    if unmatched:
        shown = "; ".join(unmatched[:10]) + (" …" if len(unmatched) > 10 else "")
        raise InvalidUpload(
            f"{len(unmatched)} feature(s) match no township of Yueyang by code or unique name: {shown}. "
            "Nothing was stored; fix their codes (9 or 12 digits, NBS) or names."
        )
    return {code: repaired_union(geoms, notes[code]) for code, geoms in parts.items()}


def upload_township_layer(
    session: Session,
    *,
    content: bytes,
    filename: str,
    upload: BoundaryUpload,
    limits: UploadLimits,
    actor: str,
    code_field: str | None = None,
    name_field: str | None = None,
) -> UploadReport:
    """Check a layer of township polygons and store one new version per township it holds."""
    layer = read_upload(content, upload, limits)
    matched = _match_townships(layer, session, code_field, name_field)
    checked = check_layer(session, {code: union for code, (union, _) in matched.items()}, upload)
    checked.repairs |= {code: note for code, (_, note) in matched.items() if note}
    counties = geo_service.county_geometries(session)
    parents = geo_service.township_parents(session)
    names = area_names(session)
    per_township: dict[object, list[dict]] = {}
    extra: list[checks.Finding] = []
    for code, geometry in checked.geometries.items():
        county = counties.get(parents.get(code, ""))
        if county is None:
            continue
        local = checks.to_local(geometry)
        outside = local.difference(checks.to_local(county)).area / local.area if local.area else 0
        if outside > 0.05:
            finding = checks.Finding(
                "outside_own_county",
                f"{names.get(code, code)} extends {outside:.0%} beyond its county {names[parents[code]]}.",
                f"{names.get(code, code)}有{outside:.0%}的面积超出所属县市区{names[parents[code]]}。",
                {"code": code, "share_outside": round(outside, 3)},
            )
            extra.append(finding)
            per_township[code] = [finding.as_dict()]
    findings = [f.as_dict() for f in checked.findings + extra]
    return finish_upload(
        session,
        stored_as=StoredAs(layer, content, filename, actor),
        upload=upload,
        checked=checked,
        subjects={code: {"township_code": code} for code in checked.geometries},
        findings={
            code: [f.as_dict() for f in checked.findings] + per_township.get(code, [])
            for code in checked.geometries
        },
        report_findings=findings,
    )
