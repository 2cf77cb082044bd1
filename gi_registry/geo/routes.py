"""Administrative areas: county polygons as GeoJSON and the list of divisions."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from gi_registry.core.db import SessionDep
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AdminAreaPublic, AreaLevel

router = APIRouter(tags=["areas"])

GEOJSON = "application/geo+json"


@router.get(
    "/areas",
    response_class=JSONResponse,
    responses={200: {"content": {GEOJSON: {}}, "description": "RFC 7946 FeatureCollection"}},
)
def read_county_areas(session: SessionDep) -> JSONResponse:
    """The polygons of Yueyang's 9 county-level divisions (WGS84) as a GeoJSON FeatureCollection."""
    return JSONResponse(geo_service.county_feature_collection(session), media_type=GEOJSON)


@router.get("/divisions", response_model=list[AdminAreaPublic])
def read_divisions(
    session: SessionDep,
    level: Annotated[AreaLevel | None, Query(description="Only divisions of this level")] = None,
) -> list[AdminAreaPublic]:
    """Yueyang's administrative divisions (city, counties, townships) with their NBS codes."""
    return [
        AdminAreaPublic.model_validate(a, from_attributes=True)
        for a in geo_service.list_admin_areas(session, level=level)
    ]
