"""`gi-registry data synth`: migrate a separate database, then fill it with a seeded synthetic set.

The real dataset is never touched: a database holding any record not marked synthetic is refused
before anything is written, and so is a SQLite file inside data/. Everything is written in one
transaction, so a failure leaves the database as empty as it was.
"""

import gc
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel

from gi_registry.auth.security import hash_password
from gi_registry.core import versioning
from gi_registry.core.db import make_engine
from gi_registry.core.errors import RegistryError
from gi_registry.core.settings import Settings
from gi_registry.dataset.loader import load_dataset
from gi_registry.dataset.reader import read_geography
from gi_registry.geo import service as geo_service
from gi_registry.geo.models import AreaLevel
from gi_registry.history.models import ChangeLog
from gi_registry.indications.models import Indication
from gi_registry.layers import store
from gi_registry.layers.collections import LAYERS
from gi_registry.layers.models import LayerFeature
from gi_registry.ops import migrate
from gi_registry.ops.schema import Producer  # every table model, so the metadata is complete
from gi_registry.synthetic.bulk import (
    Encoded,
    drop_constraints,
    drop_plain_indexes,
    missing_references,
    reset_sequence,
    write_encoded,
)
from gi_registry.synthetic.bulk import encode as encoded_for
from gi_registry.synthetic.generate import TABLE_ORDER, Columns, County, Generator
from gi_registry.synthetic.pipeline import generated
from gi_registry.synthetic.shape import ACTOR, MARK, Sizes


class SynthRefused(RegistryError):
    """The target database is not one synthetic data may be written into."""

    status_code = 409


