"""Account management for administrators: /api/v1/users."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from gi_registry.auth import accounts
from gi_registry.auth.dependencies import require_roles
from gi_registry.auth.models import Role, User, UserChange, UserCreate, UserPublic, actor_of
from gi_registry.core.db import SessionDep

router = APIRouter(prefix="/users", tags=["auth"])

Admin = Annotated[User, Depends(require_roles(Role.admin))]


@router.get("", response_model=dict[str, list[UserPublic]], responses={401: {}, 403: {}})
def list_accounts(session: SessionDep, user: Admin) -> dict[str, list[UserPublic]]:  # noqa: ARG001
    """Every account (administrators)."""
    return {
        "data": [UserPublic.model_validate(u, from_attributes=True) for u in accounts.list_users(session)]
    }


@router.post(
    "",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    responses={401: {}, 403: {}, 409: {}, 422: {}},
)
def create_account(session: SessionDep, user: Admin, body: UserCreate) -> UserPublic:
    """Create a producer, official or administrator account (administrators)."""
    created = accounts.create_account(session, account_in=body, actor=actor_of(user))
    return UserPublic.model_validate(created, from_attributes=True)


@router.patch(
    "/{user_id}", response_model=UserPublic, responses={401: {}, 403: {}, 404: {}, 409: {}, 422: {}}
)
def change_account(
    session: SessionDep, user: Admin, user_id: Annotated[int, Path(ge=1, le=2**63 - 1)], body: UserChange
) -> UserPublic:
    """Deactivate or reactivate an account, or set a new password (administrators)."""
    changed = accounts.change_account(session, user_id=user_id, change=body, actor=actor_of(user), by=user)
    return UserPublic.model_validate(changed, from_attributes=True)
