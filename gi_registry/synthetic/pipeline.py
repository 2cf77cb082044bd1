"""Generate in child processes while this one writes: later tables are built as earlier ones are written.

Generating and encoding is Python and numpy work, writing is the database driver's; in one process
they share one core (and the GIL). Where processes can be forked (Linux, macOS), child processes
plan the dataset and send their tables, encoded for the database, through pipes; the parent only
writes. The links, renewals and audits (two thirds of the rows) have a child of their own, which
plans the dataset too, so that they are ready when the parent gets to them. The children get their inputs by
forking, not by pickling, and send back plain lists. Each table has its own random stream, so the
rows are the same either way; without fork everything runs here, one table after the other.
"""

import gc
import io
import multiprocessing
import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection as Pipe

from gi_registry.synthetic.bulk import Encoded
from gi_registry.synthetic.generate import TABLE_ORDER, Columns, Generator

Build = Callable[[], Generator]
Encode = Callable[[str, Columns], Encoded]


def _send(sender: Pipe, message: tuple[str, object]) -> None:
    # Pickled without the memo: 3x faster for lists of millions of strings, none of them shared
    # in a way that matters (a repeated string is sent again, not referenced).
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(message)
    sender.send_bytes(buffer.getbuffer())


# Which child generates which tables (each group in TABLE_ORDER): the links, renewals and audits,
# which need the link plan, are the second child's.
GROUPS = (TABLE_ORDER[:-3], TABLE_ORDER[-3:])


def _child(sender: Pipe, build: Build, encode: Encode, tables: tuple[str, ...], sizes: bool) -> None:
    try:
        gc.disable()  # as in the parent: millions of new objects, no cycle among them
        generator = build()
        if sizes:  # from the child that plans the links anyway (the other needs them last)
            _send(sender, ("sizes", generator.table_sizes()))
        for name in tables:
            _send(sender, ("table", encode(name, generator.columns(name))))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            _send(sender, ("error", traceback.format_exc()))
        except OSError:
            pass  # the parent stopped listening (it failed first)
    finally:
        sender.close()


@contextmanager
def generated(build: Build, encode: Encode) -> Iterator[tuple[dict[str, int], Iterator[Encoded]]]:
    """The planned table sizes and the encoded tables in TABLE_ORDER, generated in a child process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        generator = build()
        yield generator.table_sizes(), (encode(name, generator.columns(name)) for name in TABLE_ORDER)
        return
    context = multiprocessing.get_context("fork")
    children = []
    for number, tables in enumerate(GROUPS):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=_child,
            args=(sender, build, encode, tables, number == len(GROUPS) - 1),
            name=f"gi-synth-generate-{number}",
            daemon=True,
        )
        process.start()
        sender.close()
        children.append((receiver, process))
    owner = {name: children[number] for number, tables in enumerate(GROUPS) for name in tables}

    def receive(child: tuple[Pipe, multiprocessing.process.BaseProcess]) -> object:
        receiver, process = child
        try:
            kind, value = pickle.loads(receiver.recv_bytes())
        except EOFError:
            process.join(timeout=5)
            raise RuntimeError(f"the generating process ended early (exit code {process.exitcode})") from None
        if kind == "error":
            raise RuntimeError(f"generating the synthetic rows failed:\n{value}")
        return value

    try:
        sizes = receive(children[-1])
        yield sizes, (receive(owner[name]) for name in TABLE_ORDER)  # type: ignore[misc]
    finally:
        for receiver, _process in children:
            receiver.close()
        for _receiver, process in children:
            process.join(timeout=10)
            if process.is_alive():  # only when the parent gave up early: the child is blocked sending
                process.kill()
                process.join()
