"""Tables out: .xlsx (the county bureau works in spreadsheets) through openpyxl, CSV with a
byte-order mark so that spreadsheet programs read the Chinese right, and text for a
terminal."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

Table = Sequence[Mapping[str, Any]]


def write_xlsx(path: Path, sheets: Mapping[str, Table]) -> Path:
    """One worksheet per table: a bold header row, frozen, columns sized to their text."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(title=name[:31])  # Excel's limit on a sheet's name
        header = list(rows[0]) if rows else ["(no rows)"]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(row[k]) for k in header])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text typed by people is never a formula
        sheet.freeze_panes = "A2"
        for i, key in enumerate(header, start=1):
            longest = max([display_width(key), *(display_width(str(r[key])) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(longest + 2, 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cell(value: Any) -> Any:
    """A value a worksheet holds: numbers and text as they are, lists as joined text."""
    if isinstance(value, list | tuple | set):
        return " ".join(str(v) for v in value)
    return value


def write_csv(directory: Path, sheets: Mapping[str, Table]) -> list[Path]:
    """One CSV file per table, named after it."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in sheets.items():
        path = directory / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8-sig") as f:
            if rows:
                writer = csv.DictWriter(f, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows({k: _inert(v) for k, v in r.items()} for r in rows)
        written.append(path)
    return written


def _inert(value: Any) -> Any:
    """A text a spreadsheet program would run as a formula (=, +, -, @ first) gets a
    leading apostrophe: summaries, notes and evidence come from people and producers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def display_width(text: str) -> int:
    """Columns a text takes: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(rows: Table, columns: Sequence[str] | None = None, limit: int = 48) -> str:
    """A plain-text table for the terminal (cells cut at `limit` columns)."""
    if not rows:
        return "(none)"
    keys = list(columns or rows[0])
    cells = [[_cut(str(r[k]), limit) for k in keys] for r in rows]
    widths = [
        max(display_width(k), *(display_width(c[i]) for c in cells)) for i, k in enumerate(keys)
    ]
    lines = ["  ".join(_pad(k, w) for k, w in zip(keys, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def _cut(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out, width = "", 0
    for ch in text:
        width += display_width(ch)
        if width > limit - 1:
            break
        out += ch
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))
