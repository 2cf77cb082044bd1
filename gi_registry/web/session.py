"""Website sign-in: a session cookie holding the access token, and CSRF tokens for every form.

Signed-in forms carry HMAC(secret, session token); the sign-in form itself uses a double-submit cookie.
"""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse

from gi_registry.auth.models import User
from gi_registry.auth.service import user_for_token
from gi_registry.core.db import SessionDep
from gi_registry.core.errors import Forbidden
from gi_registry.web.rendering import render

SESSION_COOKIE = "gi_session"
CSRF_COOKIE = "gi_csrf"
DEVICE_COOKIE = "gi_device"
ONE_YEAR = 365 * 24 * 3600


def session_token(request: Request) -> str | None:
    """The access token in the session cookie, if any."""
    return request.cookies.get(SESSION_COOKIE)


def web_user(request: Request, session: SessionDep) -> User | None:
    """The account signed in on the website, or None."""
    token = session_token(request)
    if not token:
        return None
    # The same check as the API's: a cookie of a session that was ended no longer signs anyone in.
    return user_for_token(session, token, request.app.state.settings.secret_key)


WebUser = Annotated[User | None, Depends(web_user)]


def _signed(request: Request, token: str) -> str:
    secret = request.app.state.settings.secret_key.encode()
    return hmac.new(secret, f"csrf:{token}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token a form on this page must send back."""
    token = session_token(request)
    if token:
        return _signed(request, token)
    return request.cookies.get(CSRF_COOKIE) or request.state.__dict__.setdefault(
        "new_csrf", secrets.token_hex(16)
    )


def remember_csrf(request: Request, response: Response) -> None:
    """Set the double-submit cookie when this page created a new anonymous token."""
    new = request.state.__dict__.get("new_csrf")
    if new:
        response.set_cookie(
            CSRF_COOKIE, new, httponly=True, samesite="strict", secure=request.url.scheme == "https"
        )


def check_csrf(request: Request, sent: str | None) -> None:
    """Refuse a form post whose token does not match this browser's session (or sign-in cookie)."""
    token = session_token(request)
    expected = _signed(request, token) if token else request.cookies.get(CSRF_COOKIE)
    # Bytes, not str: compare_digest refuses non-ASCII text, and a forged token must get 403, not 500.
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden(
            "This form has expired or did not come from this site; reload the page and try again."
        )


def start_session(request: Request, response: Response, token: str, minutes: int) -> None:
    """Sign the browser in."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=minutes * 60,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    response.delete_cookie(CSRF_COOKIE)


def _device_signature(request: Request, device: str, username: str) -> str:
    secret = request.app.state.settings.secret_key.encode()
    return hmac.new(secret, f"device:{device}:{username.lower()}".encode(), hashlib.sha256).hexdigest()


def known_device(request: Request, username: str) -> str | None:
    """This browser's id if it signed in to `username` before (a cookie only the registry can sign)."""
    device, _, signature = request.cookies.get(DEVICE_COOKIE, "").partition(".")
    if not device or len(signature) != 64:
        return None
    expected = _device_signature(request, device, username)
    return device if hmac.compare_digest(signature.encode(), expected.encode()) else None


def remember_device(request: Request, response: Response, username: str) -> None:
    """Mark this browser as one that signed in to `username`: its failed sign-ins are counted apart."""
    device = known_device(request, username) or secrets.token_hex(12)
    response.set_cookie(
        DEVICE_COOKIE,
        f"{device}.{_device_signature(request, device, username)}",
        max_age=ONE_YEAR,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session(response: Response) -> None:
    """Sign the browser out."""
    response.delete_cookie(SESSION_COOKIE)


def render_form(request: Request, name: str, lang, context: dict, status_code: int = 200) -> HTMLResponse:  # noqa: ANN001
    """Render a page whose forms carry this browser's CSRF token."""
    response = render(request, name, lang, {"csrf": csrf_token(request), **context}, status_code)
    remember_csrf(request, response)
    return response
