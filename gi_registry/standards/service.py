"""Reading standards and the GI products they govern."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import exists, func
from sqlmodel import Session, select

from gi_registry.core.errors import Conflict, InvalidParameter, InvalidUpload, NotFound
from gi_registry.core.pagination import Page
from gi_registry.documents import files
from gi_registry.documents.models import Document
from gi_registry.history import service as history_service
from gi_registry.history.edits import add_record, edit_record
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication, StandardRef
from gi_registry.sources import service as sources_service
from gi_registry.sources.models import EntityType
from gi_registry.standards.models import (
    GovernedIndication,
    Standard,
    StandardCreate,
    StandardIndication,
    StandardKind,
    StandardPublic,
    StandardStatus,
    StandardUpdate,
)


@dataclass(frozen=True)
class StandardFilter:
    """Filters of the standards list."""

    kind: StandardKind | None = None
    status: StandardStatus | None = None
    indication_id: int | None = None
    modified_since: datetime | None = None


def _filtered(query, filters: StandardFilter):  # noqa: ANN001, ANN202 - SQLAlchemy select in, select out
    if filters.kind is not None:
        query = query.where(Standard.kind == filters.kind)
    if filters.status is not None:
        query = query.where(Standard.status == filters.status)
    if filters.indication_id is not None:
        query = query.where(
            exists().where(
                StandardIndication.standard_id == Standard.id,
                StandardIndication.indication_id == filters.indication_id,
            )
        )
    if filters.modified_since is not None:
        query = query.where(
            Standard.id.in_(history_service.ids_changed_since("standard", filters.modified_since))
        )
    return query


def list_standards(
    session: Session, *, filters: StandardFilter, limit: int, offset: int
) -> Page[StandardPublic]:
    """A page of standards matching `filters`, with the total count."""
    count = session.exec(_filtered(select(func.count(Standard.id)), filters)).one()
    rows = session.exec(
        _filtered(select(Standard), filters).order_by(Standard.id).offset(offset).limit(limit)
    )
    return Page(data=to_public(session, list(rows.all())), count=count)


class StandardName(NamedTuple):
    """What a form choice shows of a standard version."""

    id: int
    number: str | None
    title_zh: str
    title_en: str | None
    status: StandardStatus | None


def standard_names(session: Session) -> list[StandardName]:
    """Every standard version, for officials' form choices."""
    rows = session.exec(
        select(Standard.id, Standard.number, Standard.title_zh, Standard.title_en, Standard.status).order_by(
            Standard.number, Standard.id
        )
    ).all()
    return [StandardName(*row) for row in rows]


def get_standard(session: Session, standard_id: int) -> Standard:
    """A standard by id, or NotFound."""
    standard = session.get(Standard, standard_id)
    if standard is None:
        raise NotFound(f"No standard with id {standard_id}.")
    return standard


def to_public(session: Session, standards: list[Standard]) -> list[StandardPublic]:
    """Public views of standards with the products they govern and their sources."""
    ids = [s.id for s in standards]
    governed: dict[int, list[GovernedIndication]] = defaultdict(list)
    if ids:
        for standard_id, indication in session.exec(
            select(StandardIndication.standard_id, Indication)
            .join(Indication, Indication.id == StandardIndication.indication_id)
            .where(StandardIndication.standard_id.in_(ids))
            .order_by(Indication.id)
        ):
            governed[standard_id].append(GovernedIndication.model_validate(indication, from_attributes=True))
    sources = sources_service.citations_for(session, EntityType.standard, ids)
    return [
        StandardPublic(
            **s.model_dump(include=set(StandardPublic.model_fields) - {"indications", "sources"}),
            indications=governed[s.id],
            sources=sources[s.id],
        )
        for s in standards
    ]


