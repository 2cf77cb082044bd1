"""Officials upload boundaries: a GI protection's production area, or a layer of township polygons.

Every upload goes through the same steps: read (any supported format, any declared CRS) → repair only when
lossless → inside Yueyang → probably GCJ-02? (the official decides) → compare with the sources → store a
new version, closing the previous one, with its sources and history in one transaction. A dry run stops
before storing and answers the same report.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

import shapely
from pydantic import BaseModel, Field
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from gi_registry.edits import add_record
from gi_registry.errors import Conflict, DecisionNeeded, InvalidUpload, NotFound
from gi_registry.geo import checks, versions
from gi_registry.geo import service as geo_service
from gi_registry.geo.gcj02 import gcj02_to_wgs84
from gi_registry.geo.models import (
    YUEYANG_CODE,
    AreaLevel,
    BoundarySubject,
    BoundaryVersion,
    BoundaryVersionPublic,
    Gcj02Handling,
    PlaceLevel,
)
from gi_registry.geo.upload_reader import UploadedLayer, read_layer
from gi_registry.history.service import ChangeSet
from gi_registry.sources.models import EntityType, SourceIn

Gcj02Choice = Literal["convert", "keep"]


@dataclass(frozen=True)
class UploadLimits:
    """How much an upload may hold."""

    max_bytes: int
    max_vertices: int = 200_000
    max_features: int = 2_000


@dataclass(frozen=True)
class BoundaryUpload:
    """What the official says about the file: when it applies, why, from which source, how to read it."""

    valid_from: date
    reason: str
    sources: list[SourceIn]
    crs: str | None = None
    layer: str | None = None
    gcj02: Gcj02Choice | None = None
    dry_run: bool = False


class UploadReport(BaseModel):
    """What the checks found and, unless it was a dry run, the versions stored."""

    stored: bool = Field(description="False for a dry run: nothing was written")
    file_format: str
    crs_handling: str = Field(description="How the coordinates were brought to WGS84")
    gcj02: Gcj02Handling
    findings: list[dict] = Field(description="Differences from the sources and other notes, zh and en")
    versions: list[BoundaryVersionPublic] = []


@dataclass
class _Checked:
    geometries: dict[object, MultiPolygon]  # subject key → polygon
    gcj02: Gcj02Handling
    findings: list[checks.Finding]
    repairs: dict[object, str]


def _county_lines_local(counties: dict[str, BaseGeometry]) -> BaseGeometry:
    return checks.to_local(shapely.union_all([g.boundary for g in counties.values()]))


def _repaired_union(geometries: list[BaseGeometry]) -> tuple[MultiPolygon, str | None]:
    """The union of features, each repaired first (union of invalid polygons is undefined)."""
    parts, notes = [], set()
    for geometry in geometries:
        repaired, note = checks.repair_losslessly(geometry)
        parts.append(repaired)
        if note:
            notes.add(note)
    union, final_note = checks.repair_losslessly(shapely.union_all(parts))
    notes |= {final_note} if final_note else set()
    return union, "; ".join(sorted(notes)) or None


def _check_common(
    session: Session, geometries: dict[object, BaseGeometry], upload: BoundaryUpload
) -> _Checked:
    repairs: dict[object, str] = {}
    repaired: dict[object, MultiPolygon] = {}
    for key, geometry in geometries.items():
        repaired[key], note = checks.repair_losslessly(geometry)
        if note:
            repairs[key] = note
    counties = geo_service.county_geometries(session)
    yueyang = shapely.union_all(list(counties.values()))
    whole = shapely.union_all(list(repaired.values()))
    checks.check_inside(whole, yueyang)
    fit = checks.gcj02_fit(whole, _county_lines_local(counties))
    findings: list[checks.Finding] = []
    if fit.suspected:
        findings.append(fit.finding())
        if upload.gcj02 is None:
            raise DecisionNeeded(
                f"{fit.finding().message_en} Nothing was stored. Upload again with gcj02=convert to convert "
                "it to WGS84, or gcj02=keep to store the coordinates as they are."
            )
    elif fit.fit_as_uploaded < checks.GCJ02_MIN_FIT:
        findings.append(
            checks.Finding(
                "gcj02_not_testable",
                "Its boundary does not follow county boundaries, so a GCJ-02 offset cannot be detected; "
                "if it was drawn on Amap, Tencent or Ovital maps, upload it with gcj02=convert.",
                "边界不沿县界，无法判断是否为GCJ-02；如在高德、腾讯或奥维地图上绘制，请选择转换(gcj02=convert)。",
            )
        )
    handling = Gcj02Handling.not_suspected
    if upload.gcj02 == "convert":
        repaired = {key: checks.repair_losslessly(gcj02_to_wgs84(g))[0] for key, g in repaired.items()}
        checks.check_inside(shapely.union_all(list(repaired.values())), yueyang)
        handling = Gcj02Handling.converted
    elif upload.gcj02 == "keep" and fit.suspected:
        handling = Gcj02Handling.kept
    return _Checked(repaired, handling, findings, repairs)


EARLIEST_VALID_FROM = date(1949, 10, 1)


def _check_dates(upload: BoundaryUpload) -> None:
    latest = date.today().replace(year=date.today().year + 10)
    if not EARLIEST_VALID_FROM <= upload.valid_from <= latest:
        raise InvalidUpload(
            f"valid_from {upload.valid_from} is not a plausible date for a boundary "
            f"({EARLIEST_VALID_FROM} to {latest})."
        )


def _read(content: bytes, upload: BoundaryUpload, limits: UploadLimits) -> UploadedLayer:
    _check_dates(upload)
    return read_layer(
        content,
        declared_crs=upload.crs,
        layer=upload.layer,
        max_bytes=limits.max_bytes,
        max_vertices=limits.max_vertices,
        max_features=limits.max_features,
    )


def _report(layer: UploadedLayer, checked: _Checked, findings: list[dict]) -> UploadReport:
    return UploadReport(
        stored=False,
        file_format=layer.file_format,
        crs_handling=layer.crs_handling,
        gcj02=checked.gcj02,
        findings=findings,
    )


def _names(session: Session) -> dict[str, str]:
    return {a.code: a.name_zh for a in geo_service.list_admin_areas(session)}


def _store(
    session: Session,
    *,
    layer: UploadedLayer,
    content: bytes,
    filename: str,
    upload: BoundaryUpload,
    checked: _Checked,
    subjects: dict[object, dict],
    findings: dict[object, list[dict]],
    actor: str,
) -> list[BoundaryVersion]:
    changes = ChangeSet(actor=actor, reason=upload.reason)
    sha256 = hashlib.sha256(content).hexdigest()
    stored = []
    try:
        for key, geometry in checked.geometries.items():
            subject = subjects[key]
            previous = versions.latest(session, **subject)
            if previous is not None:
                if upload.valid_from <= previous.valid_from:
                    raise Conflict(
                        f"A version valid from {previous.valid_from} exists (id {previous.id}); "
                        "a new version must start after it (valid_from)."
                    )
                changes.changed(
                    session, "boundary_version", previous.id, "valid_to", None, str(upload.valid_from)
                )
                previous.valid_to = upload.valid_from
                session.add(previous)
                session.flush()
            minx, miny, maxx, maxy = geometry.bounds
            row = BoundaryVersion(
                subject=BoundarySubject.production_area
                if "protection_id" in subject
                else BoundarySubject.township,
                **subject,
                valid_from=upload.valid_from,
                file_name=filename[:255],
                file_format=layer.file_format,
                file_sha256=sha256,
                crs_declared=layer.crs_declared,
                crs_handling=layer.crs_handling,
                gcj02=checked.gcj02,
                repair=checked.repairs.get(key),
                area_km2=checks.area_km2(geometry),
                vertex_count=int(shapely.get_num_coordinates(geometry)),
                findings=findings.get(key, []),
                geometry=geometry,
                bbox_min_lon=minx,
                bbox_min_lat=miny,
                bbox_max_lon=maxx,
                bbox_max_lat=maxy,
                uploaded_by=actor,
            )
            add_record(
                session,
                row=row,
                entity_type=EntityType.boundary_version,
                sources=upload.sources,
                changes=changes,
                not_logged=frozenset({"geometry"}),
            )
            stored.append(row)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            "Another upload replaced this boundary at the same moment; reload and try again."
        ) from None
    except Exception:
        session.rollback()
        raise
    for row in stored:
        session.refresh(row)
    return stored


def upload_production_area(
    session: Session,
    *,
    protection_id: int,
    content: bytes,
    filename: str,
    upload: BoundaryUpload,
    limits: UploadLimits,
    actor: str,
) -> UploadReport:
    """Check an uploaded production-area polygon for one protection and store it as its newest version."""
    area = geo_service.production_areas_for(session, [protection_id]).get(protection_id)
    if area is None:
        raise NotFound(
            f"No protection with id {protection_id} has a production area recorded; record the area's "
            "description and sources first."
        )
    layer = _read(content, upload, limits)
    union, repair = _repaired_union(list(layer.frame.geometry))
    checked = _check_common(session, {protection_id: union}, upload)
    if repair:
        checked.repairs[protection_id] = repair
    counties = geo_service.county_geometries(session)
    codes = {p.code for p in area.places if p.code}
    parents = geo_service.township_parents(session)
    named_counties = set(counties) if YUEYANG_CODE in codes else {c for c in codes if c in counties}
    named_counties |= {parents[c] for c in codes if c in parents}
    named_townships = {p.code for p in area.places if p.code and p.level == PlaceLevel.township}
    source_findings = checks.compare_with_sources(
        checked.geometries[protection_id],
        counties=counties,
        named_counties=named_counties,
        townships=versions.township_polygons(session, upload.valid_from),
        named_townships=named_townships,
        declared_range=area.bbox,
        names=_names(session),
    )
    findings = [f.as_dict() for f in checked.findings + source_findings]
    report = _report(layer, checked, findings)
    if upload.dry_run:
        return report
    stored = _store(
        session,
        layer=layer,
        content=content,
        filename=filename,
        upload=upload,
        checked=checked,
        subjects={protection_id: {"protection_id": protection_id}},
        findings={protection_id: findings},
        actor=actor,
    )
    report.stored, report.versions = True, versions.to_public(session, stored)
    return report


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
    if unmatched:
        shown = "; ".join(unmatched[:10]) + (" …" if len(unmatched) > 10 else "")
        raise InvalidUpload(
            f"{len(unmatched)} feature(s) match no township of Yueyang by code or unique name: {shown}. "
            "Nothing was stored; fix their codes (9 or 12 digits, NBS) or names."
        )
    return {code: _repaired_union(geoms) for code, geoms in parts.items()}


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
    layer = _read(content, upload, limits)
    matched = _match_townships(layer, session, code_field, name_field)
    checked = _check_common(session, {code: union for code, (union, _) in matched.items()}, upload)
    checked.repairs |= {code: note for code, (_, note) in matched.items() if note}
    counties = geo_service.county_geometries(session)
    parents = geo_service.township_parents(session)
    names = _names(session)
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
    report = _report(layer, checked, findings)
    if upload.dry_run:
        return report
    stored = _store(
        session,
        layer=layer,
        content=content,
        filename=filename,
        upload=upload,
        checked=checked,
        subjects={code: {"township_code": code} for code in checked.geometries},
        findings={
            code: [f.as_dict() for f in checked.findings] + per_township.get(code, [])
            for code in checked.geometries
        },
        actor=actor,
    )
    report.stored, report.versions = True, versions.to_public(session, stored)
    return report
