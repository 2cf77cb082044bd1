"""Officials upload a spreadsheet: checked row by row, written all-or-nothing."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BeforeValidator

from gi_registry.auth.dependencies import Official
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidUpload, PayloadTooLarge
from gi_registry.core.sandbox import Budget
from gi_registry.imports.service import ImportKind, import_file

router = APIRouter(tags=["imports"])


def _true_or_false(value: object) -> object:
    """Form fields are text: only 'true' or 'false' are a yes/no, not '0', 'off' or 'no' (lax pydantic)."""
    if isinstance(value, str) and value.strip().lower() not in ("true", "false"):
        raise ValueError("write true or false")
    return value


@router.post("/imports", responses={401: {}, 403: {}, 422: {}})
def upload_spreadsheet(
    request: Request,
    session: SessionDep,
    user: Official,
    file: Annotated[
        UploadFile, File(description="A .csv (UTF-8) or .xlsx file laid out like data/templates/")
    ],
    kind: Annotated[ImportKind, Form()],
    reason: Annotated[str, Form(min_length=3, max_length=500)] = "spreadsheet import",
    dry_run: Annotated[bool, BeforeValidator(_true_or_false), Form()] = True,
) -> dict:
    """Check (dry_run, the default) or import a spreadsheet of producers or authorizations."""
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    content = file.file.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(
            f"The file is larger than the {request.app.state.settings.max_upload_mb:g} MB allowed."
        )
    report = import_file(
        session,
        kind=kind,
        filename=file.filename or "upload",
        content=content,
        actor=f"{user.role.value}:{user.username}",
        reason=reason,
        dry_run=dry_run,
        budget=Budget(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds),
    )
    if report.unreadable:
        # The file as a whole was refused: an error like any other upload's, not a report of rows.
        problem = report.problems[0]
        raise InvalidUpload(f"{problem.en} {problem.zh}。Nothing was written.")
    return {
        "kind": report.kind.value,
        "rows": report.rows,
        "created": report.created,
        "written": report.written,
        "problems": [asdict(p) for p in report.problems],
    }
