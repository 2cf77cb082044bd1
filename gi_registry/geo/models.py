"""Administrative areas with their boundaries, and the production areas GI sources define."""

from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import ConfigDict
from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from gi_registry.core.types import EnumText
from gi_registry.geo.geometry import WKBGeometry

YUEYANG_CODE = "430600"


class AreaLevel(StrEnum):
    """Levels of China's administrative divisions that the registry holds."""

    province = "province"
    city = "city"
    county = "county"
    township = "township"


class AdminArea(SQLModel, table=True):
    """A division with its NBS code; counties carry their WGS84 polygon."""

    __tablename__ = "admin_area"
    model_config = ConfigDict(arbitrary_types_allowed=True)

    code: str = Field(primary_key=True, max_length=12)
    name_zh: str = Field(max_length=60, index=True)
    name_en: str | None = Field(default=None, max_length=80)
    level: AreaLevel = Field(sa_type=EnumText(AreaLevel, 10), index=True)
    parent_code: str | None = Field(default=None, max_length=12, index=True)
    geometry: BaseGeometry | None = Field(default=None, sa_column=Column(WKBGeometry, nullable=True))
    label_lon: float | None = None
    label_lat: float | None = None
    area_km2: float | None = None
    bbox_min_lon: float | None = None
    bbox_min_lat: float | None = None
    bbox_max_lon: float | None = None
    bbox_max_lat: float | None = None


class AdminAreaPublic(SQLModel):
    """A division as the API lists it (geometry is served as GeoJSON separately)."""

    code: str
    name_zh: str
    name_en: str | None
    level: AreaLevel
    parent_code: str | None


class PlaceLevel(StrEnum):
    """What kind of place a production-area source names."""

    city = "city"
    county = "county"
    township = "township"
    village = "village"
    water_body = "water_body"


class ProductionAreaBase(SQLModel):
    """The production area as the source words it."""

    description_zh: str | None = Field(default=None, max_length=2000)
    coordinate_range: str | None = Field(default=None, max_length=200, description="As printed by the source")
    area_ha: float | None = Field(default=None, ge=0)
    summary_note: str | None = Field(default=None, max_length=1000)


class ProductionArea(ProductionAreaBase, table=True):
    """The protected production area of one protection, with the parsed coordinate range."""

    __tablename__ = "production_area"

    id: int | None = Field(default=None, primary_key=True)
    protection_id: int = Field(foreign_key="protection.id", unique=True, ondelete="CASCADE")
    lon_min: float | None = None
    lat_min: float | None = None
    lon_max: float | None = None
    lat_max: float | None = None


class AreaPlaceBase(SQLModel):
    """A place named by the source: county, township, village or water body."""

    level: PlaceLevel = Field(sa_type=EnumText(PlaceLevel, 12))
    code: str | None = Field(default=None, max_length=12)
    name_zh: str = Field(max_length=60)
    parent: str | None = Field(default=None, max_length=60, description="Enclosing place named by the source")
    note: str | None = Field(default=None, max_length=300)


class AreaPlace(AreaPlaceBase, table=True):
    """A named place of a production area, linked to its NBS code when one matches."""

    __tablename__ = "area_place"
    __table_args__ = (UniqueConstraint("area_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="production_area.id", index=True, ondelete="CASCADE")
    position: int
    code: str | None = Field(default=None, max_length=12, foreign_key="admin_area.code")


class AreaPlacePublic(AreaPlaceBase):
    """A named place as the API shows it."""


class ProductionAreaPublic(ProductionAreaBase):
    """A production area as the API shows it, with its parsed range in decimal degrees."""

    places: list[AreaPlacePublic] = []
    bbox: list[float] | None = Field(default=None, description="[lon_min, lat_min, lon_max, lat_max]")
    sources: list = []


class BoundarySubject(StrEnum):
    """What an uploaded boundary delimits."""

    production_area = "production_area"
    township = "township"


class Gcj02Handling(StrEnum):
    """What was done about a layer that may be in GCJ-02 (the offset datum of Chinese web maps)."""

    not_suspected = "not_suspected"  # the layer fits the county boundaries as uploaded, or cannot tell
    converted = "converted"  # flagged; the official chose to convert GCJ-02 → WGS84
    kept = "kept"  # flagged; the official chose to keep the coordinates as uploaded


class BoundaryVersionBase(SQLModel):
    """What the registry says about one version of an uploaded boundary."""

    subject: BoundarySubject = Field(sa_type=EnumText(BoundarySubject, 20))
    protection_id: int | None = Field(default=None, foreign_key="protection.id", index=True)
    township_code: str | None = Field(default=None, max_length=12, foreign_key="admin_area.code", index=True)
    valid_from: date
    valid_to: date | None = Field(default=None, description="First day it no longer applies; null = current")
    file_name: str = Field(max_length=255, description="The uploaded file's name, for display only")
    file_format: str = Field(max_length=20)
    file_sha256: str = Field(max_length=64)
    crs_declared: str | None = Field(default=None, max_length=200, description="As the file or official said")
    crs_handling: str = Field(max_length=300, description="How the coordinates were brought to WGS84")
    gcj02: Gcj02Handling = Field(sa_type=EnumText(Gcj02Handling, 20))
    repair: str | None = Field(default=None, max_length=500, description="A lossless repair made, if any")
    area_km2: float
    vertex_count: int
    findings: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class BoundaryVersion(BoundaryVersionBase, table=True):
    """A stored version: its polygon (WGS84), bounds for a quick prefilter, who uploaded it and when."""

    __tablename__ = "boundary_version"
    # One open-ended (newest) version per subject: two uploads racing for one area cannot both win.
    __table_args__ = (
        Index(
            "uq_boundary_version_open_area",
            "protection_id",
            unique=True,
            sqlite_where=text("valid_to IS NULL AND protection_id IS NOT NULL"),
            postgresql_where=text("valid_to IS NULL AND protection_id IS NOT NULL"),
        ),
        Index(
            "uq_boundary_version_open_township",
            "township_code",
            unique=True,
            sqlite_where=text("valid_to IS NULL AND township_code IS NOT NULL"),
            postgresql_where=text("valid_to IS NULL AND township_code IS NOT NULL"),
        ),
    )
    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: int | None = Field(default=None, primary_key=True)
    geometry: BaseGeometry = Field(sa_column=Column(WKBGeometry, nullable=False))
    bbox_min_lon: float
    bbox_min_lat: float
    bbox_max_lon: float
    bbox_max_lat: float
    uploaded_by: str = Field(max_length=120)
    uploaded_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class BoundaryVersionPublic(BoundaryVersionBase):
    """A version as the API lists it (its polygon is served as GeoJSON)."""

    id: int
    bbox: list[float]
    sources: list = []
