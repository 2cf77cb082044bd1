"""Officials upload boundaries: a GI protection's production area, or a layer of township polygons.

Every upload goes through the same steps: read (any supported format, any declared CRS) → repair only when
lossless → inside Yueyang → probably GCJ-02? (the official decides) → compare with the sources → store a
new version, closing the previous one, with its sources and history in one transaction. A dry run stops
before storing and answers the same report.
"""

import dataclasses
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import shapely
from pydantic import BaseModel, Field
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from gi_registry.core import sandbox
from gi_registry.core.errors import Conflict, DecisionNeeded, InvalidUpload, NotFound, RegistryError
from gi_registry.core.settings import Settings
from gi_registry.geo import checks, versions
from gi_registry.geo import service as geo_service
from gi_registry.geo.gcj02 import gcj02_to_wgs84
from gi_registry.geo.models import (
    YUEYANG_CODE,
    BoundarySubject,
    BoundaryVersion,
    BoundaryVersionPublic,
    Gcj02Handling,
    PlaceLevel,
)
from gi_registry.geo.upload_reader import UploadedLayer, read_layer
from gi_registry.history.edits import add_record
from gi_registry.history.service import ChangeSet
from gi_registry.sources.models import EntityType, SourceIn

logger = logging.getLogger(__name__)

Gcj02Choice = Literal["convert", "keep"]


@dataclass(frozen=True)
class UploadLimits:
    """How much an upload may hold."""

    max_bytes: int
    max_vertices: int = 200_000
    max_features: int = 2_000
    parsing: sandbox.Budget = sandbox.Budget()

    @classmethod
    def from_settings(cls, settings: Settings) -> "UploadLimits":
        """The limits the deployment configures (GI_MAX_UPLOAD_MB, GI_MAX_BOUNDARY_*, GI_PARSE_*)."""
        return cls(
            max_bytes=int(settings.max_upload_mb * 1024 * 1024),
            max_vertices=settings.max_boundary_vertices,
            max_features=settings.max_boundary_features,
            parsing=sandbox.Budget(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds),
        )


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
class CheckedLayer:
    geometries: dict[object, MultiPolygon]  # subject key → polygon
    gcj02: Gcj02Handling
    findings: list[checks.Finding]
    repairs: dict[object, str]


def _county_lines_local(counties: dict[str, BaseGeometry]) -> BaseGeometry:
    return checks.to_local(shapely.union_all([g.boundary for g in counties.values()]))


def repaired_union(
    geometries: list[BaseGeometry], notes_so_far: Sequence[str | None] = ()
) -> tuple[MultiPolygon, str | None]:
    """The union of features, each repaired first (union of invalid polygons is undefined).

    `notes_so_far` are the repairs already made to these features while reading (read_upload).
    """
    parts, notes = [], {n for n in notes_so_far if n}
    for geometry in geometries:
        repaired, note = checks.repair_losslessly(geometry)
        parts.append(repaired)
        if note:
            notes.add(note)
    union, final_note = checks.repair_losslessly(shapely.union_all(parts))
    notes |= {final_note} if final_note else set()
    return union, "; ".join(sorted(notes)) or None


def check_layer(
    session: Session, geometries: dict[object, BaseGeometry], upload: BoundaryUpload
) -> CheckedLayer:
    """Repair, refuse what lies outside Yueyang, ask about or apply the GCJ-02 conversion."""
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
    return CheckedLayer(repaired, handling, findings, repairs)


EARLIEST_VALID_FROM = date(1949, 10, 1)


def _check_dates(upload: BoundaryUpload) -> None:
    latest = date.today() + timedelta(days=3653)  # ten years ahead
    if not EARLIEST_VALID_FROM <= upload.valid_from <= latest:
        raise InvalidUpload(
            f"valid_from {upload.valid_from} is not a plausible date for a boundary "
            f"({EARLIEST_VALID_FROM} to {latest})."
        )


UPLOAD_FILE = "upload.bin"


