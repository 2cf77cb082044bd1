"""Uploaded boundaries over the API: officials upload areas and township layers; anyone reads them."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from gi_registry.auth.dependencies import Official
from gi_registry.dates import IsoDate
from gi_registry.db import SessionDep
from gi_registry.documents.files import read_limited
from gi_registry.errors import InvalidParameter, NotFound
from gi_registry.geo import township_layers, uploads
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.models import BoundaryVersion, BoundaryVersionPublic
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.indications.models import Protection
from gi_registry.sources.models import SourceIn

router = APIRouter(tags=["areas"])

GEOJSON = "application/geo+json"
GEOJSON_RESPONSE = {200: {"content": {GEOJSON: {}}, "description": "RFC 7946 GeoJSON (WGS84)"}}
UPLOAD_ERRORS = {401: {}, 403: {}, 404: {}, 409: {}, 413: {}, 415: {}, 422: {}}
AsOf = Annotated[
    IsoDate | None, Query(description="The boundaries in force on this date (YYYY-MM-DD); default today")
]
ProtectionId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def source_from_form(
    url: str | None, document: str | None, publisher: str | None, published: str | None, confidence: str
) -> SourceIn:
    """The upload's source, or a 422 naming what is wrong with it."""
    try:
        return SourceIn(
            url=url or None,
            document=document or None,
            publisher=publisher or None,
            published=published or None,
            confidence=confidence,
            fields=["geometry"],
        )
    except ValidationError as error:
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
        raise InvalidParameter(f"The source of the boundary is incomplete: {problems}.") from None


class UploadForm:
    """The form fields every boundary upload shares."""

    def __init__(
        self,
        file: Annotated[UploadFile, File(description="GeoJSON, KML/KMZ, zipped Shapefile or GeoPackage")],
        valid_from: Annotated[IsoDate, Form(description="First day this boundary applies")],
        reason: Annotated[str, Form(min_length=3, max_length=1000)],
        source_confidence: Annotated[Literal["H", "M", "L"], Form()],
        source_url: Annotated[str | None, Form(max_length=2000)] = None,
        source_document: Annotated[
            str | None, Form(max_length=1000, description="e.g. the announcement and its map sheet")
        ] = None,
        source_publisher: Annotated[str | None, Form(max_length=300)] = None,
        source_published: Annotated[str | None, Form(max_length=10)] = None,
        crs: Annotated[
            str | None,
            Form(max_length=100, description="Only for files that do not say it, e.g. EPSG:4490 (CGCS2000)"),
        ] = None,
        layer: Annotated[str | None, Form(max_length=200, description="Layer name in a GeoPackage")] = None,
        gcj02: Annotated[
            Literal["convert", "keep"] | None,
            Form(description="When the layer looks like GCJ-02: convert it to WGS84, or keep it as is"),
        ] = None,
        dry_run: Annotated[bool, Form(description="Check and report only; store nothing")] = False,
    ) -> None:
        self.file = file
        self.upload = uploads.BoundaryUpload(
            valid_from=valid_from,
            reason=reason,
            sources=[
                source_from_form(
                    source_url, source_document, source_publisher, source_published, source_confidence
                )
            ],
            crs=crs or None,
            layer=layer or None,
            gcj02=gcj02,
            dry_run=dry_run,
        )


def _limits(request: Request) -> uploads.UploadLimits:
    settings = request.app.state.settings
    return uploads.UploadLimits.from_settings(settings)


def _answer(report: uploads.UploadReport) -> JSONResponse:
    return JSONResponse(report.model_dump(mode="json"), status_code=201 if report.stored else 200)


@router.post(
    "/protections/{protection_id}/area/versions",
    response_model=uploads.UploadReport,
    status_code=201,
    responses=UPLOAD_ERRORS | {200: {"description": "Dry run: the report, nothing stored"}},
)
def upload_production_area(
    request: Request,
    session: SessionDep,
    user: Official,
    protection_id: ProtectionId,
    form: Annotated[UploadForm, Depends(UploadForm)],
) -> JSONResponse:
    """Upload a production-area polygon for a protection (officials): checked, then stored as a new version.

    422 `decision_needed` when the layer looks like GCJ-02 and `gcj02` is not set; nothing is stored then.
    """
    limits = _limits(request)
    report = uploads.upload_production_area(
        session,
        protection_id=protection_id,
        content=read_limited(form.file.file, limits.max_bytes),
        filename=form.file.filename or "upload",
        upload=form.upload,
        limits=limits,
        actor=f"{user.role.value}:{user.username}",
    )
    return _answer(report)


@router.post(
    "/townships/boundaries",
    response_model=uploads.UploadReport,
    status_code=201,
    responses=UPLOAD_ERRORS | {200: {"description": "Dry run: the report, nothing stored"}},
)
def upload_township_layer(
    request: Request,
    session: SessionDep,
    user: Official,
    form: Annotated[UploadForm, Depends(UploadForm)],
    code_field: Annotated[str | None, Form(max_length=60, description="Field holding NBS codes")] = None,
    name_field: Annotated[str | None, Form(max_length=60, description="Field holding names")] = None,
) -> JSONResponse:
    """Upload township polygons (officials): each feature is matched to a township by code or name."""
    limits = _limits(request)
    report = township_layers.upload_township_layer(
        session,
        content=read_limited(form.file.file, limits.max_bytes),
        filename=form.file.filename or "upload",
        upload=form.upload,
        limits=limits,
        actor=f"{user.role.value}:{user.username}",
        code_field=code_field or None,
        name_field=name_field or None,
    )
    return _answer(report)


@router.get("/protections/{protection_id}/area/versions", response_model=list[BoundaryVersionPublic])
def read_area_versions(session: SessionDep, protection_id: ProtectionId) -> list[BoundaryVersionPublic]:
    """Every uploaded version of a protection's production area, oldest first."""
    if session.get(Protection, protection_id) is None:
        raise NotFound(f"No protection with id {protection_id}.")
    return geo_versions.to_public(session, geo_versions.history_of(session, protection_id=protection_id))


@router.get(
    "/boundary-versions/{version_id}", response_class=JSONResponse, responses=GEOJSON_RESPONSE | {404: {}}
)
def read_boundary_version(
    session: SessionDep, version_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> JSONResponse:
    """One uploaded boundary version as a GeoJSON Feature."""
    version = session.get(BoundaryVersion, version_id)
    if version is None:
        raise NotFound(f"No boundary version with id {version_id}.")
    return JSONResponse(geo_versions.version_feature(version), media_type=GEOJSON)


@router.get("/townships/boundaries", response_class=JSONResponse, responses=GEOJSON_RESPONSE)
def read_township_boundaries(session: SessionDep, as_of: AsOf = None) -> JSONResponse:
    """The uploaded township polygons in force on a date, as a GeoJSON FeatureCollection."""
    features = [
        geo_versions.version_feature(v)
        for v in geo_versions.township_versions(session, as_of or date.today())
    ]
    return JSONResponse({"type": "FeatureCollection", "features": features}, media_type=GEOJSON)


@router.get(
    "/indications/{id_or_slug}/areas", response_class=JSONResponse, responses=GEOJSON_RESPONSE | {404: {}}
)
def read_indication_areas(session: SessionDep, id_or_slug: str, as_of: AsOf = None) -> JSONResponse:
    """A GI's production areas as drawn on a date, each saying how it was drawn (`basis`)."""
    indication = indications_service.get_indication(session, id_or_slug)
    collection = production_area_features(session, indication_ids=[indication.id], as_of=as_of)
    return JSONResponse(collection, media_type=GEOJSON)
