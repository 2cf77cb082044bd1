"""Conditional GET: the one reading of `If-None-Match` (RFC 9110 weak comparison), and the 304."""

from fastapi import Request, Response

REVALIDATE = {"Cache-Control": "no-cache"}  # clients may keep a copy but must ask before using it


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag[:2] in ("W/", "w/") else tag


def matches(header: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` value names `etag`: `*`, or any tag of a list, weak or strong alike."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    # Tags are quoted and may hold commas only inside quotes, which ours never do.
    return _opaque(etag) in {_opaque(tag) for tag in header.split(",") if tag.strip()}


def not_modified(request: Request, etag: str, headers: dict[str, str] | None = None) -> Response | None:
    """A 304 answer when `If-None-Match` names `etag` (or is `*`), else None."""
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers={"ETag": etag, **REVALIDATE, **(headers or {})})
    return None
