"""Public pages: thin routes over the same services the API and the maps use."""

from datetime import date
from typing import Annotated

import segno
from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter, NotFound, RegistryError
from gi_registry.core.i18n import t
from gi_registry.core.limits import client_address
from gi_registry.geo import service as geo_service
from gi_registry.geo import versions as geo_versions
from gi_registry.geo.drawing import AreaBasis
from gi_registry.indications import coverage as coverage_report
from gi_registry.indications import service as indications_service
from gi_registry.indications.areas import production_area_features
from gi_registry.labels import mark_applications
from gi_registry.labels import service as labels_service
from gi_registry.producers import service as producers_service
from gi_registry.reports import service as reports_service
from gi_registry.standards import service as standards_service
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found, render
from gi_registry.web.session import check_csrf, render_form

router = APIRouter(include_in_schema=False)

ALL = 1000  # Yueyang's registry is small enough to list whole on a page


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    """The overview map, the search box and the list of GI products."""
    filters = indications_service.IndicationFilter(q=q.strip() or None if q else None)
    page = indications_service.list_indications(
        session,
        filters=filters,
        limit=ALL,
        offset=0,
        today=date.today(),
        standards_of=standards_service.refs_by_indication,
    )
    counties = geo_service.yueyang_counties(session)
    return render(
        request,
        "home.html",
        lang,
        {"indications": page.data, "count": page.count, "q": q or "", "counties": counties},
    )


@router.get("/indications/{slug}", response_class=HTMLResponse)
def indication_page(request: Request, session: SessionDep, lang: LangDep, slug: str) -> HTMLResponse:
    """A GI product: names, protections with sources, production area map, standards, producers."""
    try:
        indication = indications_service.get_indication(session, slug)
    except NotFound:
        return not_found(request, lang, t("not_found_page", lang))
    public = indications_service.to_public(
        session, [indication], today=date.today(), standards_of=standards_service.refs_by_indication
    )[0]
    producers = producers_service.list_producers(
        session,
        filters=producers_service.ProducerFilter(
            indication_id=indication.id, include_synthetic=request.app.state.settings.demo_mode
        ),
        limit=ALL,
        offset=0,
    )
    drawings = {
        f["properties"]["protection_id"]: f["properties"]
        for f in production_area_features(session, indication_ids=[indication.id])["features"]
    }
    area_versions = {
        p.id: geo_versions.to_public(session, geo_versions.history_of(session, protection_id=p.id))
        for p in public.protections
        if p.area is not None
    }
    return render(
        request,
        "indication.html",
        lang,
        {
            "gi": public,
            "producers": producers.data,
            "drawings": drawings,
            "drawn_any": any(d["basis"] != AreaBasis.range_disjoint for d in drawings.values()),
            "area_versions": area_versions,
            "announcements": mark_applications.list_announcements(
                session, indication_id=indication.id, include_synthetic=request.app.state.settings.demo_mode
            ),
        },
    )


@router.get("/counties/{code}", response_class=HTMLResponse)
def county_page(request: Request, session: SessionDep, lang: LangDep, code: str) -> HTMLResponse:
    """A county: its map and the GI products its sources name."""
    try:
        county = geo_service.get_county(session, code)
    except NotFound:
        return not_found(request, lang, t("not_found_page", lang))
    codes = (county.code, county.parent_code) if county.parent_code else (county.code,)
    page = indications_service.list_indications(
        session,
        filters=indications_service.IndicationFilter(county_codes=codes),
        limit=ALL,
        offset=0,
        today=date.today(),
        standards_of=standards_service.refs_by_indication,
    )
    return render(request, "county.html", lang, {"county": county, "indications": page.data})


@router.get("/standards", response_class=HTMLResponse)
def standards_page(request: Request, session: SessionDep, lang: LangDep) -> HTMLResponse:
    """Every standard and management rule with the GI products it governs."""
    page = standards_service.list_standards(
        session, filters=standards_service.StandardFilter(), limit=ALL, offset=0
    )
    return render(request, "standards.html", lang, {"standards": page.data})


