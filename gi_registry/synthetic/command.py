"""The typer command behind `gi-registry data synth`, with one progress bar per table."""

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gi_registry.core.settings import get_settings
from gi_registry.synthetic.service import SynthRefused, draw_layers, synthesize
from gi_registry.synthetic.shape import Sizes

console = Console()


def synth(
    database_url: Annotated[
        str, typer.Option("--database-url", help="A separate database (never the real one); migrated first")
    ],
    indications: Annotated[int, typer.Option(help="GI products")] = Sizes.indications,
    producers: Annotated[int, typer.Option(help="Producers (each with an account)")] = Sizes.producers,
    renewals: Annotated[int, typer.Option(help="Renewal applications")] = Sizes.renewals,
    audits: Annotated[int, typer.Option(help="Audits")] = Sizes.audits,
    seed: Annotated[int, typer.Option(help="Same seed, same rows")] = 1,
    password: Annotated[
        str, typer.Option(help="Password of every synthetic account (load tests)")
    ] = "synthetic-password",
) -> None:
    """Fill a separate database with a seeded synthetic national-scale set, every record marked synthetic."""
    try:
        sizes = Sizes(indications, producers, renewals, audits)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    with Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        current: list[int] = []

        def on_table(name: str, total: int) -> None:
            current[:] = [progress.add_task(name, total=total)]

        try:
            report = synthesize(
                database_url,
                sizes,
                seed=seed,
                password=password,
                settings=get_settings(),
                on_table=on_table,
                on_rows=lambda n: progress.advance(current[0], n),
            )
        except SynthRefused as exc:
            progress.stop()
            Console(stderr=True).print(f"[red]Refused:[/] {exc.message}")
            raise typer.Exit(code=1) from None
    console.print(
        f"Wrote {report.total:,} synthetic rows in {report.seconds:.2f} s "
        f"({report.cpu_seconds:.2f} s of CPU, {report.prepare_seconds:.2f} s before generating): "
        f"[bold]{report.rows_per_second:,.0f} rows/s[/]. Serve it with GI_DEMO_MODE=true to show them."
    )
    _draw_layers(database_url)


def _draw_layers(database_url: str) -> None:
    """Draw the map layers of the new set, so the first map or OGC request does not wait for it."""
    with Progress(TextColumn("{task.description:<18}"), TimeElapsedColumn(), console=console) as progress:
        tasks: list[int] = []

        def on_layer(layer_id: str) -> None:
            if tasks:
                progress.update(tasks[-1], completed=1)
            tasks.append(progress.add_task(f"layer {layer_id}", total=1))

        draw_layers(database_url, get_settings(), on_layer)
        if tasks:
            progress.update(tasks[-1], completed=1)
