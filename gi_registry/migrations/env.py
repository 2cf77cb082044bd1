"""Alembic environment: the URL comes from the caller's config or from the GI_ settings."""

from alembic import context
from sqlmodel import SQLModel

import gi_registry.ops.schema  # noqa: F401 - registers every table on the metadata
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.core.types import EnumText
from gi_registry.geo.geometry import WKBGeometry
from gi_registry.ops.migrate import include_object

config = context.config


def render_item(type_: str, obj: object, _autogen_context: object) -> str | bool:
    """Render the registry's own column types as plain SQLAlchemy types, so migrations stand alone."""
    if type_ == "type" and isinstance(obj, EnumText):
        return f"sa.String(length={obj.impl.length})"
    if type_ == "type" and isinstance(obj, WKBGeometry):
        return "sa.LargeBinary()"
    return False


target_metadata = SQLModel.metadata


def _settings() -> Settings:
    url = config.get_main_option("sqlalchemy.url")
    return Settings(database_url=url) if url else Settings()


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    url = _settings().database_url
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_item=render_item,
        include_object=include_object,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate through a connection; an engine passed by the caller is reused."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_settings())
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations copy a table and drop the old one; with foreign keys on, dropping a table
            # that other rows reference fails. Off for the migration, then every reference is checked.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        _run(connection)
        connection.commit()  # the PRAGMA began SQLAlchemy's transaction, so Alembic left committing to us
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"the migration left rows whose references are broken: {broken[:5]}")
    engine.dispose()


def _run(connection) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_item=render_item,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
