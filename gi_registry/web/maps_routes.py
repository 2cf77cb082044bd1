"""Map documents, embedded by the pages and opened on their own; built by the maps package."""

import secrets
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from gi_registry.core import cache
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter
from gi_registry.core.etags import REVALIDATE, not_modified
from gi_registry.core.i18n import Lang
from gi_registry.geo import service as geo_service
from gi_registry.history.service import data_version
from gi_registry.indications import service as indications_service
from gi_registry.web import map_data
from gi_registry.web.dependencies import LangDep
from maps import builders, render, view
from maps import data as maps_data
from maps.context import MapContext

router = APIRouter(prefix="/maps", include_in_schema=False)


def _context(request: Request, lang) -> MapContext:  # noqa: ANN001 - a Lang
    settings = request.app.state.settings
    return MapContext(
        lang=lang, tiles=settings.tiles, demo=settings.demo_mode, view_above=settings.map_view_above
    )


# Map documents are kept in the app's cache (per data version, day, map and context) with this stand-in
# where each answer's CSP nonce goes. It is random per process and replaced in every answer, so it is
# never sent and no registry text in a document can know it.
_NONCE_SLOT = secrets.token_hex(16)
_NONCE_SLOT_BYTES = _NONCE_SLOT.encode()


def _html(
    request: Request,
    session: Session,
    lang: Lang,
    name: tuple,
    build: Callable[[MapContext], object],
) -> HTMLResponse:
    """The map document `name`, built by `build` once per data version, day and context.

    Folium's documents take a tenth of a second or more to build (the overview at national scale);
    each answer is the kept document with this response's CSP nonce (middleware.SecurityHeaders) put
    on the maps' own scripts, so no other inline script runs.
    """
    context = _context(request, lang)
    # Not compressed: the kept bytes are never sent as they are (each answer has its own nonce).
    entry = cache.of(request).get(
        session,
        ("maps", "document", *name, context, date.today()),
        lambda _version: render.document(build(context), _NONCE_SLOT).encode(),
        compressed=False,
    )
    nonce = getattr(request.state, "csp_nonce", None) or ""
    return HTMLResponse(entry.value.replace(_NONCE_SLOT_BYTES, nonce.encode()))


@router.get("/overview.html", response_class=HTMLResponse)
def overview(request: Request, session: SessionDep, lang: LangDep) -> HTMLResponse:
    """Yueyang's counties, GI production areas and producers."""
    return _html(
        request, session, lang, ("overview",), lambda context: builders.overview_map(session, context)
    )


@router.get("/label-switch.html", response_class=HTMLResponse)
def label_switch(request: Request, session: SessionDep, lang: LangDep) -> HTMLResponse:
    """Share of authorized producers on the unified 2020 mark, per county."""
    return _html(
        request, session, lang, ("label-switch",), lambda context: builders.label_switch_map(session, context)
    )


@router.get("/indications/{slug}.html", response_class=HTMLResponse)
def indication(request: Request, session: SessionDep, lang: LangDep, slug: str) -> HTMLResponse:
    """One GI's production areas and producers."""

    def build(context: MapContext) -> object:
        gi = indications_service.get_indication(session, slug)  # NotFound (404): nothing is kept
        return builders.indication_map(session, gi, context)

    return _html(request, session, lang, ("indication", slug), build)


@router.get("/counties/{code}.html", response_class=HTMLResponse)
def county(request: Request, session: SessionDep, lang: LangDep, code: str) -> HTMLResponse:
    """One county with the production areas that touch it."""

    def build(context: MapContext) -> object:
        return builders.county_map(session, geo_service.get_county(session, code), context)

    return _html(request, session, lang, ("county", code), build)


def _png(request: Request, session, name: str, lang, draw) -> Response:  # noqa: ANN001
    """A static map image, drawn again only when the data, the day (printed on it) or the language
    changed; 503 in words when the machine has no CJK font to draw it with."""
    etag = f'W/"{data_version(session)}-{date.today().isoformat()}-{lang.value}-{name}"'
    if (unchanged := not_modified(request, etag)) is not None:
        return unchanged
    headers = {
        "ETag": etag,
        "Content-Disposition": f'inline; filename="{name}-{lang.value}.png"',
        **REVALIDATE,
    }
    return Response(draw(), media_type="image/png", headers=headers)


