"""Creating accounts and signing in."""

from sqlalchemy import update
from sqlmodel import Session, select

from gi_registry.auth.models import PASSWORD_MAX_CHARS, ReviewLevel, Role, User
from gi_registry.auth.security import hash_password, read_access_token, verify_password
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound, Unauthorized
from gi_registry.core.limits import SlidingWindowLimit
from gi_registry.history.service import ChangeSet
from gi_registry.producers.models import Producer


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    producer_id: int | None,
    actor: str,
    level: ReviewLevel | None = None,
    area_code: str | None = None,
) -> User:
    """Create an account; a producer account must name its producer, other roles must not; an official's
    bureau is its level and area (a county's code for a county bureau; the city's and the province's are
    implied)."""
    _check_password(password)
    if role != Role.official and (level is not None or area_code):
        raise InvalidParameter("only an official's account has a bureau level and area")
    if level == ReviewLevel.county and not (
        area_code and area_code.startswith("4306") and len(area_code) == 6
    ):
        raise InvalidParameter(
            "a county official's account needs the county's 6-digit code (4306xx) as its area"
        )
    if level != ReviewLevel.county:
        area_code = None
    if role == Role.producer and producer_id is None:
        raise InvalidParameter("a producer account needs --producer-id: the producer it acts for")
    if role != Role.producer and producer_id is not None:
        raise InvalidParameter(
            f"a {role.value} account does not act for a producer; leave out the producer id"
        )
    if producer_id is not None and session.get(Producer, producer_id) is None:
        raise InvalidParameter(f"there is no producer with id {producer_id}")
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise Conflict(f"the username '{username}' is taken")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        producer_id=producer_id,
        level=level,
        area_code=area_code,
    )
    session.add(user)
    session.flush()
    ChangeSet(actor=actor, reason="account created").created(
        session,
        "user",
        user.id,
        {
            "username": username,
            "role": role.value,
            "producer_id": producer_id,
            "level": level.value if level else None,
            "area_code": area_code,
        },
    )
    session.commit()
    session.refresh(user)
    return user


def user_for_token(session: Session, token: str, secret: str) -> User | None:
    """The active account a token belongs to, or None: forged, expired, or ended by a newer version."""
    read = read_access_token(token, secret)
    if read is None or not read[0].isdigit():
        return None
    subject, version = read
    user = session.get(User, int(subject))
    if user is None or not user.is_active or user.token_version != version:
        return None
    return user


def end_sessions(session: Session, user: User, changes: ChangeSet) -> None:
    """End every session of the account, on every browser and API client, by raising its token version.

    Commits the caller's pending changes with it, logged in `changes`.
    """
    old = user.token_version
    # One UPDATE, not read-modify-write: two sign-outs at once both end what came before.
    session.execute(update(User).where(User.id == user.id).values(token_version=User.token_version + 1))
    session.refresh(user)
    changes.changed(session, "user", user.id, "token_version", old, user.token_version)
    session.commit()


def change_password(session: Session, user: User, password: str, *, actor: str) -> None:
    """Set a new password; every session signed in with the old one ends."""
    _check_password(password)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    end_sessions(session, user, ChangeSet(actor=actor, reason="password changed"))


def deactivate(session: Session, user: User, *, actor: str) -> None:
    """Stop the account from signing in; its sessions end at once."""
    changes = ChangeSet(actor=actor, reason="account deactivated")
    if user.is_active:
        changes.changed(session, "user", user.id, "is_active", True, False)
    user.is_active = False
    session.add(user)
    session.flush()
    end_sessions(session, user, changes)


def by_username(session: Session, username: str) -> User:
    """The account with this username, or NotFound."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"there is no account '{username}'")
    return user


def _check_password(password: str) -> None:
    if len(password) < 10:
        raise InvalidParameter("a password needs at least 10 characters")
    if len(password) > PASSWORD_MAX_CHARS:
        raise InvalidParameter(f"a password has at most {PASSWORD_MAX_CHARS} characters")


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active account with this username and password, or None."""
    user = session.exec(select(User).where(User.username == username)).first()
    if (
        not verify_password(password, user.password_hash if user else None)
        or user is None
        or not user.is_active
    ):
        return None
    return user


def sign_in_checked(
    session: Session,
    limit: SlidingWindowLimit,
    client: str,
    username: str,
    password: str,
    address_limit: SlidingWindowLimit | None = None,
    device: str | None = None,
) -> User:
    """Authenticate, refusing (429) after too many failures for this user from this address.

    The count is per account *and* address, so a stranger elsewhere cannot lock the owner out (the
    address is the real client's: X-Forwarded-For counts only from GI_TRUSTED_PROXIES). `address_limit`
    caps the failures of one address over all usernames, so trying many accounts (or flooding the
    per-account limiter with new keys) earns no extra attempts.

    `device` names a browser that signed in to this account before (web.session.known_device, a value
    only the registry can sign): its attempts have a count of their own, so strangers behind the owner's
    address (one office NAT) cannot lock the owner's own browser out either.
    """
    key = f"device:{device}|{username.lower()}" if device else f"{client}|{username.lower()}"
    if address_limit is not None and not device:
        address_limit.check(client, "failed sign-ins from this address")
    # Every attempt counts; a success clears the count, so only failures accumulate.
    limit.hit(key, "failed sign-ins for this account from this address")
    user = authenticate(session, username, password)
    if user is None:
        if address_limit is not None and not device:
            address_limit.hit(client, "failed sign-ins from this address")
        raise Unauthorized("Wrong username or password.")
    limit.clear(key)
    return user
