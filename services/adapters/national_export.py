"""Reading a national system export (.xlsx) as a stream of rows: a large file straight from
the sheet's XML (services.adapters.xlsx_rows: streamed, its memory flat in the file's size),
a smaller one with python-calamine (Rust, faster, but it holds the whole sheet), openpyxl in
read-only mode (streamed, ten times slower) when calamine is not installed; the header row
found among the first rows (exports put a title above it)."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.adapters.xlsx_rows import xlsx_rows
from services.domain.national.columns import Headers, match_headers

HEADER_SEARCH_ROWS = 10
# calamine holds the whole sheet, some twenty times the file's size (776 MB for a 40 MB
# export): faster than the stream below this size, whose memory stays flat above it
CALAMINE_MAX_BYTES = 10 << 20  # a title, a note of the export's date, then the header


class ExportUnreadable(Exception):
    """The file is not a workbook this reader can open, or has no header row."""


@dataclass(frozen=True, slots=True)
class Export:
    path: Path
    headers: Headers
    header_row: int  # its number in the sheet (1-based)
    total_rows: int | None  # the data rows below the header, when the reader knows
    rows: Iterator[tuple[int, Sequence[Any]]]  # (row number, cells)
    reader: str  # stream | calamine | openpyxl


# The sheets calamine loaded inside `keeping_sheets` (a reading that may start again: the
# file found not grouped), by file: the second reading takes its rows from the first's sheet.
_KEPT: ContextVar[dict[tuple[str, int, int], Any] | None] = ContextVar("kept", default=None)


@contextlib.contextmanager
def keeping_sheets() -> Iterator[None]:
    """While inside, a file calamine loaded is loaded once (its sheet kept for another
    reading of the same file, unchanged); dropped on leaving."""
    token = _KEPT.set({})
    try:
        yield
    finally:
        _KEPT.reset(token)


def _calamine(path: Path) -> tuple[Iterator[Sequence[Any]], int | None] | None:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    kept, stat = _KEPT.get(), path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    sheet = kept.get(key) if kept is not None else None
    if sheet is None:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        if kept is not None:
            kept[key] = sheet
    total = sheet.total_height if hasattr(sheet, "total_height") else None
    return iter(sheet.iter_rows()), total


def _openpyxl(path: Path) -> tuple[Iterator[Sequence[Any]], int | None]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    return sheet.iter_rows(values_only=True), sheet.max_row


def _stream(path: Path) -> tuple[Iterator[Sequence[Any]], int | None]:
    rows = xlsx_rows(str(path))
    first = next(rows, None)  # the workbook opened and its sheet found, or the error now
    return itertools.chain([] if first is None else [first], rows), None


def open_export(path: Path, reader: str = "auto") -> Export:
    """The export's header and its rows, streamed; ExportUnreadable if it has no header.
    `reader`: auto (calamine for a file up to CALAMINE_MAX_BYTES, else stream), stream,
    calamine (else openpyxl, if it is not installed), openpyxl."""
    try:
        opened, name = None, reader
        if reader == "auto":
            small = path.stat().st_size <= CALAMINE_MAX_BYTES
            name = "calamine" if small else "stream"
            opened = _calamine(path) if small else None
            if opened is None:
                opened, name = _stream(path), "stream"
        elif reader == "stream":
            opened = _stream(path)
        elif reader == "calamine":
            opened = _calamine(path)
        if opened is None:
            opened, name = _openpyxl(path), "openpyxl"
    except Exception as e:  # a zip that is not a workbook, a missing sheet…
        raise ExportUnreadable(f"{path.name}: {type(e).__name__}: {e}") from None
    rows, total = opened
    best: tuple[int, Headers] | None = None
    for number in range(1, HEADER_SEARCH_ROWS + 1):
        row = next(rows, None)
        if row is None:
            break
        headers = match_headers(row)
        if "household_id" in headers.index:
            best = (number, headers)
            break
    if best is None:
        raise ExportUnreadable(f"{path.name}: 前{HEADER_SEARCH_ROWS}行中没有含「户编号」的表头行")
    number, headers = best
    data_rows = None if total is None else max(total - number, 0)
    return Export(path, headers, number, data_rows, _numbered(rows, number), name)


def _numbered(
    rows: Iterator[Sequence[Any]], header_row: int
) -> Iterator[tuple[int, Sequence[Any]]]:
    for number, row in enumerate(rows, start=header_row + 1):
        for v in row:  # an empty row is not a record
            if v is not None and v != "":
                yield number, row
                break
