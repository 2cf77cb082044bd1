"""reminders: contacts (address, language, opt-outs) and the outbox of messages to deliver

The outbox key is unique: one message per (recipient, deadline, offset) or per (recipient, event).

Revision ID: 5e1a7c3d9b20
Revises: 5e2c8a7d4b13
Create Date: 2026-12-06 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "5e1a7c3d9b20"
down_revision: str | None = "5e2c8a7d4b13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("lease_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_message_user_id"), ["user_id"], unique=False)

    op.create_table(
        "reminder_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("opt_outs", sa.JSON(), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("reminder_contact")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_user_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_state"))
        batch_op.drop_index(batch_op.f("ix_outbox_message_kind"))

    op.drop_table("outbox_message")
