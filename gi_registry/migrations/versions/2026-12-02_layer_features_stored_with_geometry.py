"""layer features: each published layer's features stored with bbox columns and geometry

On PostgreSQL the geometry column is PostGIS geometry(Geometry,4326) with a GIST index, so OGC bbox
queries are answered by ST_Intersects; on SQLite it holds WKB and an R*Tree over the bbox columns,
kept by triggers, prefilters.

Revision ID: 7c1e5b9a2d44
Revises: 540876392d23
Create Date: 2026-12-02 15:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from gi_registry.layers.models import SPATIAL_INDEX, SQLITE_RTREE, LayerGeometry

revision: str = "7c1e5b9a2d44"
down_revision: str | None = "540876392d23"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "layer_feature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("layer", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("feature_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("filters", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("spans", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("min_x", sa.Float(), nullable=True),
        sa.Column("min_y", sa.Float(), nullable=True),
        sa.Column("max_x", sa.Float(), nullable=True),
        sa.Column("max_y", sa.Float(), nullable=True),
        sa.Column("geometry", LayerGeometry, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_layer_feature")),
        sa.UniqueConstraint("layer", "feature_id", name=op.f("uq_layer_feature_layer")),
    )
    with op.batch_alter_table("layer_feature", schema=None) as batch_op:
        batch_op.create_index("ix_layer_feature_owner", ["layer", "owner_id"], unique=False)
    if postgres:
        op.create_index(SPATIAL_INDEX, "layer_feature", ["geometry"], postgresql_using="gist")
    else:
        # R*Tree boxes are 32-bit floats rounded outwards: a prefilter, refined exactly by shapely.
        op.execute(f"CREATE VIRTUAL TABLE {SQLITE_RTREE} USING rtree(id, min_x, max_x, min_y, max_y)")
        op.execute(
            f"CREATE TRIGGER {SQLITE_RTREE}_insert AFTER INSERT ON layer_feature "
            f"WHEN new.min_x IS NOT NULL BEGIN INSERT INTO {SQLITE_RTREE} "
            "VALUES (new.id, new.min_x, new.max_x, new.min_y, new.max_y); END"
        )
        op.execute(
            f"CREATE TRIGGER {SQLITE_RTREE}_delete AFTER DELETE ON layer_feature "
            f"BEGIN DELETE FROM {SQLITE_RTREE} WHERE id = old.id; END"
        )
        op.execute(
            f"CREATE TRIGGER {SQLITE_RTREE}_update AFTER UPDATE ON layer_feature BEGIN "
            f"DELETE FROM {SQLITE_RTREE} WHERE id = old.id; INSERT INTO {SQLITE_RTREE} "
            "SELECT new.id, new.min_x, new.max_x, new.min_y, new.max_y WHERE new.min_x IS NOT NULL; END"
        )
    op.create_table(
        "layer_state",
        sa.Column("layer", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("layer", name=op.f("pk_layer_state")),
    )


def downgrade() -> None:
    """Revert this revision (the extension stays: other schemas may use it)."""
    op.drop_table("layer_state")
    if op.get_bind().dialect.name != "postgresql":
        op.execute(f"DROP TABLE IF EXISTS {SQLITE_RTREE}")  # its triggers go with layer_feature
    op.drop_table("layer_feature")
