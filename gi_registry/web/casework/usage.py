"""The officials' usage page: coverage of the special mark per GI, and each county's yearly report."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from gi_registry.core.db import SessionDep
from gi_registry.core.downloads import XLSX, attachment
from gi_registry.core.errors import NotFound
from gi_registry.core.i18n import t
from gi_registry.labels.usage import usage_desk
from gi_registry.labels.usage_report import county_workbook
from gi_registry.web.casework.views import gate
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser, render_form

router = APIRouter(include_in_schema=False)


@router.get("/officials/usage", response_class=HTMLResponse, response_model=None)
def usage_page(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """Per GI: users of the mark among the producers on record, and the distance to the thresholds."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    today = date.today()
    desk = usage_desk(session, today=today, include_synthetic=request.app.state.settings.demo_mode)
    return render_form(
        request,
        "casework/usage.html",
        lang,
        {"user": user, "desk": desk, "years": [today.year, today.year - 1]},
    )


@router.get("/officials/usage/counties/{county_code}/{year}.xlsx", response_model=None)
def county_report(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    county_code: Annotated[str, Path(max_length=12, pattern=r"^[0-9]{6,12}$")],
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> Response:
    """The county's yearly report to the city, as on the API."""
    blocked = gate(request, user)
    if blocked:
        return blocked
    today = date.today()
    if year > today.year:
        return not_found(request, lang, t("usage_no_such_report", lang))
    try:
        content = county_workbook(
            session,
            county_code=county_code,
            year=year,
            today=today,
            include_synthetic=request.app.state.settings.demo_mode,
        )
    except NotFound:
        return not_found(request, lang, t("usage_no_such_report", lang))
    return attachment(content, f"gi-usage-{county_code}-{year}.xlsx", XLSX)