def read_and_repair(folder: Path, crs: str | None, layer: str | None, limits: UploadLimits) -> UploadedLayer:
    """Read the layer (the file UPLOAD_FILE in `folder`) and repair each feature losslessly: the heavy part,
    run in the sandbox's child."""
    uploaded = read_layer(
        (folder / UPLOAD_FILE).read_bytes(),
        declared_crs=crs,
        layer=layer,
        max_bytes=limits.max_bytes,
        max_vertices=limits.max_vertices,
        max_features=limits.max_features,
        folder=folder,
    )
    repaired, notes = [], []
    for geometry in uploaded.frame.geometry:
        polygon, note = checks.repair_losslessly(geometry)
        repaired.append(polygon)
        notes.append(note)
    frame = uploaded.frame.set_geometry(
        type(uploaded.frame.geometry)(repaired, index=uploaded.frame.index, crs=uploaded.frame.crs)
    )
    return dataclasses.replace(uploaded, frame=frame, repairs=tuple(notes))


def read_upload(content: bytes, upload: BoundaryUpload, limits: UploadLimits) -> UploadedLayer:
    """The upload's polygons in WGS84, each repaired, after checking its dates, size and format.

    Reading and repairing run in a child process under the parsing budget (gi_registry.core.sandbox), so a
    hostile file costs at most that budget and the server carries on.
    """
    _check_dates(upload)
    if not content:
        raise InvalidUpload("The file is empty.")
    try:
        return sandbox.run_limited(
            read_and_repair,
            upload.crs,
            upload.layer,
            limits,
            budget=limits.parsing,
            files={UPLOAD_FILE: content},
        )
    except sandbox.WorkerLimit as limit:
        raise InvalidUpload(
            f"{limit.message} Nothing was stored; simplify the layer or send it in parts. "
            "读取文件超出内存或时间上限，未予保存。"
        ) from None
    except RegistryError:
        raise
    except Exception as exc:  # GDAL, PROJ or GEOS failing on the file: the file's fault, logged for us
        logger.warning("an upload failed in its parser: %s: %s", type(exc).__name__, exc)
        raise InvalidUpload(
            f"The file could not be read or repaired ({type(exc).__name__}); nothing was stored. "
            "文件无法读取或修复，未予保存。"
        ) from None


def new_report(layer: UploadedLayer, checked: CheckedLayer, findings: list[dict]) -> UploadReport:
    """A report of what was read and found, not yet stored."""
    return UploadReport(
        stored=False,
        file_format=layer.file_format,
        crs_handling=layer.crs_handling,
        gcj02=checked.gcj02,
        findings=findings,
    )


def area_names(session: Session) -> dict[str, str]:
    """Chinese names of every division, by code, for findings."""
    return {a.code: a.name_zh for a in geo_service.list_admin_areas(session)}


@dataclass(frozen=True)
class StoredAs:
    """The file as read, and who uploaded it: what every stored version records about its origin."""

    layer: UploadedLayer
    content: bytes
    filename: str
    actor: str


def finish_upload(
    session: Session,
    *,
    stored_as: StoredAs,
    upload: BoundaryUpload,
    checked: CheckedLayer,
    subjects: dict[object, dict],
    findings: dict[object, list[dict]],
    report_findings: list[dict],
) -> UploadReport:
    """The report, after storing one version per subject unless this is a dry run."""
    report = new_report(stored_as.layer, checked, report_findings)
    if upload.dry_run:
        return report
    stored = store_versions(session, stored_as, upload, checked, subjects, findings)
    report.stored, report.versions = True, versions.to_public(session, stored)
    return report


def store_versions(
    session: Session,
    stored_as: StoredAs,
    upload: BoundaryUpload,
    checked: CheckedLayer,
    subjects: dict[object, dict],
    findings: dict[object, list[dict]],
) -> list[BoundaryVersion]:
    layer, actor = stored_as.layer, stored_as.actor
    changes = ChangeSet(actor=actor, reason=upload.reason)
    sha256 = hashlib.sha256(stored_as.content).hexdigest()
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
                file_name=stored_as.filename[:255],
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
    layer = read_upload(content, upload, limits)
    union, repair = repaired_union(list(layer.frame.geometry), list(layer.repairs))
    checked = check_layer(session, {protection_id: union}, upload)
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
        names=area_names(session),
    )
    findings = [f.as_dict() for f in checked.findings + source_findings]
    return finish_upload(
        session,
        stored_as=StoredAs(layer, content, filename, actor),
        upload=upload,
        checked=checked,
        subjects={protection_id: {"protection_id": protection_id}},
        findings={protection_id: findings},
        report_findings=findings,
    )
