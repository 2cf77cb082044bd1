"""Account requests: a producer without an account asks for one; officials confirm or refuse it."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from gi_registry.auth import account_requests as service
from gi_registry.auth.account_requests import (
    AccountDecisionIn,
    AccountRequestIn,
    AccountRequestPublic,
    AccountRequestStatus,
    AccountRequestStatusPublic,
)
from gi_registry.auth.dependencies import Official
from gi_registry.core.db import SessionDep
from gi_registry.core.limits import client_address

router = APIRouter(tags=["account requests"])

IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.post(
    "/account-requests",
    response_model=AccountRequestStatusPublic,
    status_code=status.HTTP_201_CREATED,
    responses={409: {}, 422: {}, 429: {}},
)
def request_account(
    request: Request, session: SessionDep, body: AccountRequestIn
) -> AccountRequestStatusPublic:
    """Ask for a producer's account (no account needed); follow it with the reference."""
    request.app.state.account_request_limit.hit(client_address(request), "account requests from this address")
    created = service.request_account(session, request_in=body)
    return AccountRequestStatusPublic(reference=created.reference, status=created.status, reason=None)


@router.get(
    "/account-requests/status/{reference}", response_model=AccountRequestStatusPublic, responses={404: {}}
)
def request_status(
    session: SessionDep, reference: Annotated[str, Path(max_length=20)]
) -> AccountRequestStatusPublic:
    """Where a request stands, by its reference."""
    return service.status_of(session, reference)


@router.get(
    "/account-requests", response_model=dict[str, list[AccountRequestPublic]], responses={401: {}, 403: {}}
)
def list_requests(
    session: SessionDep,
    user: Official,  # noqa: ARG001 - the role check
    status_filter: Annotated[AccountRequestStatus | None, Query(alias="status")] = None,
) -> dict[str, list[AccountRequestPublic]]:
    """Requests for producers' accounts (officials)."""
    return {"data": [service.to_public(session, r) for r in service.list_requests(session, status_filter)]}


@router.post(
    "/account-requests/{request_id}/decision",
    response_model=AccountRequestPublic,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def decide(
    session: SessionDep, user: Official, request_id: IdPath, body: AccountDecisionIn
) -> AccountRequestPublic:
    """Confirm a request (its producer is linked by code or added, and the account created) or refuse it."""
    decided = service.decide(session, request_id=request_id, decision=body, official=user)
    return service.to_public(session, decided)
