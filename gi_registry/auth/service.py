"""Creating accounts and signing in."""

from sqlmodel import Session, select

from gi_registry.auth.models import Role, User
from gi_registry.auth.security import hash_password, verify_password
from gi_registry.errors import Conflict, InvalidParameter, Unauthorized
from gi_registry.history.service import ChangeSet
from gi_registry.limits import SlidingWindowLimit
from gi_registry.producers.models import Producer


def create_user(
    session: Session, *, username: str, password: str, role: Role, producer_id: int | None, actor: str
) -> User:
    """Create an account; a producer account must name its producer, other roles must not."""
    if len(password) < 10:
        raise InvalidParameter("a password needs at least 10 characters")
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
    user = User(username=username, password_hash=hash_password(password), role=role, producer_id=producer_id)
    session.add(user)
    session.flush()
    ChangeSet(actor=actor, reason="account created").created(
        session, "user", user.id, {"username": username, "role": role.value, "producer_id": producer_id}
    )
    session.commit()
    session.refresh(user)
    return user


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
) -> User:
    """Authenticate, refusing (429) after too many failures for this user from this address.

    The count is per account *and* address, so a stranger elsewhere cannot lock the owner out (the
    address is the real client's: X-Forwarded-For counts only from GI_TRUSTED_PROXIES). `address_limit`
    caps the failures of one address over all usernames, so trying many accounts (or flooding the
    per-account limiter with new keys) earns no extra attempts.
    """
    key = f"{client}|{username.lower()}"
    if address_limit is not None:
        address_limit.check(client, "failed sign-ins from this address")
    # Every attempt counts; a success clears the count, so only failures accumulate.
    limit.hit(key, "failed sign-ins for this account from this address")
    user = authenticate(session, username, password)
    if user is None:
        if address_limit is not None:
            address_limit.hit(client, "failed sign-ins from this address")
        raise Unauthorized("Wrong username or password.")
    limit.clear(key)
    return user
