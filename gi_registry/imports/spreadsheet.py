"""Reading a CSV (UTF-8, with or without BOM) or XLSX sheet into rows keyed by the header.

Both readers are bounded by what the file really holds, counted while reading: rows (blank ones too),
columns, cells and characters. An XLSX's declared dimension (`A1:XFD16000` in a 4.8 KB file) is ignored,
its zip members are inflated once with a counter of the real bytes before openpyxl opens them, and any
failure of the XML inside (a DTD, an entity openpyxl's parser refuses) is "unreadable", never a crash.
gi_registry.imports.service runs this in a child process with memory and time limits as well.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from openpyxl import Workbook, load_workbook

MAX_ROWS = 20_000  # rows with a value; an import is checked and written row by row
MAX_LINES = 100_000  # rows read, blank ones included
MAX_COLUMNS = 50  # the templates have at most 17
MAX_CELLS = 500_000
MAX_CELL_CHARS = 10_000
MAX_LINE_CHARS = 200_000
MAX_XLSX_MEMBERS = 1_000
MAX_XLSX_UNPACKED = 100 * 1024 * 1024
_CHUNK = 1 << 16


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX table the importer can read."""


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns codes such as 430626 into numbers
    text = str(value).strip()
    return text or None


class _Budget:
    """Counts rows, lines and cells as they are read and refuses the file at the first limit passed."""

    def __init__(self) -> None:
        self.lines = self.rows = self.cells = 0

    def take(self, cells: list) -> list:
        self.lines += 1
        if self.lines > MAX_LINES:
            raise UnreadableFile(
                f"The file has more than {MAX_LINES:,} rows (blank ones counted); at most {MAX_ROWS:,} rows "
                f"with values are read. 文件超过{MAX_LINES:,}行（含空行）。"
            )
        if len(cells) > MAX_COLUMNS:
            if any(c is not None and c != "" for c in cells[MAX_COLUMNS:]):
                raise UnreadableFile(
                    f"Row {self.lines} has values beyond column {MAX_COLUMNS}; at most {MAX_COLUMNS} columns "
                    f"are read (the templates have fewer than 20). 第{self.lines}行超过{MAX_COLUMNS}列。"
                )
            cells = cells[:MAX_COLUMNS]
        filled = sum(1 for c in cells if c is not None and c != "")
        if filled:
            self.rows += 1
            self.cells += filled
        if self.rows > MAX_ROWS + 1 or self.cells > MAX_CELLS:  # + 1: the header
            raise UnreadableFile(
                f"The file has more than {MAX_ROWS:,} rows or {MAX_CELLS:,} cells; split it into several "
                f"files. 文件超过{MAX_ROWS:,}行或{MAX_CELLS:,}个单元格，请分成几个文件。"
            )
        if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
            raise UnreadableFile(
                f"Row {self.lines} has a cell longer than {MAX_CELL_CHARS:,} characters. "
                f"第{self.lines}行有单元格超过{MAX_CELL_CHARS:,}个字符。"
            )
        return cells


def _lines(content: bytes) -> Iterator[str]:
    # Decoded line by line: a whole-file str (and StringIO's 4-byte characters) would cost ~5× the file.
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    for number, line in enumerate(stream, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise UnreadableFile(
                f"Line {number} of the CSV file is longer than {MAX_LINE_CHARS:,} characters."
            )
        yield line


def _csv_table(content: bytes, budget: _Budget) -> Iterable[list]:
    try:
        for cells in csv.reader(_lines(content)):
            yield budget.take(cells)
    except UnicodeDecodeError:
        raise UnreadableFile("The CSV file is not UTF-8; save it as 'CSV UTF-8' and try again.") from None
    except csv.Error as exc:
        raise UnreadableFile(f"The CSV file cannot be read: {exc}.") from None


def _check_xlsx_archive(content: bytes) -> None:
    """Inflate every member once, counting real bytes: openpyxl reads shared strings whole, in memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise UnreadableFile(f"The XLSX file holds {len(members):,} parts; a workbook has a few dozen.")
        total = 0
        for member in members:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_XLSX_UNPACKED:
                        raise UnreadableFile(
                            f"The XLSX file unpacks to more than {MAX_XLSX_UNPACKED // 2**20} MB (counted "
                            "while unpacking); split it into several files. 文件解压后过大。"
                        )
    except UnreadableFile:
        raise
    except Exception:  # a damaged, encrypted or oddly compressed zip: openpyxl could not read it either
        raise UnreadableFile("The XLSX file cannot be opened; is it an Excel workbook?") from None


def _xlsx_table(content: bytes, budget: _Budget) -> tuple[Iterable[list], int]:
    _check_xlsx_archive(content)
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        declared = min(sheet.max_column or 0, MAX_COLUMNS)
        sheet.reset_dimensions()  # the declared size pads every row: ignore it, read the real cells
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile("The XLSX file cannot be opened; is it an Excel workbook?") from None

    def rows() -> Iterator[list]:
        try:
            # One column more than allowed tells "too wide" without padding rows to the declared width.
            for cells in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
                row = list(cells)
                while row and row[-1] is None:
                    row.pop()
                yield budget.take(row)
        except UnreadableFile:
            raise
        except Exception:  # the sheet's XML failed while streaming (a DTD, an undefined entity, damage)
            raise UnreadableFile(
                "The XLSX file's worksheet cannot be read (damaged, or it declares a DTD or entities, which "
                "the registry does not read); save it again from Excel or WPS. 工作表无法读取。"
            ) from None

    return rows(), declared


def read_rows(name: str, content: bytes) -> tuple[list[str], list[tuple[int, dict[str, str | None]]]]:
    """The header and the non-empty rows, each with its spreadsheet row number (the header is row 1)."""
    suffix = Path(name).suffix.lower()
    budget = _Budget()
    declared = 0
    if suffix == ".csv":
        table: Iterable[list] = _csv_table(content, budget)
    elif suffix == ".xlsx":
        table, declared = _xlsx_table(content, budget)
    else:
        raise UnreadableFile(f"'{name}' is neither .csv nor .xlsx.")
    header: list[str] | None = None
    rows = []
    for number, cells in enumerate(table, start=1):
        if header is None:
            header = [(_text(c) or "").lower() for c in cells]
            continue
        values = {
            header[i]: _text(cells[i]) if i < len(cells) else None for i in range(len(header)) if header[i]
        }
        if any(v is not None for v in values.values()):
            rows.append((number, values))
        declared = max(declared, len(cells))
    if header is None:
        raise UnreadableFile("The file is empty: the first row must hold the column names.")
    # Rows come padded to the widest real row (at most MAX_COLUMNS), as a spreadsheet shows them.
    header += [""] * (declared - len(header))
    return header, rows


def write_template(columns: list[str], path: Path) -> None:
    """An empty template with the expected columns, as CSV (with BOM) or XLSX by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        workbook = Workbook()
        workbook.active.append(columns)
        workbook.save(path)
    else:
        path.write_text(",".join(columns) + "\n", encoding="utf-8-sig")
