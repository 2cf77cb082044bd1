"""Authorizations, renewal / label-switch applications, and public label verification."""

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Path, Query, Request, Response, UploadFile, status

from gi_registry.auth.dependencies import CurrentUser, Official, OptionalUser, ProducerAccount
from gi_registry.auth.models import Role, actor_of
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import NotFound
from gi_registry.core.i18n import Lang
from gi_registry.labels import authorizations, renewals
from gi_registry.labels import deadlines as deadlines_service
from gi_registry.labels import service as labels_service
from gi_registry.labels.models import (
    AuthorizationChange,
    AuthorizationCreate,
    AuthorizationPublic,
    DecisionIn,
    RenewalPublic,
    RenewalStatus,
    Verification,
)

router = APIRouter(tags=["labels"])

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/verify/{code}", response_model=Verification, responses={404: {}, 422: {}})
def verify_label(
    request: Request, session: SessionDep, code: Annotated[str, Path(max_length=40)]
) -> Verification:
    """Check the unified social credit code printed on a GI special mark."""
    return labels_service.verify_code(session, code, include_synthetic=request.app.state.settings.demo_mode)


@router.post(
    "/authorizations",
    response_model=AuthorizationPublic,
    status_code=status.HTTP_201_CREATED,
    responses={401: {}, 403: {}, 409: {}, 422: {}},
)
def create_authorization(
    session: SessionDep, user: Official, body: AuthorizationCreate
) -> AuthorizationPublic:
    """Record a producer's authorization to use a GI's special mark (officials)."""
    link = authorizations.create_authorization(session, authorization_in=body, actor=actor_of(user))
    return authorizations.to_public(session, link, today=date.today())


@router.get("/authorizations/{authorization_id}", response_model=AuthorizationPublic, responses={404: {}})
def read_authorization(
    request: Request, session: SessionDep, user: OptionalUser, authorization_id: IdPath
) -> AuthorizationPublic:
    """An authorization with its computed status (switch_required for a legacy label) and deadlines."""
    link = authorizations.get_authorization(session, authorization_id)
    if link.synthetic and user is None and not request.app.state.settings.demo_mode:
        # Demo data is not public outside demo mode: the same answer as an id that does not exist.
        raise NotFound(f"No special-mark authorization with id {authorization_id}.")
    return authorizations.to_public(session, link, today=date.today())


@router.patch(
    "/authorizations/{authorization_id}",
    response_model=AuthorizationPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}, 422: {}},
)
def change_authorization(
    session: SessionDep, user: Official, authorization_id: IdPath, body: AuthorizationChange
) -> AuthorizationPublic:
    """Suspend, revoke or reinstate an authorization, or record its label switch (officials)."""
    link = authorizations.change_authorization(
        session, authorization_id=authorization_id, change=body, actor=actor_of(user)
    )
    return authorizations.to_public(session, link, today=date.today())


def _read_uploads(documents: list[UploadFile], max_bytes: int) -> list[renewals.Upload]:
    # Read one byte past the limit: enough to know a file is too large without holding all of it.
    # Handlers stay sync (run in the threadpool) because the session is sync.
    return [renewals.Upload(d.filename, d.content_type, d.file.read(max_bytes + 1)) for d in documents]


def _max_bytes(request: Request) -> int:
    return int(request.app.state.settings.max_upload_mb * 1024 * 1024)


@router.post(
    "/renewals",
    response_model=RenewalPublic,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "Replay of an earlier request with the same Idempotency-Key"},
        401: {},
        403: {},
        409: {"description": "The authorization is suspended, or has the most open applications allowed"},
        413: {},
        422: {},
    },
)
def submit_renewal(
    request: Request,
    response: Response,
    session: SessionDep,
    user: ProducerAccount,
    authorization_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    documents: Annotated[list[UploadFile], File(description="PDF, JPEG or PNG files")],
    idempotency_key: Annotated[str | None, Header(max_length=100)] = None,
) -> RenewalPublic:
    """A producer applies to renew its authorization and switch to the unified mark, with documents."""
    uploads = _read_uploads(documents, _max_bytes(request))
    renewal, replayed = renewals.submit_renewal(
        session,
        user=user,
        authorization_id=authorization_id,
        uploads=uploads,
        idempotency_key=idempotency_key,
        upload_root=request.app.state.settings.upload_dir,
        max_bytes=_max_bytes(request),
        today=date.today(),
        max_open=request.app.state.settings.open_applications_per_authorization,
    )
    if replayed:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return renewals.to_public(session, renewal, date.today())


