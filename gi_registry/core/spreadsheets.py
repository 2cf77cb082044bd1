"""Cells a spreadsheet program cannot take for a formula: one rule for every CSV and XLSX the registry writes.

Text from the registry (a producer's name, a title) can begin with `=`, `+`, `-`, `@`, a tab or a carriage
return; Excel and LibreOffice then evaluate it as a formula when the file is opened (OWASP "CSV
injection"). Text like that is written as text: in CSV behind a single quote, in XLSX as a string cell
with the quote prefix set. Numbers stay numbers, negative ones too: only strings are neutralised.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet program would read this value as the start of a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """The value as a CSV cell: formula-like text behind a single quote, everything else unchanged."""
    return "'" + value if is_formula_like(value) else value  # type: ignore[operator]


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads Chinese), every cell through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def append_row(sheet: Worksheet, row: Sequence[object]) -> None:
    """`sheet.append(row)`, with formula-like text stored as a text cell (never a formula)."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell, Cell) and is_formula_like(cell.value):
            # openpyxl has already typed a leading "=" as a formula ("f"); store it as a string, and
            # set the quote prefix so that editing the cell in Excel keeps it text.
            cell.data_type = "s"
            cell.quotePrefix = True


def set_cell(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """`sheet.cell(row, column, value)`, with formula-like text stored as a text cell (never a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
