"""Administrators manage accounts: list, create, deactivate or reactivate, set a new password.

Deactivating an account or setting its password ends every session of it (auth.service.end_sessions).

Every change is in the history (never a password or its hash); the last active administrator cannot be
deactivated, so the registry always keeps someone who can manage accounts.
"""

from sqlmodel import Session, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role, User, UserChange, UserCreate
from gi_registry.auth.security import hash_password
from gi_registry.core.errors import Conflict, InvalidParameter, NotFound
from gi_registry.history.service import ChangeSet

ENTITY = "user"


def list_users(session: Session) -> list[User]:
    """Every account, by role and name."""
    return list(session.exec(select(User).order_by(User.role, User.username)).all())


def get_user(session: Session, user_id: int) -> User:
    """An account by id, or NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account with id {user_id}.")
    return user


def create_account(session: Session, *, account_in: UserCreate, actor: str) -> User:
    """Create an account (the same rules as `gi-registry users create`)."""
    return auth_service.create_user(
        session,
        username=account_in.username,
        password=account_in.password,
        role=account_in.role,
        producer_id=account_in.producer_id,
        actor=actor,
        level=account_in.level,
        area_code=account_in.area_code,
    )


def change_account(
    session: Session, *, user_id: int, change: UserChange, actor: str, by: User | None = None
) -> User:
    """Deactivate, reactivate or set a new password, with the reason, in one transaction.

    `by` is the administrator acting: their own account is changed with `gi-registry users`, never here,
    so that no one ends their own session or locks themselves out by a slip on this page.
    """
    user = get_user(session, user_id)
    if by is not None and by.id == user.id:
        raise Conflict("Administrators change other accounts here; change your own with `gi-registry users`.")
    if change.is_active is None and change.password is None:
        raise InvalidParameter("The request changes nothing: set is_active or a new password.")
    changes = ChangeSet(actor=actor, reason=change.reason)
    if change.is_active is not None and change.is_active != user.is_active:
        if not change.is_active and user.role == Role.admin and _active_admins(session) <= 1:
            raise Conflict(
                "This is the last active administrator; create another one before deactivating it."
            )
        changes.changed(session, ENTITY, user.id, "is_active", user.is_active, change.is_active)
        user.is_active = change.is_active
    if change.password is not None:
        # The history says that the password changed, never what it is.
        changes.changed(session, ENTITY, user.id, "password", None, None)
        user.password_hash = hash_password(change.password)
    session.add(user)
    session.flush()
    # A deactivated account or a new password ends every session of the account at once (and commits).
    auth_service.end_sessions(session, user, changes)
    return user


def _active_admins(session: Session) -> int:
    return len(session.exec(select(User.id).where(User.role == Role.admin, User.is_active == True)).all())  # noqa: E712
