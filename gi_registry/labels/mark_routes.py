"""Applications to use the GI special mark (Hunan's two-level procedure) and the provincial announcements."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, Response, UploadFile, status
from pydantic import ValidationError

from gi_registry.auth.dependencies import CurrentUser, Official, ProducerAccount
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import InvalidParameter
from gi_registry.labels import mark_applications as service
from gi_registry.labels.mark_models import (
    AnnouncementPublic,
    ApplicationKind,
    DelegationIn,
    MarkApplicationPublic,
    MarkApplicationStatus,
    MarkStepIn,
    NoticeKind,
    RequestedChanges,
    SiteCheckIn,
    SiteCheckOutcome,
    UserBasis,
)
from gi_registry.labels.renewals import Upload

router = APIRouter(tags=["special-mark applications"])

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _uploads(parts: list[UploadFile] | None, max_bytes: int) -> list[Upload]:
    # One byte past the limit is enough to know a file is too large without holding all of it.
    return [Upload(p.filename, p.content_type, p.file.read(max_bytes + 1)) for p in parts or []]


def _budget(request: Request) -> service.Budget:
    settings = request.app.state.settings
    return service.Budget(settings.upload_dir, int(settings.max_upload_mb * 1024 * 1024))


@router.post(
    "/mark-applications",
    response_model=MarkApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Replay of an earlier Idempotency-Key"},
        401: {},
        403: {},
        409: {},
        413: {},
    },
)
def file_application(
    request: Request,
    response: Response,
    session: SessionDep,
    user: CurrentUser,
    kind: Annotated[ApplicationKind, Form()],
    indication_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    documents: Annotated[
        list[UploadFile], File(description="The application and its documents: PDF, JPEG, PNG")
    ],
    evidence: Annotated[
        list[UploadFile] | None, File(description="For a GI trademark: membership or filed licence")
    ] = None,
    producer_id: Annotated[
        int | None, Form(ge=1, le=2**63 - 1, description="Officials filing for a producer")
    ] = None,
    basis: Annotated[UserBasis | None, Form()] = None,
    name_zh: Annotated[str | None, Form(max_length=200)] = None,
    address: Annotated[str | None, Form(max_length=300)] = None,
    uscc: Annotated[str | None, Form(max_length=18)] = None,
    legal_representative: Annotated[str | None, Form(max_length=100)] = None,
    lang: Annotated[
        str, Form(pattern="^(zh|en)$", description="The applicant's language for notices")
    ] = "zh",
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> MarkApplicationPublic:
    """A first application to use a GI's special mark, or a change of a user's details, with documents.

    A producer files for itself; an official may file on behalf of a producer without an account.
    """
    budget = _budget(request)
    try:
        changes = RequestedChanges(
            name_zh=name_zh, address=address, uscc=uscc, legal_representative=legal_representative
        )
    except ValidationError as error:
        raise InvalidParameter(f"The requested changes are not valid: {error.errors()[0]['msg']}.") from None
    application, replayed = service.submit(
        session,
        user=user,
        filing=service.ApplicationIn(
            kind=kind,
            indication_id=indication_id,
            producer_id=producer_id,
            basis=basis,
            changes=changes,
            lang=lang,
        ),
        uploads=_uploads(documents, budget.max_bytes),
        evidence=_uploads(evidence, budget.max_bytes),
        idempotency_key=idempotency_key,
        budget=budget,
        today=date.today(),
    )
    if replayed:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return service.to_public(session, application, date.today())


@router.get("/mark-applications", response_model=dict[str, list[MarkApplicationPublic]], responses={401: {}})
def list_applications(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    status_filter: Annotated[MarkApplicationStatus | None, Query(alias="status")] = None,
) -> dict[str, list[MarkApplicationPublic]]:
    """What you may see: a producer its own, a county official its county's, city and province all."""
    listed = service.list_applications(
        session, user, status_filter, include_synthetic=request.app.state.settings.demo_mode
    )
    return {"data": [service.to_public(session, a, date.today()) for a in listed]}


@router.get(
    "/mark-applications/{application_id}", response_model=MarkApplicationPublic, responses={401: {}, 404: {}}
)
def read_application(session: SessionDep, user: CurrentUser, application_id: IdPath) -> MarkApplicationPublic:
    """One application, with its clock, documents, on-site checks and the notices available."""
    return service.to_public(session, service.get_application(session, application_id, user), date.today())


