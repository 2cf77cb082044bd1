"""Accounts and their roles. The public needs no account."""

import re
from datetime import datetime
from enum import StrEnum

from pydantic import StrictBool, field_validator
from sqlmodel import Field, SQLModel

from gi_registry.core.types import EnumText
from gi_registry.history.models import utcnow

# The column's width; sign-in forms (web and API) refuse longer names with 422 before any lookup.
USERNAME_MAX_CHARS = 60
# SQLModel's `regex=` is not enforced on pydantic 2, so usernames are checked by `valid_username`.
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def valid_username(value: str) -> str:
    """A username of letters, digits, dots, dashes and underscores, starting with a letter or digit."""
    if not USERNAME.fullmatch(value):
        raise ValueError("a username has letters, digits, '.', '_' or '-' and starts with a letter or digit")
    return value


PASSWORD_MAX_CHARS = 200


class Role(StrEnum):
    """What an account may do: a producer acts for one producer; officials review and audit."""

    producer = "producer"
    official = "official"
    admin = "admin"


class ReviewLevel(StrEnum):
    """The level of a bureau, and of the officials' accounts that act for it."""

    county = "county"
    city = "city"
    province = "province"


class User(SQLModel, table=True):
    """An account; `producer_id` binds a producer account to the producer it acts for."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=USERNAME_MAX_CHARS, unique=True)
    password_hash: str = Field(max_length=300)
    role: Role = Field(sa_type=EnumText(Role, 20))
    producer_id: int | None = Field(default=None, foreign_key="producer.id")
    is_active: bool = True
    # An official's bureau: its level and area code (a county's or the city's). None: the city bureau, which
    # every official account was before levels existed.
    level: ReviewLevel | None = Field(default=None, sa_type=EnumText(ReviewLevel, 10))
    area_code: str | None = Field(default=None, max_length=12)
    # Raised by sign-out, deactivation and a password change: tokens carrying an older one are refused.
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    synthetic: bool = False


def actor_of(user: User) -> str:
    """How a user appears in the change log."""
    return f"{user.role.value}:{user.username}"


class UserPublic(SQLModel):
    """An account as the API shows it (never the password hash)."""

    id: int
    username: str
    role: Role
    producer_id: int | None
    is_active: bool = True
    level: ReviewLevel | None = None
    area_code: str | None = None


class UserCreate(SQLModel):
    """An administrator creates an account for a producer, an official or another administrator."""

    username: str = Field(min_length=3, max_length=60, schema_extra={"pattern": USERNAME.pattern})
    password: str = Field(min_length=10, max_length=200)
    role: Role
    producer_id: int | None = Field(default=None, ge=1, le=2**63 - 1)

    _username = field_validator("username")(valid_username)
    level: ReviewLevel | None = Field(default=None, description="An official's bureau level (default: city)")
    area_code: str | None = Field(default=None, max_length=12, description="A county official's county code")


class UserChange(SQLModel):
    """An administrator deactivates or reactivates an account, or sets a new password."""

    is_active: StrictBool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)
    reason: str = Field(min_length=3, max_length=1000)


class Token(SQLModel):
    """The OAuth2 password-flow answer."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
