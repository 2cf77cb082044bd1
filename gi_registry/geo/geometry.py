"""Geometry stored portably as WKB, seen by Python as shapely objects (WGS84 lon/lat)."""

import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator


class WKBGeometry(TypeDecorator):
    """A column holding a shapely geometry as WKB; the same bytes work on SQLite and PostgreSQL."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: BaseGeometry | None, dialect) -> bytes | None:  # noqa: ANN001
        return None if value is None else shapely.to_wkb(value)

    def process_result_value(self, value: bytes | None, dialect) -> BaseGeometry | None:  # noqa: ANN001
        return None if value is None else shapely.from_wkb(value)
