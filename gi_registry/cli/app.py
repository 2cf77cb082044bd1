"""The `gi-registry` command line: serve, migrate, load and check the dataset."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import ReviewLevel, Role, User
from gi_registry.core import versioning
from gi_registry.core.db import make_engine
from gi_registry.core.errors import RegistryError
from gi_registry.core.sandbox import Budget
from gi_registry.core.settings import Settings, get_settings
from gi_registry.dataset import checks
from gi_registry.dataset.loader import STEPS, load_dataset
from gi_registry.dataset.reader import DataFileError, read_dataset
from gi_registry.exports.snapshot import write_snapshot
from gi_registry.exports.writers import ExportFormat
from gi_registry.history.service import ChangeSet
from gi_registry.http import serving
from gi_registry.imports.service import ImportKind, import_file
from gi_registry.indications.coverage import Coverage
from gi_registry.layers import store as layer_store
from gi_registry.layers.collections import EXPORTED
from gi_registry.ops import migrate
from gi_registry.synthetic.command import synth

app = typer.Typer(
    help="gi-registry: Yueyang's registry of geographical-indication products.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
data_app = typer.Typer(help="The dataset in data/.", no_args_is_help=True)
maps_app = typer.Typer(help="Maps of Yueyang's GIs.", no_args_is_help=True)
demo_app = typer.Typer(
    help="Demo data for trying the workflows (synthetic, marked as such).", no_args_is_help=True
)
users_app = typer.Typer(help="Accounts of producers, officials and administrators.", no_args_is_help=True)
outbox_app = typer.Typer(
    help="Reminders: queue today's (schedule) and deliver the outbox over GI_SMTP_URL (send).",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
app.add_typer(data_app, name="data")
app.add_typer(maps_app, name="maps")
app.add_typer(users_app, name="users")
app.add_typer(demo_app, name="demo")
app.add_typer(outbox_app, name="outbox")

data_app.command("synth")(synth)

console = Console()
errors = Console(stderr=True)

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder holding the dataset (default: GI_DATA_DIR or ./data)"),
]


def _engine(settings: Settings) -> Engine:
    """An engine whose write transactions move the data version, so running servers see them at once."""
    engine = make_engine(settings)
    versioning.install(engine, settings.version_signal)
    return engine


def _settings(data_dir: Path | None = None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"data_dir": data_dir}) if data_dir else settings


def _read_or_exit(data_dir: Path):  # noqa: ANN202 - returns a Dataset
    try:
        return read_dataset(data_dir)
    except DataFileError as exc:
        errors.print(f"[bold red]The dataset in {data_dir} is malformed; nothing was written.[/]")
        for problem in exc.problems:
            errors.print(
                f"  {data_dir / problem.file if not Path(problem.file).is_absolute() else problem.file}"
                f"{str(problem)[len(problem.file) :]}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        raise typer.Exit(code=1) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default: GI_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: GI_PORT)")] = None,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development)")] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes; more than 1 needs GI_SECRET_KEY")
    ] = 1,
    access_log: Annotated[
        bool, typer.Option(help="uvicorn's own access log; the registry already logs each request as JSON")
    ] = False,
) -> None:
    """Serve the website and the API."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and settings.secret_key is None:
        # Each worker would make its own random key: a token signed by one would be refused by the others.
        console.print("[red]--workers above 1 needs GI_SECRET_KEY, shared by every worker.[/red]")
        raise typer.Exit(2)
    options = {
        "factory": True,
        "host": host or settings.host,
        "port": port or settings.port,
        "reload": reload,
        "workers": workers,
        "access_log": access_log,
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default, letting any local client (or
        # a proxy that appends rather than replaces) choose its address per request; the registry reads
        # it itself, only from GI_TRUSTED_PROXIES (middleware.add_middleware).
        "proxy_headers": False,
        # Idle keep-alive connections close after 5 s, and h11 refuses request heads above 64 KB, so
        # slow or endless headers cannot hold sockets for long; put a reverse proxy in front for
        # header timeouts proper (see docs/operations.md, Slow clients).
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": 64 * 1024,
        # With --workers, uvicorn kills a worker that does not answer its health check in time and starts
        # another. Importing the registry (GDAL, pandas, an argon2 hash) takes 4-7 s on a loaded 2-core
        # machine, more than uvicorn's 5 s: workers were killed while starting, forever.
        "timeout_worker_healthcheck": 30,
    }
    app = "gi_registry.http.app:create_served_app"
    if workers > 1 and not reload:
        # Each worker on a socket of its own, so that new connections are spread over the workers.
        serving.run(uvicorn.Config(app, **options))
    else:
        uvicorn.run(app, **options)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Migrate the database to the latest schema (or to REVISION)."""
    settings = get_settings()
    migrate.upgrade(settings.database_url, revision)
    console.print(f"Database at {settings.database_url} is at revision {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1")]) -> None:
    """Migrate the database down to REVISION."""
    settings = get_settings()
    migrate.downgrade(settings.database_url, revision)
    console.print(f"Database at {settings.database_url} is at revision {revision}.")


@data_app.command("load")
def data_load(data_dir: DataDirOption = None) -> None:
    """Load data/ into the database: idempotent, and all-or-nothing."""
    settings = _settings(data_dir)
    dataset = _read_or_exit(settings.data_dir)
    engine = _engine(settings)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        console=console,
    ) as progress:
        task = progress.add_task("loading", total=len(STEPS))

        def on_step(name: str, size: int) -> None:
            progress.update(task, description=f"loading {size} {name}", completed=STEPS.index(name))

        with Session(engine) as session:
            report = load_dataset(session, dataset, on_step=on_step)
            if report.changed_anything:
                progress.update(task, description="drawing the map layers")
                layer_store.redraw_all(session)
        progress.update(task, completed=len(STEPS), description="loaded")
    engine.dispose()
    if report.changed_anything:
        created = ", ".join(f"{n} {kind}" for kind, n in sorted(report.created.items())) or "nothing"
        updated = ", ".join(f"{n} {kind}" for kind, n in sorted(report.updated.items())) or "nothing"
        console.print(f"Created {created}; updated {updated}; {report.changes} change-log rows.")
    else:
        console.print("The database already holds this dataset: nothing changed.")


@data_app.command("check")
def data_check(data_dir: DataDirOption = None) -> None:
    """Validate data/ without writing, and print what is known and what is missing."""
    settings = _settings(data_dir)
    dataset = _read_or_exit(settings.data_dir)
    console.print(
        f"[green]{settings.data_dir} is valid[/]: {len(dataset.indications)} GI products, "
        f"{sum(len(i.protections) for i in dataset.indications)} protections, "
        f"{len(dataset.standards)} standards, {len(dataset.producers)} producers."
    )
    report = checks.check_dataset(dataset)
    table = Table(title="Coverage against the official totals")
    for column in ("kind", "recorded", "official total", "H", "M", "L", "most often unknown"):
        table.add_column(column)
    for kind in report.coverage.kinds:
        official = kind.official_total
        table.add_row(
            kind.kind.value,
            str(kind.recorded),
            f"{official.total} (as of {official.as_of})" if official else "not published",
            *(str(kind.by_confidence[c]) for c in kind.by_confidence),
            ", ".join(f"{u.field} {u.unknown}/{u.of}" for u in kind.unknown_fields if u.unknown)[:80] or "-",
        )
    console.print(table)
    _print_as_of(report.coverage)
    _print_county_coverage(report.coverage)
    _print_gaps(report.coverage)
    unmatched = report.unmatched_townships
    if unmatched:
        console.print(
            f"[yellow]{len(unmatched)} township names match no township code[/] "
            "(renamed or merged since the source was written?):"
        )
        for product, name in unmatched:
            console.print(f"  {product}: {name}")


def _print_as_of(coverage: Coverage) -> None:
    """Each official total against the protections its sources show by its date, and those left out."""
    for kind in coverage.kinds:
        as_of = kind.as_of
        if as_of is None:
            continue
        console.print(
            f"{kind.kind.value} as of {as_of.as_of}: {as_of.reported} reported, "
            f"{as_of.well_supported} well supported (H/M), {as_of.weak} weak (L), "
            f"{as_of.not_identified} not identified; not counted: {len(as_of.unknown_date)} of unknown date, "
            f"{len(as_of.later)} dated later",
            soft_wrap=True,
        )
        for row in as_of.unknown_date + as_of.later:
            when = f" ({row.date})" if row.date else ""
            console.print(
                f"  {row.name_zh} ({row.slug}) {row.key} [{row.confidence.value}]: {row.reason.value}{when}"
            )


def _print_county_coverage(coverage: Coverage) -> None:
    """Recorded protections per county and kind, with a county's own published total where there is one."""
    kinds = [k.kind for k in coverage.kinds]
    table = Table(title="Recorded per county ('n of total' where a total is published for the county)")
    table.add_column("county")
    table.add_column("GI products")
    for kind in kinds:
        table.add_column(kind.value)
    for county in coverage.counties:
        cells = [
            f"{c.recorded} of {c.official_total}" if c.official_total is not None else str(c.recorded)
            for c in county.kinds
        ]
        table.add_row(f"{county.name_zh} {county.code}", str(county.indications), *cells)
    console.print(table)


def _print_gaps(coverage: Coverage) -> None:
    """Each GI product's protections and the tracked fields they still lack."""
    console.print(f"Fields still unknown, by GI product ({len(coverage.gaps)} products lack some):")
    for gap in coverage.gaps:
        parts = "; ".join(f"{p.kind.value}: {', '.join(p.unknown)}" for p in gap.protections)
        console.print(f"  {gap.name_zh} ({gap.slug}): {parts}", soft_wrap=True)


@maps_app.command("build")
def maps_build(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the static map site to")] = Path("site"),
) -> None:
    """Write a static map site (Chinese and English) that opens from disk with no server and no network."""
    from maps.site import build_static_site, page_count

    engine = _engine(get_settings())
    with (
        Session(engine) as session,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} pages"),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("building maps", total=page_count(session))
        pages = build_static_site(
            session, out, on_page=lambda name: progress.update(task, advance=1, description=name)
        )
    engine.dispose()
    console.print(f"Wrote {len(pages)} map pages to {out}; open {out / 'index.html'} in a browser.")


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder for the dated snapshot")] = Path("exports"),
    formats: Annotated[
        list[ExportFormat] | None,
        typer.Option("--format", help="csv, geojson, gpkg, xlsx (repeatable; all by default)"),
    ] = None,
) -> None:
    """Write a dated snapshot of every public table, with a data dictionary and SHA-256 sums."""
    chosen = formats or list(ExportFormat)
    engine = _engine(get_settings())
    with (
        Session(engine) as session,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} files"),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("exporting", total=len(EXPORTED) * len(chosen))
        folder = write_snapshot(
            session,
            out,
            chosen,
            today=date.today(),
            on_file=lambda name: progress.update(task, advance=1, description=name),
        )
    engine.dispose()
    console.print(f"Wrote {folder} (check with: cd {folder} && sha256sum -c SHA256SUMS).")


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="A .csv (UTF-8) or .xlsx file; see data/templates/", exists=True)
    ],
    kind: Annotated[ImportKind, typer.Option("--kind", help="What the file holds")],
    reason: Annotated[str, typer.Option("--reason", help="Why, for the change log")] = "spreadsheet import",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and write nothing")] = False,
) -> None:
    """Check a spreadsheet row by row, then load it all-or-nothing (nothing if any row is wrong)."""
    settings = get_settings()
    engine = _engine(settings)
    with (
        Session(engine) as session,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} rows"),
            console=console,
        ) as progress,
    ):
        task = progress.add_task("checking" if dry_run else "importing", total=None)
        report = import_file(
            session,
            kind=kind,
            filename=file.name,
            content=file.read_bytes(),
            actor="cli",
            reason=reason,
            dry_run=dry_run,
            on_row=lambda done, total: progress.update(task, completed=done, total=total),
            budget=Budget(memory_mb=settings.parse_memory_mb, seconds=settings.parse_seconds),
        )
    engine.dispose()
    if report.problems:
        table = Table(
            title=f"{file.name}: {len(report.problems)} problem(s); nothing was written / 未写入任何数据"
        )
        for column in ("row 行", "column 列", "问题", "problem"):
            table.add_column(column)
        for problem in report.problems:
            table.add_row(str(problem.row), problem.column or "", problem.zh, problem.en)
        console.print(table)
        raise typer.Exit(code=1)
    if report.written:
        console.print(f"Imported {report.created} {kind.value} from {file.name} (one transaction, logged).")
    else:
        console.print(
            f"{file.name}: all {report.rows} rows are valid; dry run, nothing written. 全部有效（试运行）。"
        )


