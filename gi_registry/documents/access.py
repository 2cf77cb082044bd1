"""Who may read a stored document, and where its bytes are: one rule for the API and the pages."""

from pathlib import Path

from sqlmodel import Session

from gi_registry.auth.models import Role, User
from gi_registry.core.errors import NotFound
from gi_registry.documents import files
from gi_registry.documents.models import Document


def readable_document(session: Session, document_id: int, user: User | None) -> Document:
    """A document this user may read: public ones to anyone, application files to their producer and
    to officials. Another producer's file is NotFound, so its existence is not revealed."""
    document = session.get(Document, document_id)
    if document is not None and not document.public:
        # The public gets the same 404 as for an id that does not exist (a 401 here told anyone which
        # ids hold application files); a producer likewise for another producer's document.
        own = (
            user is not None and user.role == Role.producer and user.producer_id == document.owner_producer_id
        )
        if not (own or (user is not None and user.role in (Role.official, Role.admin))):
            document = None
    if document is None:
        hint = "" if user is not None else " (application files need signing in)"
        raise NotFound(f"No document with id {document_id} that you can read{hint}.")
    return document


def stored_file(upload_dir: Path, document: Document) -> Path:
    """The file holding a document's bytes; NotFound when storage lost it."""
    extension = files.EXTENSIONS[document.media_type][0]
    path = files.stored_path(upload_dir, document.sha256, extension)
    if not path.is_file():
        raise NotFound(
            f"The file of document {document.id} is missing from storage; tell the registry's operators."
        )
    return path
