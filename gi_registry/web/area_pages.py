"""Officials' page to upload production-area maps and township boundary layers, with the checks' report."""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from gi_registry.core.dates import IsoDate
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import DecisionNeeded, RegistryError
from gi_registry.documents.files import read_limited
from gi_registry.geo import township_layers, uploads
from gi_registry.indications import areas
from gi_registry.sources.service import source_from_form
from gi_registry.web.casework.views import gate
from gi_registry.web.dependencies import LangDep
from gi_registry.web.session import WebUser, check_csrf, render_form

router = APIRouter(include_in_schema=False)


def _page(request: Request, session: Session, lang, user, **context) -> Response:  # noqa: ANN001, ANN003
    status = context.pop("status_code", 200)
    base = {"user": user, "protections": areas.protections_with_areas(session), "report": None, "error": None}
    return render_form(request, "areas_upload.html", lang, base | context, status_code=status)


@router.get("/officials/areas", response_model=None)
def area_upload_form(request: Request, session: SessionDep, lang: LangDep, user: WebUser) -> Response:
    """The upload form."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    return _page(request, session, lang, user, form={})


@router.post("/officials/areas", response_model=None)
def area_upload(
    request: Request,
    session: SessionDep,
    lang: LangDep,
    user: WebUser,
    file: Annotated[UploadFile, File()],
    target: Annotated[str, Form(max_length=30, description="a protection id, or 'townships'")],
    valid_from: Annotated[IsoDate, Form()],
    reason: Annotated[str, Form(min_length=3, max_length=1000)],
    source_confidence: Annotated[Literal["H", "M", "L"], Form()],
    csrf: Annotated[str | None, Form()] = None,
    source_url: Annotated[str | None, Form(max_length=2000)] = None,
    source_document: Annotated[str | None, Form(max_length=1000)] = None,
    source_publisher: Annotated[str | None, Form(max_length=300)] = None,
    crs: Annotated[str | None, Form(max_length=100)] = None,
    gcj02: Annotated[Literal["", "convert", "keep"], Form()] = "",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    """Check (and unless a dry run, store) the upload; show the report, or the reason it was refused."""
    redirect = gate(request, user)
    if redirect:
        return redirect
    check_csrf(request, csrf)
    form = {"target": target, "valid_from": valid_from.isoformat(), "reason": reason, "crs": crs or "",
            "source_url": source_url or "", "source_document": source_document or "",
            "source_publisher": source_publisher or "", "source_confidence": source_confidence}  # fmt: skip
    settings = request.app.state.settings
    limits = uploads.UploadLimits.from_settings(settings)
    try:
        upload = uploads.BoundaryUpload(
            valid_from=valid_from,
            reason=reason,
            sources=[
                source_from_form(source_url, source_document, source_publisher, None, source_confidence)
            ],
            crs=crs or None,
            gcj02=gcj02 or None,
            dry_run=dry_run,
        )
        common = {
            "content": read_limited(file.file, limits.max_bytes),
            "filename": file.filename or "upload",
            "upload": upload,
            "limits": limits,
            "actor": f"{user.role.value}:{user.username}",
        }
        if target == "townships":
            report = township_layers.upload_township_layer(session, **common)
        elif target.isdigit():
            report = uploads.upload_production_area(session, protection_id=int(target), **common)
        else:
            raise DecisionNeeded("Choose the protection whose area this is, or the township layer.")
    except RegistryError as error:
        return _page(
            request,
            session,
            lang,
            user,
            form=form,
            error=error.message,
            needs_gcj02_choice=isinstance(error, DecisionNeeded) and "GCJ-02" in error.message,
            status_code=error.status_code,
        )
    return _page(
        request, session, lang, user, form=form, report=report, status_code=201 if report.stored else 200
    )