def create_standard(
    session: Session, *, standard_in: StandardCreate, actor: str, changes: ChangeSet | None = None
) -> Standard:
    """Record a standard with the GIs it governs, its sources and history (409 on a known number).

    Superseding an earlier version marks that version superseded in the same transaction. Commits, unless
    the caller passes the `changes` of a larger transaction (an import) and commits itself.
    """
    # `is not None`: an empty number is a number too, and a second one would break the unique index.
    if (
        standard_in.number is not None
        and session.exec(select(Standard).where(Standard.number == standard_in.number)).first()
    ):
        raise Conflict(f"The standard {standard_in.number} is already in the registry.")
    superseded = None
    if standard_in.supersedes_number:
        superseded = session.exec(
            select(Standard).where(Standard.number == standard_in.supersedes_number)
        ).first()
        if superseded is None:
            raise InvalidParameter(f"There is no standard {standard_in.supersedes_number} to supersede.")
    for indication_id in standard_in.indication_ids:
        if session.get(Indication, indication_id) is None:
            raise InvalidParameter(f"There is no GI product with id {indication_id}.")
    own_transaction = changes is None
    changes = changes or ChangeSet(actor=actor, reason=standard_in.reason)
    values = standard_in.model_dump(exclude={"supersedes_number", "indication_ids", "reason", "sources"})
    standard = Standard(
        key=f"standard-{uuid.uuid4().hex[:12]}", supersedes_id=superseded.id if superseded else None, **values
    )
    add_record(
        session, row=standard, entity_type=EntityType.standard, sources=standard_in.sources, changes=changes
    )
    for indication_id in sorted(set(standard_in.indication_ids)):
        session.add(StandardIndication(standard_id=standard.id, indication_id=indication_id))
    if superseded is not None and superseded.status != StandardStatus.superseded:
        changes.changed(
            session,
            EntityType.standard.value,
            superseded.id,
            "status",
            superseded.status.value if superseded.status else None,
            StandardStatus.superseded.value,
        )
        superseded.status = StandardStatus.superseded
        session.add(superseded)
    if own_transaction:
        session.commit()
        session.refresh(standard)
    return standard


def attach_text(
    session: Session,
    *,
    standard_id: int,
    filename: str | None,
    content_type: str | None,
    content: bytes,
    upload_root: Path,
    max_bytes: int,
    actor: str,
) -> Standard:
    """Store a standard's PDF text as a public document and point the standard at it, with history."""
    standard = get_standard(session, standard_id)
    checked = files.check_upload(filename, content_type, content, max_bytes)
    if checked.media_type != "application/pdf":
        raise InvalidUpload("A standard's text must be a PDF.")
    path, new = files.store(upload_root, checked)
    try:
        document = Document(
            sha256=checked.sha256,
            media_type=checked.media_type,
            size_bytes=len(checked.content),
            display_name=checked.display_name,
            public=True,
        )
        session.add(document)
        session.flush()
        changes = ChangeSet(actor=actor, reason="text of the standard attached")
        link = f"/api/v1/documents/{document.id}"
        changes.changed(
            session, EntityType.standard.value, standard.id, "file_path", standard.file_path, link
        )
        standard.file_path = link
        session.add(standard)
        session.commit()
    except BaseException:
        session.rollback()
        if new:
            files.forget_if_unused(session, path)
        raise
    session.refresh(standard)
    return standard


def correct_standard(session: Session, *, standard_id: int, update: StandardUpdate, actor: str) -> Standard:
    """Correct a standard's facts with the reason and sources."""
    standard = get_standard(session, standard_id)
    edit_record(session, row=standard, entity_type=EntityType.standard, update=update, actor=actor)
    return standard


def refs_by_indication(session: Session, indication_ids: Sequence[int]) -> dict[int, list[StandardRef]]:
    """The standards governing each of these products, by product id, oldest standard first.

    Handed to `indications.service.to_public` / `list_indications` by their callers (indications does
    not import standards: standards govern products, not the other way round)."""
    standards: dict[int, list[StandardRef]] = defaultdict(list)
    if indication_ids:
        for standard, indication_id in session.exec(
            select(Standard, StandardIndication.indication_id)
            .join(StandardIndication, StandardIndication.standard_id == Standard.id)
            .where(StandardIndication.indication_id.in_(indication_ids))
            .order_by(Standard.id)
        ):
            standards[indication_id].append(StandardRef.model_validate(standard, from_attributes=True))
    return standards
