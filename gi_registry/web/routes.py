"""Public pages. The full map site is built on these services (see the maps issue)."""

from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from gi_registry.db import SessionDep
from gi_registry.indications import coverage as coverage_report
from gi_registry.indications import service as indications_service

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    """The list of Yueyang's GI products, Chinese first, with their protections and sources."""
    page = indications_service.list_indications(
        session, filters=indications_service.IndicationFilter(), limit=1000, offset=0, today=date.today()
    )
    return templates.TemplateResponse(
        request,
        "home.html",
        {"indications": page.data, "count": page.count, "coverage": coverage_report.coverage(session)},
    )
