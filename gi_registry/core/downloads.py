"""A file for the browser to save: one place that names the download and its type."""

from fastapi.responses import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def attachment(content: bytes, filename: str, media_type: str) -> Response:
    """`content` served as a download named `filename` (names are ASCII, made by the registry)."""
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
