"""The current user (from a bearer token) and role guards, as FastAPI dependencies."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from gi_registry.auth.models import Role, User
from gi_registry.auth.service import user_for_token
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Forbidden, Unauthorized

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def optional_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The signed-in account, or None for the public; a bad token is refused, not ignored."""
    if token is None:
        return None
    # Checked against the account on every request: a token of a signed-out, deactivated or re-passworded
    # account is refused at once, not when it expires.
    user = user_for_token(session, token, request.app.state.settings.secret_key)
    if user is None:
        raise Unauthorized("The access token is invalid or has expired; sign in again.")
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    """The signed-in account; the public gets 401."""
    if user is None:
        raise Unauthorized("Sign in first: this needs an account (POST /api/v1/auth/token).")
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def require_roles(*roles: Role) -> Callable[[User], User]:
    """A dependency that lets only these roles through (403 for the others)."""

    def guard(user: CurrentUser) -> User:
        if user.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"This needs the role {allowed}; your account is a {user.role.value}.")
        return user

    return guard


Official = Annotated[User, Depends(require_roles(Role.official, Role.admin))]
ProducerAccount = Annotated[User, Depends(require_roles(Role.producer))]
