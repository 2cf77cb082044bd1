"""Uploaded boundaries over the API: officials upload township layers; anyone reads boundary versions.

A protection's production-area routes live in `indications.area_routes`: they name protections and GIs, and
geo sits below indications.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import JSONResponse

from gi_registry.auth.dependencies import Official
from gi_registry.core.db import SessionDep
from gi_registry.documents.files import read_limited
from gi_registry.geo import township_layers, uploads
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.dependencies import (
    GEOJSON,
    GEOJSON_RESPONSE,
    UPLOAD_ERRORS,
    AsOf,
    UploadForm,
    upload_answer,
    upload_limits,
)

router = APIRouter(tags=["areas"])


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
    limits = upload_limits(request)
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
    return upload_answer(report)


@router.get(
    "/boundary-versions/{version_id}", response_class=JSONResponse, responses=GEOJSON_RESPONSE | {404: {}}
)
def read_boundary_version(
    session: SessionDep, version_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> JSONResponse:
    """One uploaded boundary version as a GeoJSON Feature."""
    version = geo_versions.get_version(session, version_id)
    return JSONResponse(geo_versions.version_feature(version), media_type=GEOJSON)


@router.get("/townships/boundaries", response_class=JSONResponse, responses=GEOJSON_RESPONSE)
def read_township_boundaries(session: SessionDep, as_of: AsOf = None) -> JSONResponse:
    """The uploaded township polygons in force on a date, as a GeoJSON FeatureCollection."""
    features = [
        geo_versions.version_feature(v)
        for v in geo_versions.township_versions(session, as_of or date.today())
    ]
    return JSONResponse({"type": "FeatureCollection", "features": features}, media_type=GEOJSON)
