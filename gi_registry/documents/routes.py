"""Downloading a document, for those allowed to read it."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse

from gi_registry.auth.dependencies import OptionalUser
from gi_registry.auth.models import Role
from gi_registry.db import SessionDep
from gi_registry.documents import files
from gi_registry.documents.models import Document
from gi_registry.errors import NotFound

router = APIRouter(tags=["documents"])


@router.get("/documents/{document_id}", response_class=FileResponse, responses={401: {}, 404: {}})
def download_document(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    document_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
) -> FileResponse:
    """A document: public ones to anyone, application files to their producer and to officials."""
    document = session.get(Document, document_id)
    if document is not None and not document.public:
        # The public gets the same 404 as for an id that does not exist (a 401 here told anyone
        # which ids hold application files); a producer likewise for another producer's document.
        own = (
            user is not None and user.role == Role.producer and user.producer_id == document.owner_producer_id
        )
        if not (own or (user is not None and user.role in (Role.official, Role.admin))):
            document = None
    if document is None:
        hint = "" if user is not None else " (application files need signing in)"
        raise NotFound(f"No document with id {document_id} that you can read{hint}.")
    extension = files.EXTENSIONS[document.media_type][0]
    path = files.stored_path(request.app.state.settings.upload_dir, document.sha256, extension)
    if not path.is_file():
        raise NotFound(
            f"The file of document {document_id} is missing from storage; tell the registry's operators."
        )
    # The stored name is the hash; the download gets the display name, quoted safely by Starlette.
    return FileResponse(path, media_type=document.media_type, filename=document.display_name)
