"""Signing in (OAuth2 password flow) and who am I."""

from typing import Annotated

from fastapi import APIRouter, Form, Request

from gi_registry.auth import service as auth_service
from gi_registry.auth.dependencies import CurrentUser
from gi_registry.auth.models import PASSWORD_MAX_CHARS, USERNAME_MAX_CHARS, Token, UserPublic
from gi_registry.auth.security import create_access_token
from gi_registry.core.db import SessionDep
from gi_registry.core.limits import client_address

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {}, 422: {}, 429: {}})
def sign_in(
    request: Request,
    session: SessionDep,
    # OAuth2's password flow, with the web form's bounds: a 1 MB username is a 422, never a lookup or
    # a limiter key.
    username: Annotated[str, Form(min_length=1, max_length=USERNAME_MAX_CHARS)],
    password: Annotated[str, Form(min_length=1, max_length=PASSWORD_MAX_CHARS)],
    # The rest of OAuth2's form, accepted as the standard says; the registry has no scopes.
    grant_type: Annotated[str | None, Form(pattern="^password$")] = None,  # noqa: ARG001
    scope: Annotated[str, Form(max_length=200)] = "",  # noqa: ARG001
) -> Token:
    """Exchange a username and password for a bearer token."""
    user = auth_service.sign_in_checked(
        session,
        request.app.state.login_limit,
        client_address(request),
        username,
        password,
        request.app.state.login_address_limit,
    )
    settings = request.app.state.settings
    token = create_access_token(
        str(user.id), settings.secret_key, settings.access_token_minutes, user.token_version
    )
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


@router.get("/me", response_model=UserPublic, responses={401: {}})
def who_am_i(user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(user, from_attributes=True)
