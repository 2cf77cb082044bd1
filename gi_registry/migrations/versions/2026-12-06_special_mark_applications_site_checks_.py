"""special-mark applications, site checks, announcements, account requests; officials carry a level

Revision ID: 5a1c2e8d7f30
Revises: 3b9d0c6e1f27
Create Date: 2026-12-06 08:10:22.617692
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "5a1c2e8d7f30"
down_revision: str | None = "3b9d0c6e1f27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "account_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("producer_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("uscc", sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("producer_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["decided_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["producer_id"], ["producer.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reference"),
    )
    with op.batch_alter_table("account_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_request_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_request_uscc"), ["uscc"], unique=False)

    op.create_table(
        "announcement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("announced_on", sa.Date(), nullable=False),
        sa.Column("indication_id", sa.Integer(), nullable=False),
        sa.Column("issued_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indication_id"],
            ["indication.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcement_indication_id"), ["indication_id"], unique=False)

    op.create_table(
        "mark_application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("producer_id", sa.Integer(), nullable=False),
        sa.Column("indication_id", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(length=30), nullable=True),
        sa.Column("requested_changes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("county_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("initial_level", sa.String(length=10), nullable=False),
        sa.Column("site_check_delegated_to", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("filed_by_official", sa.Boolean(), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("last_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("last_reason_on", sa.Date(), nullable=True),
        sa.Column("last_reason_level", sa.String(length=10), nullable=True),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("announcement_id", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["announcement_id"],
            ["announcement.id"],
        ),
        sa.ForeignKeyConstraint(
            ["indication_id"],
            ["indication.id"],
        ),
        sa.ForeignKeyConstraint(
            ["producer_id"],
            ["producer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submitted_by", "idempotency_key"),
    )
    with op.batch_alter_table("mark_application", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mark_application_county_code"), ["county_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mark_application_indication_id"), ["indication_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mark_application_producer_id"), ["producer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mark_application_status"), ["status"], unique=False)

    op.create_table(
        "site_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("officials", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("bureau_level", sa.String(length=10), nullable=False),
        sa.Column("bureau_area", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["mark_application.id"],
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["user_account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("site_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_check_application_id"), ["application_id"], unique=False)

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mark_application_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("site_check_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_document_mark_application_id"), ["mark_application_id"], unique=False
        )
        batch_op.create_foreign_key("fk_document_site_check_id", "site_check", ["site_check_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_document_mark_application_id", "mark_application", ["mark_application_id"], ["id"]
        )

    with op.batch_alter_table("protection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("initial_review_bureau", sa.String(length=10), nullable=True))

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("area_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("account_request")
    with op.batch_alter_table("protection", schema=None) as batch_op:
        batch_op.drop_column("initial_review_bureau")

    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("area_code")
        batch_op.drop_column("level")

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint("fk_document_site_check_id", type_="foreignkey")
        batch_op.drop_constraint("fk_document_mark_application_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_document_mark_application_id"))
        batch_op.drop_column("site_check_id")
        batch_op.drop_column("mark_application_id")

    with op.batch_alter_table("site_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_check_application_id"))

    op.drop_table("site_check")
    with op.batch_alter_table("mark_application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mark_application_status"))
        batch_op.drop_index(batch_op.f("ix_mark_application_producer_id"))
        batch_op.drop_index(batch_op.f("ix_mark_application_indication_id"))
        batch_op.drop_index(batch_op.f("ix_mark_application_county_code"))

    op.drop_table("mark_application")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_announcement_indication_id"))

    op.drop_table("announcement")
