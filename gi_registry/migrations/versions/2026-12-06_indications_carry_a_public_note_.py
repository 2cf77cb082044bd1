"""indications carry a short public note in Chinese and English

The page body of a GI shows this note; the research notes (how a source was graded, which reference file)
stay in `notes` and are shown with the sources, folded.

Revision ID: 3b7d2e9f1a60
Revises: 7c1e5b9a2d44
Create Date: 2026-12-06 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "3b7d2e9f1a60"
down_revision: str | None = "7c1e5b9a2d44"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("indication", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_note_zh", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )
        batch_op.add_column(
            sa.Column("public_note_en", sqlmodel.sql.sqltypes.AutoString(length=800), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("indication", schema=None) as batch_op:
        batch_op.drop_column("public_note_en")
        batch_op.drop_column("public_note_zh")
