"""Accounts and their roles. The public needs no account."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from gi_registry.history.models import utcnow
from gi_registry.types import EnumText

# The column's width; sign-in forms (web and API) refuse longer names with 422 before any lookup.
USERNAME_MAX_CHARS = 60
PASSWORD_MAX_CHARS = 200


class Role(StrEnum):
    """What an account may do: a producer acts for one producer; officials review and audit."""

    producer = "producer"
    official = "official"
    admin = "admin"


class User(SQLModel, table=True):
    """An account; `producer_id` binds a producer account to the producer it acts for."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=USERNAME_MAX_CHARS, unique=True)
    password_hash: str = Field(max_length=300)
    role: Role = Field(sa_type=EnumText(Role, 20))
    producer_id: int | None = Field(default=None, foreign_key="producer.id")
    is_active: bool = True
    # Raised by sign-out, deactivation and a password change: tokens carrying an older one are refused.
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    synthetic: bool = False


class UserPublic(SQLModel):
    """An account as the API shows it (never the password hash)."""

    id: int
    username: str
    role: Role
    producer_id: int | None


class Token(SQLModel):
    """The OAuth2 password-flow answer."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
