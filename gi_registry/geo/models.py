"""Administrative areas with their boundaries, and the production areas GI sources define."""

from enum import StrEnum

from pydantic import ConfigDict
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from gi_registry.geo.geometry import WKBGeometry
from gi_registry.types import EnumText

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