@router.post(
    "/mark-applications/{application_id}/steps",
    response_model=MarkApplicationPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def take_step(
    session: SessionDep, user: Official, application_id: IdPath, body: MarkStepIn
) -> MarkApplicationPublic:
    """Accept or not, ask for corrections, forward, approve (with its announcement), refuse."""
    application = service.take_step(
        session, application_id=application_id, step_in=body, user=user, today=date.today()
    )
    return service.to_public(session, application, date.today())


@router.post(
    "/mark-applications/{application_id}/site-checks",
    response_model=MarkApplicationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={401: {}, 403: {}, 404: {}, 413: {}},
)
def record_site_check(
    request: Request,
    session: SessionDep,
    user: Official,
    application_id: IdPath,
    checked_on: Annotated[date, Form()],
    officials: Annotated[str, Form(min_length=2, max_length=300)],
    findings: Annotated[str, Form(min_length=3, max_length=4000)],
    outcome: Annotated[SiteCheckOutcome, Form()],
    photos: Annotated[list[UploadFile] | None, File(description="JPEG or PNG photos, PDF reports")] = None,
) -> MarkApplicationPublic:
    """The on-site check (核验): its date, the officials, the findings and photos."""
    budget = _budget(request)
    check = service.record_site_check(
        session,
        application_id=application_id,
        check_in=SiteCheckIn(checked_on=checked_on, officials=officials, findings=findings, outcome=outcome),
        photos=_uploads(photos, budget.max_bytes),
        user=user,
        budget=budget,
        today=date.today(),
    )
    return service.to_public(
        session, service.get_application(session, check.application_id, user), date.today()
    )


@router.post(
    "/mark-applications/{application_id}/delegation",
    response_model=MarkApplicationPublic,
    responses={401: {}, 403: {}, 404: {}},
)
def delegate_site_check(
    session: SessionDep, user: Official, application_id: IdPath, body: DelegationIn
) -> MarkApplicationPublic:
    """A city bureau delegates the on-site check to the county bureau of the production area."""
    application = service.delegate_site_check(
        session, application_id=application_id, delegation=body, user=user
    )
    return service.to_public(session, application, date.today())


@router.post(
    "/mark-applications/{application_id}/resubmit",
    response_model=MarkApplicationPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}, 413: {}},
)
def resubmit(
    request: Request,
    session: SessionDep,
    user: ProducerAccount,
    application_id: IdPath,
    documents: Annotated[list[UploadFile], File(description="The corrected documents")],
) -> MarkApplicationPublic:
    """The producer answers a request for corrections; the clock of the level that asked starts again."""
    budget = _budget(request)
    application = service.resubmit(
        session,
        application_id=application_id,
        user=user,
        uploads=_uploads(documents, budget.max_bytes),
        budget=budget,
        today=date.today(),
    )
    return service.to_public(session, application, date.today())


@router.get(
    "/mark-applications/{application_id}/notices/{kind}",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, 401: {}, 404: {}, 409: {}},
)
def read_notice(session: SessionDep, user: CurrentUser, application_id: IdPath, kind: NoticeKind) -> Response:
    """A notice (acceptance, non-acceptance, review opinions) in the applicant's language, as DOCX."""
    content, filename = service.notice(
        session, application_id=application_id, kind=kind, user=user, today=date.today()
    )
    return Response(
        content, media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/announcements", response_model=dict[str, list[AnnouncementPublic]])
def list_announcements(
    request: Request,
    session: SessionDep,
    indication: Annotated[int | None, Query(ge=1, le=2**63 - 1, description="GI product id")] = None,
) -> dict[str, list[AnnouncementPublic]]:
    """The provincial bureau's announcements of approved special-mark users, newest first."""
    demo = request.app.state.settings.demo_mode
    return {"data": service.list_announcements(session, indication_id=indication, include_synthetic=demo)}


@router.get("/announcements/{announcement_id}", response_model=AnnouncementPublic, responses={404: {}})
def read_announcement(request: Request, session: SessionDep, announcement_id: IdPath) -> AnnouncementPublic:
    """One announcement with the GI and the users it approved."""
    demo = request.app.state.settings.demo_mode
    return service.get_announcement(session, announcement_id, include_synthetic=demo)
