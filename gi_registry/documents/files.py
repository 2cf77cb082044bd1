"""Checking uploads by their content and storing them under their hash, never under the client's name."""

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from sqlmodel import Session, select

from gi_registry.core.errors import InvalidUpload, PayloadTooLarge
from gi_registry.documents.models import Document

# Signatures at the start of the file decide the type; the name and the claimed type must agree.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}
GENERIC_TYPES = {None, "", "application/octet-stream", "binary/octet-stream"}
# An application needs a handful of scans; more in one request is a mistake or an attempt to exhaust disk.
MAX_FILES_PER_REQUEST = 5


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to store."""

    content: bytes
    media_type: str
    display_name: str
    sha256: str

    @property
    def extension(self) -> str:
        """The canonical extension of its type."""
        return EXTENSIONS[self.media_type][0]


def sniff(content: bytes) -> str | None:
    """The media type the bytes really are, among the accepted ones, or None."""
    for media_type, signatures in SIGNATURES.items():
        if any(content.startswith(signature) for signature in signatures):
            return media_type
    return None


def check_name(filename: str | None) -> str:
    """A safe display name, or InvalidUpload when the name carries a path or control characters."""
    if not filename or not filename.strip():
        raise InvalidUpload("Every file needs a name.")
    name = unicodedata.normalize("NFC", filename.strip())
    if any(sep in name for sep in ("/", "\\")) or name in (".", "..") or PurePath(name).name != name:
        raise InvalidUpload(f"The file name '{filename}' contains a path; send the file name alone.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name) or len(name) > 200:
        raise InvalidUpload("The file name contains control characters or is longer than 200 characters.")
    return name


def check_upload(
    filename: str | None, claimed_type: str | None, content: bytes, max_bytes: int
) -> CheckedFile:
    """Refuse empty, oversized, unrecognised or mislabelled files, saying which check failed."""
    name = check_name(filename)
    if not content:
        raise InvalidUpload(f"'{name}' is empty.")
    if len(content) > max_bytes:
        raise PayloadTooLarge(f"'{name}' is larger than the {max_bytes // (1024 * 1024)} MB allowed.")
    media_type = sniff(content)
    if media_type is None:
        raise InvalidUpload(f"'{name}' is not a PDF, JPEG or PNG file (checked by its content).")
    suffix = Path(name).suffix.lower()
    if suffix not in EXTENSIONS[media_type]:
        raise InvalidUpload(
            f"'{name}' is named as {suffix or 'a file without extension'} but its content is {media_type}; "
            "rename it or send the right file."
        )
    declared = (claimed_type or "").split(";")[0].strip().lower()
    if declared not in GENERIC_TYPES and declared != media_type:
        raise InvalidUpload(f"'{name}' was sent as {declared} but its content is {media_type}.")
    return CheckedFile(content, media_type, name, hashlib.sha256(content).hexdigest())


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """At most one byte more than allowed, so an oversized upload is refused without reading it all."""
    return stream.read(max_bytes + 1)


def stored_path(root: Path, sha256: str, extension: str) -> Path:
    """Where a file with this hash lives under `root`."""
    return root / sha256[:2] / f"{sha256}{extension}"


def store(root: Path, checked: CheckedFile) -> tuple[Path, bool]:
    """Write the file under its hash (atomically); returns the path and whether it was newly written."""
    path = stored_path(root, checked.sha256, checked.extension)
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two requests storing the same bytes at once must not collide.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{checked.sha256[:8]}-", suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(checked.content)
    os.replace(temporary, path)
    return path, True


def forget_if_unused(session: Session, path: Path) -> None:
    """Delete a stored file after a failed write, unless a committed document (of another request) uses it."""
    sha256 = path.name.split(".")[0]
    if session.exec(select(Document.id).where(Document.sha256 == sha256)).first() is None:
        path.unlink(missing_ok=True)


def attach(
    session: Session,
    root: Path,
    checked: list[CheckedFile],
    *,
    owner_producer_id: int,
    uploaded_by: int | None,
    written: list[Path],
    **links: int | None,
) -> None:
    """Store checked files and add their Document rows (linked by `links`, e.g. `renewal_id=`) to the
    caller's transaction; the paths newly written are added to `written`, for `commit_or_remove`."""
    for item in checked:
        path, new = store(root, item)
        if new:
            written.append(path)
        session.add(
            Document(
                sha256=item.sha256,
                media_type=item.media_type,
                size_bytes=len(item.content),
                display_name=item.display_name,
                owner_producer_id=owner_producer_id,
                uploaded_by=uploaded_by,
                **links,
            )
        )


def commit_or_remove(session: Session, written: list[Path]) -> None:
    """Commit; if that fails, remove the files this request wrote, so nothing is left half-done."""
    try:
        session.commit()
    except BaseException:
        session.rollback()
        for path in written:
            forget_if_unused(session, path)
        raise
