"""Documents opened from the pages (application files, report photos), with the signed-in browser's
account and the same rule as GET /api/v1/documents/{id}."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, Response

from gi_registry.core.db import SessionDep
from gi_registry.core.errors import NotFound, Unauthorized
from gi_registry.core.i18n import t
from gi_registry.documents import access
from gi_registry.web.dependencies import LangDep
from gi_registry.web.rendering import not_found
from gi_registry.web.session import WebUser

router = APIRouter(include_in_schema=False)


@router.get("/documents/{document_id}", response_model=None)
def open_document(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    document_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
) -> Response:
    """The file, shown inline where the browser can (PDF, images); a page saying so when it cannot be read."""
    try:
        document = access.readable_document(session, document_id, user)
        path = access.stored_file(request.app.state.settings.upload_dir, document)
    except (NotFound, Unauthorized):
        return not_found(request, lang, t("doc_not_found", lang))
    return FileResponse(
        path,
        media_type=document.media_type,
        filename=document.display_name,
        content_disposition_type="inline",
    )
