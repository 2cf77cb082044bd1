"""Generate in a second process while this one writes: table n+1 is built and encoded as n is written.

Generating and encoding is Python and numpy work, writing is the database driver's; in one process
they share one core (and the GIL). Where processes can be forked (Linux, macOS), a child process
plans the dataset and sends each table, encoded for the database, through a pipe; the parent only
writes. The child gets its inputs by forking, not by pickling, and sends back plain lists. Each
table has its own random stream, so the rows are the same either way; without fork everything runs
here, one table after the other.
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


def _child(sender: Pipe, build: Build, encode: Encode) -> None:
    try:
        gc.disable()  # as in the parent: millions of new objects, no cycle among them
        generator = build()
        _send(sender, ("sizes", generator.table_sizes()))
        for name in TABLE_ORDER:
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
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, build, encode), name="gi-synth-generate", daemon=True
    )
    process.start()
    sender.close()

    def receive() -> object:
        try:
            kind, value = pickle.loads(receiver.recv_bytes())
        except EOFError:
            process.join(timeout=5)
            raise RuntimeError(f"the generating process ended early (exit code {process.exitcode})") from None
        if kind == "error":
            raise RuntimeError(f"generating the synthetic rows failed:\n{value}")
        return value

    try:
        sizes = receive()
        yield sizes, (receive() for _ in TABLE_ORDER)  # type: ignore[misc]
    finally:
        receiver.close()
        process.join(timeout=10)
        if process.is_alive():  # only when the parent gave up early: the child is blocked sending
            process.kill()
            process.join()