@router.get("/producers/{producer_id}", response_class=HTMLResponse)
def producer_page(request: Request, session: SessionDep, lang: LangDep, producer_id: int) -> HTMLResponse:
    """A producer: roles towards GIs, sources, and a QR code to verify its label when its code is known."""
    try:
        producer = producers_service.get_producer(
            session, producer_id, include_synthetic=request.app.state.settings.demo_mode
        )
    except NotFound:
        return not_found(request, lang, t("not_found_page", lang))
    public = producers_service.to_public(session, [producer])[0]
    qr_svg = None
    if public.uscc:
        verify_url = str(request.url_for("verify_result", code=public.uscc))
        qr_svg = segno.make(verify_url, error="m").svg_inline(scale=3, title=verify_url)
    return render(request, "producer.html", lang, {"producer": public, "qr_svg": qr_svg})


@router.get("/about", response_class=HTMLResponse)
def about_page(request: Request, session: SessionDep, lang: LangDep) -> HTMLResponse:
    """Coverage against the official totals, what is unknown, and where the data comes from."""
    return render(request, "about.html", lang, {"coverage": coverage_report.coverage(session)})


@router.get("/verify", response_class=HTMLResponse, response_model=None)
def verify_form(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    code: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse | RedirectResponse:
    """The form where a consumer types the code printed on a GI special mark."""
    if code and code.strip() and not code.strip().isalnum():
        # A code is 18 letters and digits; anything else (a "/" cannot even go into the result's
        # address) is answered here, on the form, instead of failing to build the redirect.
        error = t("verify_malformed", lang)
        return _verify_page(request, session, lang, {"code": code, "result": None, "error": error}, 422)
    if code and code.strip():
        target = request.url_for("verify_result", code=code.strip())
        return RedirectResponse(f"{target.path}?lang={lang.value}", status_code=303)
    return _verify_page(request, session, lang, {"code": "", "result": None, "error": None})


@router.get("/verify/{code}", response_class=HTMLResponse, name="verify_result")
def verify_result(request: Request, session: SessionDep, lang: LangDep, code: str) -> HTMLResponse:
    """The answer for one code: producer, GIs, label version, status and the authorization's source."""
    try:
        result = labels_service.verify_code(
            session, code[:40], include_synthetic=request.app.state.settings.demo_mode
        )
    except InvalidParameter:
        return _verify_page(
            request, session, lang, {"code": code, "result": None, "error": t("verify_invalid", lang)}
        )
    except NotFound:
        # "Not in the registry" is the answer to the question the page asks, not a missing page.
        return _verify_page(request, session, lang, {"code": code, "result": None, "error": "unknown"})
    return _verify_page(request, session, lang, {"code": result.code, "result": result, "error": None})


def _verify_page(request: Request, session, lang, context: dict, status_code: int = 200) -> HTMLResponse:  # noqa: ANN001
    gis = indications_service.list_indications(
        session,
        filters=indications_service.IndicationFilter(),
        limit=ALL,
        offset=0,
        today=date.today(),
        standards_of=standards_service.refs_by_indication,
    ).data
    return render_form(request, "verify.html", lang, {"gis": gis, "report": None, **context}, status_code)


@router.post("/verify/report", response_class=HTMLResponse)
def report_misuse(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    location: Annotated[str, Form(min_length=2, max_length=300)],
    description: Annotated[str, Form(min_length=5, max_length=4000)],
    indication: Annotated[str | None, Form(max_length=80)] = None,
    contact: Annotated[str | None, Form(max_length=200)] = None,
    photo: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    """A consumer reports a suspected counterfeit or misused label; the page shows the reference to keep."""
    check_csrf(request, csrf)
    request.app.state.report_limit.hit(client_address(request), "reports from this address")
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    picture = (
        (photo.filename, photo.content_type, photo.file.read(limit + 1)) if photo and photo.filename else None
    )
    try:
        if picture is not None:
            request.app.state.report_photo_limit.hit(
                client_address(request), "report photos from this address"
            )
        report = reports_service.file_report(
            session,
            indication=indication or None,
            location=location,
            description=description,
            contact=contact,
            photo=picture,
            upload_root=settings.upload_dir,
            max_bytes=limit,
            photo_storage_bytes=int(settings.report_photos_total_mb * 1024 * 1024),
        )
    except RegistryError as exc:
        mb = f"{request.app.state.settings.max_upload_mb:g}"
        context = {
            "code": "",
            "result": None,
            "error": None,
            "report_error": t("report_refused", lang, mb=mb),
        }
        return _verify_page(request, session, lang, context, exc.status_code)
    return _verify_page(request, session, lang, {"code": "", "result": None, "error": None, "report": report})
