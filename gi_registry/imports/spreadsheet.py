"""Reading a CSV (UTF-8, with or without BOM) or XLSX sheet into rows keyed by the header."""

import csv
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX table the importer can read."""


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns codes such as 430626 into numbers
    text = str(value).strip()
    return text or None


def read_rows(name: str, content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str | None]]]]:
    """The header and the non-empty rows, each with its spreadsheet row number (the header is row 1)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile("The CSV file is not UTF-8; save it as 'CSV UTF-8' and try again.") from None
        try:
            table = list(csv.reader(io.StringIO(text)))
        except csv.Error as exc:
            raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from None
    elif suffix == ".xlsx":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile("The XLSX file cannot be opened; is it an Excel workbook?") from None
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        raise UnreadableFile(f"'{name}' is neither .csv nor .xlsx.")
    if not table:
        raise UnreadableFile("The file is empty: the first row must hold the column names.")
    header = [(_text(c) or "").lower() for c in table[0]]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            header[i]: _text(cells[i]) if i < len(cells) else None for i in range(len(header)) if header[i]
        }
        if any(v is not None for v in values.values()):
            rows.append((number, values))
    return header, rows


def write_template(columns: list[str], path: Path) -> None:
    """An empty template with the expected columns, as CSV (with BOM) or XLSX by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        workbook = Workbook()
        workbook.active.append(columns)
        workbook.save(path)
    else:
        path.write_text(",".join(columns) + "\n", encoding="utf-8-sig")
