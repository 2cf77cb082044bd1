"""Filing and triaging misuse reports."""

import secrets
from pathlib import Path

from sqlmodel import Session, func, select

from gi_registry.core.errors import (
    InvalidParameter,
    InvalidTransition,
    InvalidUpload,
    NotFound,
    PayloadTooLarge,
)
from gi_registry.documents import files
from gi_registry.documents.models import Document
from gi_registry.history.service import ChangeSet
from gi_registry.indications.models import Indication
from gi_registry.reports.models import MisuseReport, ReportStatus, TriageIn

REPORT = "misuse_report"
TRIAGE = {
    ReportStatus.new: {ReportStatus.investigating, ReportStatus.closed},
    ReportStatus.investigating: {ReportStatus.closed},
    ReportStatus.closed: set(),
}
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone


def new_reference() -> str:
    """A reference the reporter can type: GI- and 8 unambiguous characters."""
    return "GI-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def file_report(
    session: Session,
    *,
    indication: str | None,
    location: str,
    description: str,
    contact: str | None,
    photo: tuple[str | None, str | None, bytes] | None,
    upload_root: Path,
    max_bytes: int,
    photo_storage_bytes: int | None = None,
) -> MisuseReport:
    """Store a report (and its photo, which must be a JPEG or PNG) and return it with its reference.

    `photo_storage_bytes` caps what all reports' photos may take together: anyone may file a report,
    so without it the disk is one script away from full.
    """
    indication_id = None
    if indication:
        found = session.exec(
            select(Indication).where((Indication.slug == indication) | (Indication.name_zh == indication))
        ).first()
        if found is None:
            raise InvalidParameter(f"'{indication}' is not a GI product in the registry.")
        indication_id = found.id
    if not location.strip() or not description.strip():
        raise InvalidParameter("Say where you saw the label and what you saw.")
    checked = None
    if photo is not None:
        checked = files.check_upload(photo[0], photo[1], photo[2], max_bytes)
        if checked.media_type not in ("image/jpeg", "image/png"):
            raise InvalidUpload("The photo must be a JPEG or PNG picture.")
        if photo_storage_bytes is not None:
            stored = session.exec(
                select(func.coalesce(func.sum(Document.size_bytes), 0))
                .select_from(MisuseReport)
                .join(Document, Document.id == MisuseReport.photo_document_id)
            ).one()
            if stored + len(checked.content) > photo_storage_bytes:
                raise PayloadTooLarge(
                    "The registry is not taking more report photos for now; send the report without the "
                    "photo and keep the picture: an official may ask for it."
                )
    written: list[Path] = []
    try:
        document_id = None
        if checked is not None:
            path, new = files.store(upload_root, checked)
            if new:
                written.append(path)
            document = Document(
                sha256=checked.sha256,
                media_type=checked.media_type,
                size_bytes=len(checked.content),
                display_name=checked.display_name,
            )
            session.add(document)
            session.flush()
            document_id = document.id
        report = MisuseReport(
            reference=new_reference(),
            indication_id=indication_id,
            location=location.strip(),
            description=description.strip(),
            contact=(contact or "").strip() or None,
            photo_document_id=document_id,
        )
        session.add(report)
        session.flush()
        ChangeSet(actor="public", reason="misuse report filed").created(
            session, REPORT, report.id, {"reference": report.reference, "indication_id": indication_id}
        )
        session.commit()
    except BaseException:
        session.rollback()
        for path in written:
            files.forget_if_unused(session, path)
        raise
    session.refresh(report)
    return report


def list_reports(session: Session, status: ReportStatus | None = None) -> list[MisuseReport]:
    """Reports for officials, newest first, optionally in one state."""
    query = select(MisuseReport).order_by(MisuseReport.id.desc())
    if status is not None:
        query = query.where(MisuseReport.status == status)
    return list(session.exec(query).all())


def get_report(session: Session, report_id: int) -> MisuseReport:
    """A report by id, or NotFound."""
    report = session.get(MisuseReport, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    return report


def next_statuses(status: ReportStatus) -> list[ReportStatus]:
    """Where a report in this state may go next."""
    return [s for s in ReportStatus if s in TRIAGE[status]]


def by_reference(session: Session, reference: str) -> MisuseReport:
    """A report by its reference, or NotFound."""
    report = session.exec(
        select(MisuseReport).where(MisuseReport.reference == reference.strip().upper())
    ).first()
    if report is None:
        raise NotFound(f"No report with the reference {reference}.")
    return report


def triage(session: Session, *, report_id: int, triage_in: TriageIn, actor: str) -> MisuseReport:
    """Move a report along new → investigating → closed (closing needs an outcome)."""
    report = get_report(session, report_id)
    if triage_in.status not in TRIAGE[report.status]:
        raise InvalidTransition(f"A report cannot go from {report.status.value} to {triage_in.status.value}.")
    if triage_in.status == ReportStatus.closed and not triage_in.outcome:
        raise InvalidParameter("Closing a report needs its outcome.")
    changes = ChangeSet(actor=actor, reason="misuse report triage")
    changes.changed(session, REPORT, report.id, "status", report.status.value, triage_in.status.value)
    if triage_in.outcome is not None:
        changes.changed(session, REPORT, report.id, "outcome", report.outcome, triage_in.outcome)
        report.outcome = triage_in.outcome
    report.status = triage_in.status
    session.add(report)
    session.commit()
    session.refresh(report)
    return report
