"""Running Alembic from code, so `gi-registry db upgrade` works from an installed package."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from gi_registry.layers.models import SPATIAL_INDEX, SQLITE_RTREE

MIGRATIONS = Path(__file__).parent.parent / "migrations"
# Tables the PostGIS extension owns; migrations neither create nor drop them.
EXTENSION_TABLES = {
    "spatial_ref_sys",
    "geometry_columns",
    "geography_columns",
    "raster_columns",
    "raster_overviews",
}


# Spatial indexes (GIST on PostgreSQL, an R*Tree and its shadow tables on SQLite): the migrations
# create them for their dialect, the models do not describe them.
SPATIAL_INDEXES = {SPATIAL_INDEX}


def include_object(obj, name: str, type_: str, reflected: bool, compare_to) -> bool:  # noqa: ANN001, ARG001
    """Alembic hook: leave the extension's own tables and the spatial indexes alone."""
    if type_ == "index" and name in SPATIAL_INDEXES:
        return False
    if type_ == "table" and name.startswith(SQLITE_RTREE):
        return False
    return not (type_ == "table" and name in EXTENSION_TABLES)


def alembic_config(database_url: str) -> Config:
    """An Alembic config for `database_url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    return config


def upgrade(database_url: str, revision: str = "head", engine: Engine | None = None) -> None:
    """Migrate the database up to `revision`."""
    _with_connection(database_url, engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(database_url: str, revision: str, engine: Engine | None = None) -> None:
    """Migrate the database down to `revision`."""
    _with_connection(database_url, engine, lambda cfg: command.downgrade(cfg, revision))


def _with_connection(database_url: str, engine: Engine | None, run) -> None:  # noqa: ANN001
    config = alembic_config(database_url)
    if engine is None:
        run(config)
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        run(config)
