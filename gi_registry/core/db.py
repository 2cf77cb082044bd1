"""Engine, sessions and the metadata naming convention shared by every domain."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool

from gi_registry.core.settings import Settings

T = TypeVar("T")

# Stable constraint names make Alembic migrations reproducible (and batch mode work on SQLite).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects are untyped
    # WAL lets readers go on while one writer commits; FULL syncs the WAL on every commit, so an
    # acknowledged write survives a crash of the process or the machine.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(settings: Settings) -> Engine:
    """Create the engine for `settings.database_url`, creating the SQLite folder when needed."""
    url = settings.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # An in-memory database lives in one connection (a static pool, which takes no size).
        pooled = path not in ("", ":memory:")
        sizes = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow}
        engine = create_engine(
            url,
            echo=settings.sql_echo,
            connect_args={"check_same_thread": False},
            **(sizes if pooled else {}),
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        echo=settings.sql_echo,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session bound to the app's engine; services commit once per use case.

    Afterwards the app's `after_session` hooks run (set by `create_app`: the map layers that depend on
    what was committed are brought up to date, so that a read replica, which cannot refresh them
    itself, replicates current ones).
    """
    with Session(request.app.state.engine) as session:
        yield session
        for hook in getattr(request.app.state, "after_session", ()):
            hook(session)


SessionDep = Annotated[Session, Depends(get_session)]


async def in_session(request: Request, handler: Callable[..., T], *args: object) -> T:
    """Run `handler(session, *args)` on the thread pool with a session of its own.

    For the hottest read routes: one trip to the thread pool, where a session dependency and a sync
    endpoint take three.
    """

    def run() -> T:
        with Session(request.app.state.engine) as session:
            return handler(session, *args)

    return await run_in_threadpool(run)