@router.get("/renewals", response_model=dict[str, list[RenewalPublic]], responses={401: {}})
def list_renewals(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    status_filter: Annotated[RenewalStatus | None, Query(alias="status")] = None,
) -> dict[str, list[RenewalPublic]]:
    """Applications: officials see all (demo producers' only in demo mode), producers their own."""
    today = date.today()
    demo = request.app.state.settings.demo_mode
    listed = renewals.list_renewals(session, user, status_filter, include_synthetic=demo)
    return {"data": [renewals.to_public(session, r, today) for r in listed]}


@router.get("/renewals/{renewal_id}", response_model=RenewalPublic, responses={401: {}, 404: {}})
def read_renewal(session: SessionDep, user: CurrentUser, renewal_id: IdPath) -> RenewalPublic:
    """One application, to its producer and to officials."""
    return renewals.to_public(session, renewals.get_renewal(session, renewal_id, user), date.today())


@router.post(
    "/renewals/{renewal_id}/decision",
    response_model=RenewalPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def decide_renewal(
    session: SessionDep, user: Official, renewal_id: IdPath, body: DecisionIn
) -> RenewalPublic:
    """Review, approve, reject or return an application (officials); approval switches the label."""
    renewal = renewals.decide(session, renewal_id=renewal_id, decision_in=body, user=user, today=date.today())
    return renewals.to_public(session, renewal, date.today())


@router.post(
    "/renewals/{renewal_id}/resubmit",
    response_model=RenewalPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def resubmit_renewal(
    request: Request,
    session: SessionDep,
    user: ProducerAccount,  # the role is checked before the body: an official gets 403, not a 422
    renewal_id: IdPath,
    documents: Annotated[list[UploadFile], File(description="PDF, JPEG or PNG files")],
) -> RenewalPublic:
    """The producer answers a returned application with new documents."""
    uploads = _read_uploads(documents, _max_bytes(request))
    renewal = renewals.resubmit(
        session,
        renewal_id=renewal_id,
        user=user,
        uploads=uploads,
        upload_root=request.app.state.settings.upload_dir,
        max_bytes=_max_bytes(request),
        today=date.today(),
    )
    return renewals.to_public(session, renewal, date.today())


@router.get("/deadlines", responses={401: {}})
def read_deadlines(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    county: Annotated[str | None, Query(max_length=12, description="County code (officials)")] = None,
    indication: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="GI product id (officials)")
    ] = None,
    within_days: Annotated[int, Query(ge=0, le=3650)] = 90,
) -> dict[str, list[dict]]:
    """What is due or overdue: officials see everything (filter by county or GI); producers their own."""
    items = deadlines_service.deadlines(
        session,
        today=date.today(),
        producer_id=user.producer_id if user.role == Role.producer else None,
        county_code=county,
        indication_id=indication,
        within_days=within_days,
        # A producer's own records are its own even when they are demo records.
        include_synthetic=request.app.state.settings.demo_mode or user.role == Role.producer,
    )
    return {"data": [item.as_dict() for item in items]}


@router.get("/deadlines/calendar", responses={401: {}, 403: {}})
def calendar_address(request: Request, user: ProducerAccount) -> dict[str, str]:
    """The secret address of the producer's deadline calendar (iCalendar), to add to any calendar app."""
    token = deadlines_service.calendar_token(request.app.state.settings.secret_key, user.producer_id)
    return {"url": str(request.url_for("deadline_calendar", token=token))}


@router.get("/calendar/{token}.ics", name="deadline_calendar", response_class=Response, responses={404: {}})
def deadline_calendar(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Path(max_length=60)],
    lang: Annotated[Lang, Query(description="Language of the event titles")] = Lang.zh,
) -> Response:
    """A producer's deadlines as an iCalendar feed; the address itself is the secret."""
    producer_id = deadlines_service.producer_of_token(request.app.state.settings.secret_key, token)
    if producer_id is None:
        raise NotFound("No calendar at this address.")
    items = deadlines_service.deadlines(
        session, today=date.today(), producer_id=producer_id, within_days=3650
    )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(
        deadlines_service.icalendar(items, producer_id, stamp, lang),
        media_type="text/calendar; charset=utf-8",
    )