@router.get("/indications/{slug}.png", response_class=Response)
def indication_image(request: Request, session: SessionDep, lang: LangDep, slug: str) -> Response:
    """One GI's map as a PNG (1200 × 900), for reports and documents."""
    from maps import static  # matplotlib on first use, not at start-up

    gi = indications_service.get_indication(session, slug)
    demo = request.app.state.settings.demo_mode
    return _png(request, session, gi.slug, lang, lambda: static.indication_png(session, gi, lang, demo=demo))


@router.get("/counties/{code}.png", response_class=Response)
def county_image(request: Request, session: SessionDep, lang: LangDep, code: str) -> Response:
    """One county's map as a PNG (1200 × 900), for reports and documents."""
    from maps import static  # matplotlib on first use, not at start-up

    area = geo_service.get_county(session, code)
    demo = request.app.state.settings.demo_mode
    return _png(request, session, area.code, lang, lambda: static.county_png(session, area, lang, demo=demo))


CountyQuery = Annotated[str | None, Query(max_length=12, description="Only this county's (a code)")]


def _county(session, county: str | None) -> str | None:  # noqa: ANN001 - a Session
    if county is not None:
        geo_service.get_county(session, county)  # NotFound (404) for anything but a county of Yueyang
    return county


@router.get("/data/producers.json")
async def producer_data(request: Request, county: CountyQuery = None) -> Response:
    """Located producers (all, or one county's) as compact rows, for the clustered layer (maps.data)."""
    demo = request.app.state.settings.demo_mode

    def build(session: Session) -> object:
        code = _county(session, county)  # a document is only ever built for a real county
        return maps_data.producer_points(session, county_code=code, include_synthetic=demo)

    return await map_data.serve(request, "producers", (demo, county), build)


@router.get("/data/areas.json")
async def area_data(request: Request, county: CountyQuery = None) -> Response:
    """Today's production areas (all, or those touching one county), simplified for drawing (maps.data)."""

    def build(session: Session) -> object:
        return maps_data.area_shapes(session, county_code=_county(session, county))

    return await map_data.serve(request, "areas", (county,), build)


# The same layers by view, one Web Mercator tile at a time (maps.view), for the maps of a registry too
# large to send whole (settings.map_view_above). Each tile is its own cached document with an ETag.
ZoomPath = Annotated[int, Path(ge=0, le=view.MAX_ZOOM, description="Zoom level of the tile")]
TilePath = Annotated[int, Path(ge=0, description="Tile column (x) or row (y) at that zoom")]


def _tile(z: int, x: int, y: int) -> tuple[int, int, int]:
    if x >= 2**z or y >= 2**z:
        raise InvalidParameter(
            f"tile {z}/{x}/{y} does not exist: x and y run from 0 to {2**z - 1} at zoom {z}"
        )
    return z, x, y


@router.get("/data/producers/{z}/{x}/{y}.json")
async def producer_tile(
    request: Request, z: ZoomPath, x: TilePath, y: TilePath, county: CountyQuery = None
) -> Response:
    """One tile of located producers: points, or counted clusters where there are many (maps.view)."""
    demo = request.app.state.settings.demo_mode
    tile = _tile(z, x, y)

    def index(session: Session) -> view.ProducerIndex:
        points = maps_data.producer_points(
            session, county_code=_county(session, county), include_synthetic=demo
        )
        return view.producer_index(points)

    def build(session: Session) -> object:
        found = map_data.indexed(request, session, "producer-index", (demo, county), index)
        return view.producer_tile(found, *tile)

    return await map_data.serve(request, "producer-tile", (demo, county, *tile), build)


@router.get("/data/areas/{z}/{x}/{y}.json")
async def area_tile(
    request: Request, z: ZoomPath, x: TilePath, y: TilePath, county: CountyQuery = None
) -> Response:
    """One tile of today's production areas, simplified for its zoom (maps.view)."""
    tile = _tile(z, x, y)

    def index(session: Session) -> view.AreaIndex:
        return view.map_area_index(session, county_code=_county(session, county))

    def build(session: Session) -> object:
        found = map_data.indexed(request, session, "area-index", (county,), index)
        return view.area_tile(found, *tile)

    return await map_data.serve(request, "area-tile", (county, *tile), build)