def _run_backup_step(step, *args) -> None:  # noqa: ANN001, ANN002 - backup() or restore() and its arguments
    from gi_registry.ops.backup import BackupError

    try:
        step(get_settings().database_url, *args)
    except BackupError as exc:
        errors.print(f"[red]{exc}[/]")
        raise typer.Exit(code=1) from None


@app.command("backup")
def backup_command(
    target: Annotated[Path, typer.Argument(help="File to write (SQLite copy or pg_dump -Fc)")],
) -> None:
    """Back up the database while it keeps serving: one consistent snapshot."""
    from gi_registry.ops.backup import backup

    _run_backup_step(backup, target)
    console.print(f"Backed up to {target}.")


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="A file written by gi-registry backup")],
) -> None:
    """Replace the database's content with a backup (checked first)."""
    from gi_registry.ops.backup import restore

    engine = _engine(get_settings())
    before = versioning.current(engine)
    _run_backup_step(restore, source)
    # The backup's data version may be one running servers already cached other answers under.
    versioning.move_past(engine, before)
    engine.dispose()
    console.print(f"Restored from {source}.")


@demo_app.command("load")
def demo_load(
    password: Annotated[
        str, typer.Option("--password", help="Password of the demo accounts")
    ] = "demo-password",
) -> None:
    """Add synthetic producers, authorizations, accounts and an open application (see GI_DEMO_MODE)."""
    from gi_registry.demo.service import load_demo

    settings = get_settings()
    if settings.environment == "production":
        # Demo data brings an active official account whose password is published (README.md, and
        # docs/accounts-and-workflows.md, Trying the workflows).
        errors.print("[red]Refused:[/] demo data is never loaded with GI_ENVIRONMENT=production.")
        raise typer.Exit(code=2)
    engine = _engine(settings)
    with Session(engine) as session:
        accounts = load_demo(session, password=password, today=date.today())
    engine.dispose()
    console.print(
        f"Demo data loaded (every record synthetic). Sign in as '{accounts.official}' or "
        f"'{accounts.producer}' with the password '{accounts.password}'. "
        "Public pages show demo producers only with GI_DEMO_MODE=true."
    )


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Option("--username", help="Sign-in name")],
    password: Annotated[str, typer.Option("--password", help="At least 10 characters")],
    role: Annotated[Role, typer.Option("--role", help="producer, official or admin")],
    producer_id: Annotated[
        int | None, typer.Option("--producer-id", help="The producer a producer account acts for")
    ] = None,
    level: Annotated[
        ReviewLevel | None,
        typer.Option("--level", help="An official's bureau: county, city (default) or province"),
    ] = None,
    area_code: Annotated[str | None, typer.Option("--area", help="A county official's county code")] = None,
) -> None:
    """Create an account."""
    engine = _engine(get_settings())
    try:
        with Session(engine) as session:
            user = auth_service.create_user(
                session,
                username=username,
                password=password,
                role=role,
                producer_id=producer_id,
                actor="cli",
                level=level,
                area_code=area_code,
            )
            console.print(f"Created {user.role.value} account '{user.username}' (id {user.id}).")
    except RegistryError as exc:
        errors.print(f"[red]Refused:[/] {exc.message}")
        raise typer.Exit(code=1) from None
    finally:
        engine.dispose()


