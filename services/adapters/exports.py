"""Tables for a terminal, and what every export shares: how wide a text is, and text that a
spreadsheet would run as a formula defused. The workbooks themselves: adapters.workbooks."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

Table = Sequence[Mapping[str, Any]]


def inert(value: Any) -> Any:
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
