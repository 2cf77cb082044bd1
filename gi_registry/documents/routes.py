"""Downloading a document, for those allowed to read it."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse

from gi_registry.auth.dependencies import OptionalUser
from gi_registry.core.db import SessionDep
from gi_registry.documents import access

router = APIRouter(tags=["documents"])


@router.get("/documents/{document_id}", response_class=FileResponse, responses={401: {}, 404: {}})
def download_document(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    document_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
) -> FileResponse:
    """A document: public ones to anyone, application files to their producer and to officials."""
    document = access.readable_document(session, document_id, user)
    path = access.stored_file(request.app.state.settings.upload_dir, document)
    # The stored name is the hash; the download gets the display name, quoted safely by Starlette.
    return FileResponse(path, media_type=document.media_type, filename=document.display_name)
