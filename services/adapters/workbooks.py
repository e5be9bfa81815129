"""Workbooks as the county bureau keeps them (openpyxl): a title row (county, township, as-of
day), a frozen header with an autofilter, 序号, typed cells — dates as dates (yyyy-mm-dd),
shares as numbers in a % format, counts as numbers, text never a formula — columns sized
to their text, and A4 landscape pages one page wide with the header on every page. The same
sheets as CSV: one file per sheet, Chinese headers, UTF-8 with a byte-order mark."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from services.adapters.exports import display_width, inert

Kind = Literal["text", "int", "number", "date", "percent"]
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
TITLE_ROW, HEADER_ROW = 1, 2
LINE_HEIGHT = 16  # points: a line of 11-point text
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FORBIDDEN_IN_NAMES = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = "text"
    max_width: int = 40  # characters of a Chinese-wide column; longer text wraps


@dataclass(frozen=True, slots=True)
class Sheet:
    """One ledger or table: its sheet name, the title above it, its columns and rows (the
    values in column order, without 序号: it is numbered when written)."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    seq_header: str = "序号"


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """One worksheet per sheet, in order."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        _write_sheet(book.create_sheet(title=sheet_name(sheet.name)), sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def sheet_name(name: str) -> str:
    """A name Excel accepts: at most 31 characters, none of []:*?/\\."""
    return name.translate(_FORBIDDEN_IN_NAMES)[:31]


def _write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    columns = [Column(sheet.seq_header, "int", 6), *sheet.columns]
    last = get_column_letter(len(columns))
    ws.cell(TITLE_ROW, 1, sheet.title).font = Font(bold=True, size=14)
    ws.cell(TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 28
    rows = [
        [typed(c.kind, v) for c, v in zip(columns, (n, *values), strict=True)]
        for n, values in enumerate(sheet.rows, start=1)
    ]
    widths = [
        min(max([display_width(c.header), *(_width(c, r[i]) for r in rows)]) + 2, c.max_width)
        for i, c in enumerate(columns)
    ]
    widths = [max(w, 6) for w in widths]
    for i, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        cell = ws.cell(HEADER_ROW, i, column.header)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(
        _lines(c.header, w) for c, w in zip(columns, widths, strict=True)
    )
    for n, values in enumerate(rows, start=1):
        r, lines = HEADER_ROW + n, 1
        for i, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(r, i)
            _put(cell, column, value)
            cell.border = _BORDER
            wraps = isinstance(value, str) and _lines(value, widths[i - 1]) > 1
            cell.alignment = Alignment(wrap_text=wraps, vertical="top")
            if wraps:
                lines = max(lines, _lines(value, widths[i - 1]))
        if lines > 1:  # spreadsheet programs do not grow a row for wrapped text on opening
            ws.row_dimensions[r].height = LINE_HEIGHT * lines
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(HEADER_ROW, ws.max_row)}"
    _print_setup(ws)


def _lines(text: str, width: float) -> int:
    """How many lines a text takes in a column of `width` characters (a Chinese one is 2)."""
    room = max(int(width) - 2, 1)
    return sum(max(1, -(-display_width(part) // room)) for part in text.splitlines() or [""])


def _put(cell: Any, column: Column, value: Any) -> None:
    cell.value = value
    if column.kind == "date" and value is not None:
        cell.number_format = DATE_FORMAT
    elif column.kind == "percent" and value is not None:
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, str):
        cell.data_type = "s"  # text typed by people is never a formula


def typed(kind: Kind, value: Any) -> Any:
    """The cell value of its column's kind: a day, a share, a count, or text."""
    if value is None or value == "":
        return None
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if kind == "percent":
        return float(value)
    if kind == "int":
        return int(value)
    if kind == "number":
        return float(value) if not isinstance(value, int) else value
    if isinstance(value, list | tuple | set):
        return " ".join(str(v) for v in value)
    return str(value)


def _width(column: Column, value: Any) -> int:
    if value is None:
        return 0
    if column.kind == "date":
        return 10
    if column.kind == "percent":
        return 6
    return max(display_width(line) for line in str(value).splitlines() or [""])


def _print_setup(ws: Worksheet) -> None:
    """A4 landscape, one page wide (as many pages long as it takes), the title and header
    repeated on every page, the page number in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_csvs(directory: Path, sheets: Sequence[Sheet]) -> list[Path]:
    """One CSV per sheet, named after it: the header row (序号 first), then the rows; days
    as yyyy-mm-dd, shares as 95.3%, and text that a spreadsheet would run as a formula
    defused."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in sheets:
        path = directory / f"{sheet_name(sheet.name)}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            writer = csv.writer(f)
            writer.writerow([sheet.seq_header, *(c.header for c in sheet.columns)])
            for n, values in enumerate(sheet.rows, start=1):
                writer.writerow(
                    [n, *(_csv(c, v) for c, v in zip(sheet.columns, values, strict=True))]
                )
        written.append(path)
    return written


def _csv(column: Column, value: Any) -> Any:
    value = typed(column.kind, value)
    if value is None:
        return ""
    if column.kind == "date":
        return value.isoformat()
    if column.kind == "percent":
        return f"{value:.1%}"
    return inert(value)