def _on_account(username: str, act: Callable[[Session, User], str]) -> None:
    engine = _engine(get_settings())
    try:
        with Session(engine) as session:
            console.print(act(session, auth_service.by_username(session, username)))
    except RegistryError as exc:
        errors.print(f"[red]Refused:[/] {exc.message}")
        raise typer.Exit(code=1) from None
    finally:
        engine.dispose()


UsernameOption = Annotated[str, typer.Option("--username", help="Sign-in name")]


@users_app.command("set-password")
def users_set_password(
    username: UsernameOption,
    password: Annotated[str, typer.Option("--password", help="At least 10 characters")],
) -> None:
    """Give an account a new password; every session signed in with the old one ends."""

    def act(session: Session, user: User) -> str:
        auth_service.change_password(session, user, password, actor="cli")
        return f"New password set for '{user.username}'; its sessions have ended."

    _on_account(username, act)


@users_app.command("deactivate")
def users_deactivate(username: UsernameOption) -> None:
    """Stop an account from signing in; its sessions end at once."""

    def act(session: Session, user: User) -> str:
        auth_service.deactivate(session, user, actor="cli")
        return f"Account '{user.username}' deactivated; its sessions have ended."

    _on_account(username, act)


@users_app.command("end-sessions")
def users_end_sessions(username: UsernameOption) -> None:
    """Sign an account out everywhere (a lost phone, a token that leaked)."""

    def act(session: Session, user: User) -> str:
        auth_service.end_sessions(session, user, ChangeSet(actor="cli", reason="sessions ended"))
        return f"Every session of '{user.username}' has ended."

    _on_account(username, act)


