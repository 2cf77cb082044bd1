"""The stored features of the published layers, and how current each layer is.

A layer's rows are derived data: everything in them can be rebuilt from the registry's own tables, so
they carry no history of their own. The geometry column is PostGIS `geometry(Geometry,4326)` with a
GIST index on PostgreSQL (so `bbox` is answered by `ST_Intersects`) and WKB on SQLite, where an R*Tree
over the bbox columns (kept by triggers) prefilters and shapely refines.
"""

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, Column, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# The spatial indexes: a GIST index on PostgreSQL, an R*Tree virtual table (with its shadow tables
# and triggers) on SQLite. The migration creates them; the models leave them out.
SPATIAL_INDEX = "ix_layer_feature_geometry_gist"
SQLITE_RTREE = "layer_feature_rtree"

LayerGeometry = LargeBinary().with_variant(Geometry(srid=4326, spatial_index=False), "postgresql")


class LayerFeature(SQLModel, table=True):
    """One feature of one layer, as the API serves it."""

    __tablename__ = "layer_feature"
    __table_args__ = (
        UniqueConstraint("layer", "feature_id"),
        Index("ix_layer_feature_owner", "layer", "owner_id"),
    )

    id: int | None = Field(default=None, primary_key=True, description="The R*Tree's key on SQLite")
    layer: str = Field(max_length=30)
    feature_id: str = Field(max_length=80)
    owner_id: int = Field(sa_type=BigInteger, description="The record it is drawn from (GI, producer…)")
    position: int = Field(sa_type=BigInteger, description="Order within the owner's features")
    body: str = Field(sa_column=Column(Text, nullable=False), description="The GeoJSON feature")
    filters: str = Field(default=" ", max_length=2000, description="' name=value ' tokens for filters")
    spans: str | None = Field(default=None, max_length=2000, description="'start/end,…' days it applies to")
    synthetic: bool = False
    min_x: float | None = None
    min_y: float | None = None
    max_x: float | None = None
    max_y: float | None = None
    geometry: bytes | None = Field(default=None, sa_column=Column(LayerGeometry, nullable=True))


class LayerState(SQLModel, table=True):
    """The change-log id a layer's rows are current as of (0: never built)."""

    __tablename__ = "layer_state"

    layer: str = Field(max_length=30, primary_key=True)
    version: int = Field(default=0, sa_type=BigInteger)
    refreshed_at: datetime = Field(sa_type=DateTime(timezone=True), description="When the version moved")
