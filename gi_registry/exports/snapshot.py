"""A dated snapshot of every public table in every format, with a data dictionary and SHA-256 sums."""

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session

from gi_registry.exports import tables
from gi_registry.exports.dictionary import DATA_TERMS, describe
from gi_registry.exports.writers import ExportFormat, columns, write
from gi_registry.layers.collections import EXPORTED


def dictionary_markdown(tables: dict[str, list[dict]]) -> str:
    """A data dictionary of the columns actually exported."""
    lines = ["# Data dictionary", ""]
    for name, features in tables.items():
        lines += [f"## {name}", "", "| column | meaning |", "|---|---|"]
        for column in ["id", *columns(features, name), *(["geometry"] if EXPORTED[name].spatial else [])]:
            lines.append(f"| {column} | {describe(name, column) or ''} |")
        lines.append("")
    return "\n".join(lines)


def write_snapshot(
    session: Session,
    out: Path,
    formats: list[ExportFormat],
    *,
    today: date,
    on_file: Callable[[str], None] | None = None,
) -> Path:
    """Write `gi-registry-export-<date>/` under `out` and return it."""
    folder = out / f"gi-registry-export-{today.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    built = {name: tables.features(session, found) for name, found in EXPORTED.items()}
    written: list[Path] = []
    for name, features in built.items():
        for fmt in (f for f in formats if f.value in EXPORTED[name].export_formats):
            path = folder / f"{name}.{fmt.value}"
            path.write_bytes(write(features, name, EXPORTED[name].spatial, fmt))
            written.append(path)
            if on_file:
                on_file(path.name)
    for filename, text in (("DATA_DICTIONARY.md", dictionary_markdown(built)), ("DATA_TERMS.md", DATA_TERMS)):
        (folder / filename).write_text(text, encoding="utf-8")
        written.append(folder / filename)
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in sorted(written)]
    (folder / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    return folder