@outbox_app.command("schedule")
def outbox_schedule(
    today: Annotated[
        str | None, typer.Option("--today", help="The day to schedule for (YYYY-MM-DD; default: today)")
    ] = None,
) -> None:
    """Queue the reminders due today and this week's digests; running it twice adds nothing."""
    from gi_registry.labels.reminder_schedule import schedule

    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        errors.print(f"[red]Refused:[/] --today must be a date like 2026-12-06, not {today!r}.")
        raise typer.Exit(code=2) from None
    settings = get_settings()
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            result = schedule(session, today=day, include_synthetic=settings.demo_mode)
    finally:
        engine.dispose()
    console.print(f"Queued {result.reminders} reminder(s) and {result.digests} digest(s) for {day}.")


@outbox_app.command("send")
def outbox_send(
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running: send, wait --interval seconds, send again")
    ] = False,
    interval: Annotated[float, typer.Option("--interval", min=1, help="Seconds between runs")] = 30,
    with_schedule: Annotated[
        bool, typer.Option("--schedule", help="Also queue today's reminders before each run (idempotent)")
    ] = False,
) -> None:
    """Deliver every due message over GI_SMTP_URL (retries with back-off; dead letters after N failures)."""
    import time

    from gi_registry.labels.reminder_schedule import schedule
    from gi_registry.reminders.sender import NotConfigured, send_due

    settings = get_settings()
    if not settings.smtp_url:
        errors.print("GI_SMTP_URL is not set: nothing leaves this machine; the outbox keeps every message.")
        raise typer.Exit(code=1)
    engine = make_engine(settings)
    try:
        while True:
            with Session(engine) as session:
                if with_schedule:
                    schedule(session, today=date.today(), include_synthetic=settings.demo_mode)
                try:
                    result = send_due(session, settings)
                except NotConfigured as exc:
                    errors.print(f"[red]Refused:[/] {exc}")
                    raise typer.Exit(code=1) from None
            console.print(f"Sent {result.sent}; {result.failed} failed ({result.dead} now dead letters).")
            if not watch:
                break
            time.sleep(interval)
    finally:
        engine.dispose()


if __name__ == "__main__":
    app()
