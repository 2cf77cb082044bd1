"""Conditional GET: weak ETags of the data version, and 304 when the client already has the bytes."""

from fastapi import Request, Response

REVALIDATE = {"Cache-Control": "no-cache"}  # clients may keep a copy but must ask before using it


def not_modified(request: Request, etag: str) -> Response | None:
    """A 304 answer when `If-None-Match` names `etag` (or is `*`), else None."""
    wanted = request.headers.get("if-none-match")
    if wanted and (wanted.strip() == "*" or etag in (tag.strip() for tag in wanted.split(","))):
        return Response(status_code=304, headers={"ETag": etag, **REVALIDATE})
    return None
