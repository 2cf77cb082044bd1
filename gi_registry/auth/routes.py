"""Signing in (OAuth2 password flow) and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from gi_registry.auth import service as auth_service
from gi_registry.auth.dependencies import CurrentUser
from gi_registry.auth.models import Token, UserPublic
from gi_registry.auth.security import create_access_token
from gi_registry.db import SessionDep

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=Token, responses={401: {}, 429: {}})
def sign_in(
    request: Request, session: SessionDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token:
    """Exchange a username and password for a bearer token."""
    client = request.client.host if request.client else "unknown"
    user = auth_service.sign_in_checked(
        session, request.app.state.login_limit, client, form.username, form.password
    )
    settings = request.app.state.settings
    token = create_access_token(str(user.id), settings.secret_key, settings.access_token_minutes)
    return Token(access_token=token, expires_in=settings.access_token_minutes * 60)


@router.get("/me", response_model=UserPublic, responses={401: {}})
def who_am_i(user: CurrentUser) -> UserPublic:
    """The signed-in account."""
    return UserPublic.model_validate(user, from_attributes=True)
