"""Request dependencies for places: query parameters, and the form every boundary upload shares."""

from typing import Annotated, Literal

from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from gi_registry.core.dates import IsoDate
from gi_registry.core.db import SessionDep
from gi_registry.geo import service as geo_service
from gi_registry.geo import uploads
from gi_registry.geo.models import AdminArea, AreaLevel
from gi_registry.sources import service as sources_service

CountyQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        description="County-level division by code (430623), Chinese name (华容县) or English name; "
        "430600 / 岳阳市 means the whole city.",
    ),
]


def county_scope(session: SessionDep, county: CountyQuery = None) -> AdminArea | None:
    """The county (or the city) named by `county`, or None when the filter is absent."""
    return None if county is None else geo_service.resolve_county(session, county)


def codes_within(session: SessionDep, area: AdminArea | None, *, include_parent: bool) -> tuple[str, ...]:
    """Codes a filter on `area` matches: the area, its counties if it is the city, its city if asked."""
    if area is None:
        return ()
    codes = [area.code]
    if area.level == AreaLevel.city:
        codes += [
            a.code
            for a in geo_service.list_admin_areas(session, level=AreaLevel.county)
            if a.parent_code == area.code
        ]
    elif include_parent and area.parent_code:
        codes.append(area.parent_code)
    return tuple(codes)


GEOJSON = "application/geo+json"
GEOJSON_RESPONSE = {200: {"content": {GEOJSON: {}}, "description": "RFC 7946 GeoJSON (WGS84)"}}
UPLOAD_ERRORS = {401: {}, 403: {}, 404: {}, 409: {}, 413: {}, 415: {}, 422: {}}
AsOf = Annotated[
    IsoDate | None, Query(description="The boundaries in force on this date (YYYY-MM-DD); default today")
]


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
                sources_service.source_from_form(
                    source_url, source_document, source_publisher, source_published, source_confidence
                )
            ],
            crs=crs or None,
            layer=layer or None,
            gcj02=gcj02,
            dry_run=dry_run,
        )


def upload_limits(request: Request) -> uploads.UploadLimits:
    """The upload limits of this app's settings."""
    settings = request.app.state.settings
    return uploads.UploadLimits.from_settings(settings)


def upload_answer(report: uploads.UploadReport) -> JSONResponse:
    """201 with the report when something was stored, 200 for a dry run."""
    return JSONResponse(report.model_dump(mode="json"), status_code=201 if report.stored else 200)
