"""A protection's production area over the API: officials upload its versions; anyone reads them.

Beside the GI they belong to rather than in `geo`, so that geo (boundaries, places) never imports indications.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse

from gi_registry.auth.dependencies import Official
from gi_registry.core.db import SessionDep
from gi_registry.documents.files import read_limited
from gi_registry.geo import uploads
from gi_registry.geo.dependencies import (
    GEOJSON,
    GEOJSON_RESPONSE,
    UPLOAD_ERRORS,
    AsOf,
    UploadForm,
    upload_answer,
    upload_limits,
)
from gi_registry.geo.models import BoundaryVersionPublic
from gi_registry.indications import areas

router = APIRouter(tags=["areas"])

ProtectionId = Annotated[int, Path(ge=1, le=2**63 - 1)]


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
    limits = upload_limits(request)
    report = uploads.upload_production_area(
        session,
        protection_id=protection_id,
        content=read_limited(form.file.file, limits.max_bytes),
        filename=form.file.filename or "upload",
        upload=form.upload,
        limits=limits,
        actor=f"{user.role.value}:{user.username}",
    )
    return upload_answer(report)


@router.get("/protections/{protection_id}/area/versions", response_model=list[BoundaryVersionPublic])
def read_area_versions(session: SessionDep, protection_id: ProtectionId) -> list[BoundaryVersionPublic]:
    """Every uploaded version of a protection's production area, oldest first."""
    return areas.area_versions(session, protection_id)


@router.get(
    "/indications/{id_or_slug}/areas", response_class=JSONResponse, responses=GEOJSON_RESPONSE | {404: {}}
)
def read_indication_areas(session: SessionDep, id_or_slug: str, as_of: AsOf = None) -> JSONResponse:
    """A GI's production areas as drawn on a date, each saying how it was drawn (`basis`)."""
    return JSONResponse(areas.indication_area_features(session, id_or_slug, as_of), media_type=GEOJSON)
