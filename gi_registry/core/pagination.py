"""The list envelope and paging parameters shared by every list endpoint."""

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel

from gi_registry.core.errors import InvalidParameter

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of results: `data` holds the items, `count` the number matching the filters."""

    data: list[T]
    count: int


class PageParams(BaseModel):
    """Validated `limit` and `offset`."""

    limit: int
    offset: int


def page_params(
    request: Request,
    limit: Annotated[
        int | None, Query(ge=1, description="Items per page (at most the server's maximum).")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Items to skip.")] = 0,
) -> PageParams:
    """Read paging parameters, refusing a `limit` above the configured maximum with a clear message."""
    settings = request.app.state.settings
    if limit is None:
        limit = settings.default_page_size
    if limit > settings.max_page_size:
        raise InvalidParameter(f"limit must be at most {settings.max_page_size}; got {limit}.")
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]
