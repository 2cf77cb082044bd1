"""Password hashing (argon2) and signed access tokens (JWT, HS256)."""

from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
ALGORITHM = "HS256"
# Verifying against a fixed hash when the user does not exist keeps the answer time the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2 hash of `password`."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Whether `password` matches; runs a full verification even when there is no hash."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


def create_access_token(subject: str, secret: str, minutes: int, version: int = 0) -> str:
    """A token naming the user id and the account's token version, valid for `minutes`.

    The version is the account's `token_version` when the token was made: signing out, deactivation
    and a password change raise it, which ends every token made before (auth.service.user_for_token).
    """
    now = datetime.now(UTC)
    claims = {"sub": subject, "ver": version, "iat": now, "exp": now + timedelta(minutes=minutes)}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def signed_here(token: str, secret: str) -> bool:
    """Whether `token` was made with this secret, expired or not: a check that costs no database
    round trip, for refusing what no account ever held before a request's body is read."""
    try:
        jwt.decode(token, secret, algorithms=[ALGORITHM], options={"verify_exp": False})
    except jwt.PyJWTError:
        return False
    return True


def read_access_token(token: str, secret: str) -> tuple[str, int] | None:
    """The user id and token version a valid token names, or None for an invalid, forged or expired one.

    A token without a version (made before versions existed) counts as version 0, the version every
    account starts with, so it lasts only until the account's first sign-out.
    """
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
    except jwt.PyJWTError:
        return None
    subject = claims.get("sub")
    version = claims.get("ver", 0)
    if not isinstance(subject, str) or not isinstance(version, int) or isinstance(version, bool):
        return None
    return subject, version
