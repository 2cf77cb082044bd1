"""Usage coverage of the special mark per GI, and the county's yearly report, over the API (officials)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from gi_registry.auth.dependencies import require_roles
from gi_registry.auth.models import Role
from gi_registry.core.db import SessionDep
from gi_registry.core.downloads import XLSX, attachment
from gi_registry.core.errors import InvalidParameter
from gi_registry.labels.usage import UsageCoverage, usage_coverage
from gi_registry.labels.usage_report import county_workbook

router = APIRouter(tags=["labels"])


@router.get(
    "/usage-coverage",
    response_model=UsageCoverage,
    responses={401: {}, 403: {}},
    dependencies=[Depends(require_roles(Role.official, Role.admin))],
)
def read_usage_coverage(request: Request, session: SessionDep) -> UsageCoverage:
    """Per GI: producers on record, users of the special mark, coverage, and how far the GI is from
    Hunan's demonstration-zone thresholds (≥ 5 users and ≥ 50 %; 80 % within the two-year build-up)."""
    return usage_coverage(session, today=date.today(), include_synthetic=request.app.state.settings.demo_mode)


@router.get(
    "/usage-coverage/counties/{county_code}/{year}.xlsx",
    response_class=Response,
    responses={401: {}, 403: {}, 404: {}, 422: {}},
    summary="A county's yearly report on the use of the GI special mark (XLSX)",
    dependencies=[Depends(require_roles(Role.official, Role.admin))],
)
def county_usage_report(
    request: Request,
    session: SessionDep,
    county_code: Annotated[str, Path(max_length=12, pattern=r"^[0-9]{6,12}$")],
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> Response:
    """Per GI with producers on record in the county: producers, users, and the year's authorizations,
    suspensions and revocations."""
    today = date.today()
    if year > today.year:
        raise InvalidParameter("A yearly report is for this year or an earlier one.")
    content = county_workbook(
        session,
        county_code=county_code,
        year=year,
        today=today,
        include_synthetic=request.app.state.settings.demo_mode,
    )
    return attachment(content, f"gi-usage-{county_code}-{year}.xlsx", XLSX)
