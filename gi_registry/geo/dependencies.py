"""Query-parameter dependencies for places."""

from typing import Annotated

from fastapi import Query

from gi_registry.db import SessionDep
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AdminArea, AreaLevel

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
