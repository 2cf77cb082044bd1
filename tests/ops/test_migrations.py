"""Migrations build exactly the schema the models declare, and go down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import gi_registry.ops.schema  # noqa: F401 - registers the tables
from gi_registry.core.db import make_engine
from gi_registry.core.settings import Settings
from gi_registry.ops import migrate


def test_upgrade_matches_models_then_down_and_up(blank_database_url: str) -> None:
    url = blank_database_url
    migrate.upgrade(url)
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": migrate.include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())

    migrate.downgrade(url, "base")
    assert set(inspect(engine).get_table_names()) - migrate.EXTENSION_TABLES <= {"alembic_version"}
    migrate.upgrade(url)
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_suite_runs_on_the_backend_it_was_asked_for(settings: Settings) -> None:
    import os

    from sqlalchemy import text

    engine = make_engine(settings)
    wanted = os.environ.get("GI_TEST_BACKEND", "sqlite")
    assert engine.dialect.name == ("postgresql" if wanted == "postgis" else "sqlite")
    if wanted == "postgis":
        with engine.connect() as connection:
            assert connection.execute(text("SELECT postgis_version()")).scalar_one()
    engine.dispose()
