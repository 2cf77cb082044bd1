"""the change log is append-only at the database level

Revision ID: f3b62a2f8787
Revises: c77cfa7b59e0
Create Date: 2026-11-25 17:03:54.834073
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f3b62a2f8787"
down_revision: str | None = "c77cfa7b59e0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SQLITE_TRIGGERS = [
    "CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
    "CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log "
    "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END",
]
POSTGRES_TRIGGERS = [
    "CREATE FUNCTION change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$",
    "CREATE TRIGGER change_log_no_update BEFORE UPDATE OR DELETE ON change_log "
    "FOR EACH ROW EXECUTE FUNCTION change_log_append_only()",
    "CREATE TRIGGER change_log_no_truncate BEFORE TRUNCATE ON change_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION change_log_append_only()",
]


def upgrade() -> None:
    """Refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL) of change-log rows, whoever sends them."""
    statements = POSTGRES_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    """Drop the triggers."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER change_log_no_truncate ON change_log")
        op.execute("DROP TRIGGER change_log_no_update ON change_log")
        op.execute("DROP FUNCTION change_log_append_only()")
    else:
        op.execute("DROP TRIGGER change_log_no_delete")
        op.execute("DROP TRIGGER change_log_no_update")
