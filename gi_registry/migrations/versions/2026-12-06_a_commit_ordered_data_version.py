"""a commit-ordered data version: one row every committing write transaction increments

The published caches are keyed by it; unlike the newest change-log id (handed out before commit on
PostgreSQL), it moves in commit order. See gi_registry/core/versioning.py.

Revision ID: 5e2c8a7d4b13
Revises: 5a1c2e8d7f30
Create Date: 2026-12-06 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5e2c8a7d4b13"
down_revision: str | None = "5a1c2e8d7f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "n": 0}])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("data_version")