@dataclass
class SynthReport:
    """What a synth run wrote and how fast."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    prepare_seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's and the generating child's, over `seconds`

    @property
    def total(self) -> int:
        """Rows written into the synthetic tables (the change-log rows and divisions not counted)."""
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        """Rows per wall-clock second of the whole run, from the first check to the commit.

        `seconds` covers the refusal checks, migrating, loading the divisions, hashing the password,
        generating, writing, rebuilding indexes, checking foreign keys, the change log and the commit
        (`prepare_seconds` is the part before generation starts).
        """
        return self.total / self.seconds if self.seconds else 0.0


def _refuse_data_dir(database_url: str, data_dir: Path) -> None:
    if not database_url.startswith("sqlite"):
        return
    path = database_url.split("///", 1)[-1]
    if path and path != ":memory:" and Path(path).resolve().is_relative_to(data_dir.resolve()):
        raise SynthRefused(f"Synthetic data is never written into {data_dir}: choose a file outside it.")


def _refuse_loaded(engine: Engine) -> None:
    """Refuse a database that holds any record, real or synthetic, before touching it."""
    if "indication" not in inspect(engine).get_table_names():
        return
    with engine.connect() as connection:
        real = connection.execute(
            select(func.count()).select_from(Indication).where(Indication.synthetic.is_(False))
        ).scalar_one()
        real += connection.execute(
            select(func.count()).select_from(Producer).where(Producer.synthetic.is_(False))
        ).scalar_one()
        synthetic = connection.execute(select(func.count()).select_from(Indication)).scalar_one()
    where = engine.url.render_as_string(hide_password=True)
    if real:
        raise SynthRefused(
            f"The database {where} holds the real dataset ({real} GI products and producers not marked "
            "synthetic). Synthetic data goes into a separate database: pass another --database-url."
        )
    if synthetic:
        raise SynthRefused(
            f"The database {where} already holds a synthetic dataset ({synthetic} GI products). "
            "Synthesize into an empty database (a new file, or a new PostgreSQL database)."
        )


def _load_divisions(connection, settings: Settings) -> list[County]:  # noqa: ANN001 - a Connection
    """The real administrative divisions and boundaries (public geography), which synthetic rows refer to."""
    geography = read_geography(settings.data_dir)  # the GI, standard and producer files are not needed
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        load_dataset(session, geography, actor=ACTOR, reason=f"divisions for a synthetic dataset {MARK}")
        townships: dict[str, list[str]] = {}
        for area in geo_service.list_admin_areas(session, level=AreaLevel.township):
            townships.setdefault(area.parent_code or "", []).append(area.code)
        return [
            County(area.code, area.name_zh, area.geometry, tuple(townships.get(area.code, ())))
            for area in geo_service.yueyang_counties(session)
            if area.geometry is not None
        ]


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _bulk_pragmas(connection: Connection) -> None:
    """Settings for this one connection's load into a fresh file (before the transaction's first write).

    The file is new and rebuilt from its seed if anything goes wrong, so the load needs no durability:
    no fsync (synchronous=OFF) and a rollback journal kept in memory instead of the WAL, so pages are
    written once, into the file, at commit (a rollback still works). Random-order index inserts
    thrash SQLite's default 2 MB page cache; 256 MB keeps the indexes in memory. Foreign keys are
    checked once for the whole load instead of row by row.
    """
    connection.exec_driver_sql("PRAGMA journal_mode=MEMORY")
    connection.exec_driver_sql("PRAGMA synchronous=OFF")
    connection.exec_driver_sql("PRAGMA cache_size=-262144")
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()  # ends SQLAlchemy's autobegun transaction; no write has begun one in SQLite


def _normal_pragmas(connection: Connection) -> None:
    """Back to what db.py sets on every connection: the file stays in WAL mode, synced in full."""
    connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    connection.exec_driver_sql("PRAGMA synchronous=FULL")
    connection.exec_driver_sql("PRAGMA cache_size=-2000")
    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    connection.commit()


def _write(  # noqa: PLR0913 - the pieces of one run, passed on from synthesize
    connection: Connection,
    settings: Settings,
    sizes: Sizes,
    seed: int,
    password: str,
    report: SynthReport,
    started: float,
    on_table: Callable[[str, int], None],
    on_rows: Callable[[int], None],
) -> None:
    sqlite = connection.dialect.name == "sqlite"
    counties = _load_divisions(connection, settings)
    report.prepare_seconds = time.perf_counter() - started
    dialect = connection.dialect.name
    json_serializer = connection.dialect._json_serializer or json.dumps
    tables = SQLModel.metadata.tables
    references = []

    def build() -> Generator:
        # The password is hashed once, by whoever writes the accounts (a generating child).
        return Generator(sizes, seed, counties, lambda: hash_password(password))

    def encode(name: str, columns: Columns) -> Encoded:
        return encoded_for(dialect, json_serializer, tables[name], columns)

    with generated(build, encode) as (planned, stream):
        for name, encoded in zip(TABLE_ORDER, stream, strict=True):
            table = tables[name]
            on_table(name, planned[name])
            recreate = drop_plain_indexes(connection, table) + drop_constraints(connection, table)
            report.rows[name] = write_encoded(connection, encoded, on_rows)
            references += encoded.references
            del encoded
            for statement in recreate:
                connection.execute(text(statement))
            reset_sequence(connection, table)
    if sqlite:
        # Foreign keys were off for the load (PostgreSQL checked them when they were added back).
        broken = missing_references(connection, references)
        if broken:
            raise RuntimeError(f"synthetic rows break foreign keys: {'; '.join(broken)}")
    connection.execute(
        ChangeLog.__table__.insert(),
        [
            {
                "change_set": f"synthetic-seed-{seed}",
                "at": datetime.now(UTC),
                "actor": ACTOR,
                "entity_type": name,
                "entity_id": f"seed-{seed}",
                "field": None,
                "old_value": None,
                "new_value": {"rows": rows, "seed": seed, "synthetic": True},
                "reason": f"bulk load of generated records {MARK}",
            }
            for name, rows in report.rows.items()
        ],
    )


def synthesize(
    database_url: str,
    sizes: Sizes,
    *,
    seed: int,
    password: str,
    settings: Settings,
    on_table: Callable[[str, int], None] = lambda _table, _total: None,
    on_rows: Callable[[int], None] = lambda _n: None,
) -> SynthReport:
    """Migrate `database_url`, check it holds no records, and write the synthetic set in one transaction."""
    started = time.perf_counter()
    cpu = _cpu()
    # Millions of new tuples and strings, none in a reference cycle: the cyclic collector would only
    # rescan them again and again while they are built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _synthesize(database_url, sizes, seed, password, settings, started, on_table, on_rows)
        report.cpu_seconds = _cpu() - cpu
        return report
    finally:
        if collecting:
            gc.enable()


def _synthesize(  # noqa: PLR0913 - synthesize's arguments
    database_url: str,
    sizes: Sizes,
    seed: int,
    password: str,
    settings: Settings,
    started: float,
    on_table: Callable[[str, int], None],
    on_rows: Callable[[int], None],
) -> SynthReport:
    _refuse_data_dir(database_url, settings.data_dir)
    engine = make_engine(settings.model_copy(update={"database_url": database_url}))
    # The set is one write transaction like any other: it moves the data version, so a registry
    # already serving this (empty) database answers with the set at once, not from before it.
    versioning.install(engine, settings.version_signal)
    try:
        _refuse_loaded(engine)
        migrate.upgrade(database_url, engine=engine)
        report = SynthReport()
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                _bulk_pragmas(connection)
            try:
                with connection.begin():
                    _write(connection, settings, sizes, seed, password, report, started, on_table, on_rows)
            finally:
                if sqlite:
                    _normal_pragmas(connection)
        report.seconds = time.perf_counter() - started
        vacuum_and_analyze(engine)
        return report
    finally:
        engine.dispose()


def draw_layers(
    database_url: str, settings: Settings, on_layer: Callable[[str], None] = lambda _layer: None
) -> None:
    """Draw every map layer of a new set, then vacuum and analyze the drawn features (PostgreSQL).

    Otherwise the first map or OGC request draws them, and autovacuum later starts on a hundred
    thousand fresh feature rows under whatever requests come then. `on_layer` is told each layer's id
    before it is drawn (a progress bar)."""
    engine = make_engine(settings.model_copy(update={"database_url": database_url}))
    try:
        with Session(engine) as session:
            for layer_id in LAYERS:
                on_layer(layer_id)
                store.redraw_all(session, (layer_id,))
        vacuum_and_analyze(engine, LayerFeature.__tablename__)
    finally:
        engine.dispose()


def vacuum_and_analyze(engine: Engine, table: str | None = None) -> None:
    """On PostgreSQL, vacuum and analyze a bulk-loaded database (or one table) at once: the planner gets
    its statistics, and autovacuum does not start on a million fresh rows under the first requests."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        statement = "VACUUM (ANALYZE)" if table is None else f'VACUUM (ANALYZE) "{table}"'
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(statement)
