"""The monitoring line (监测范围, yuan per person per year), per jurisdiction and effective date.

A jurisdiction is a region-code prefix: "61" a province, "610326" a county. For a household,
the most specific jurisdiction whose line is in force on the day wins. Every decision and
check records the line it used (`MonitoringLine.as_record`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class MonitoringLine:
    jurisdiction: str
    year: int
    yuan: Decimal
    effective_from: date
    source: str

    def as_record(self) -> dict[str, Any]:
        return {
            "jurisdiction": self.jurisdiction,
            "year": self.year,
            "yuan": str(self.yuan),
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
        }


# The seed: a county of Shaanxi (陕, region code 61), 2024 work plan, 7,300 yuan.
DEFAULT_LINES = (
    MonitoringLine("61", 2024, Decimal("7300"), date(2024, 1, 1), "seed work plan, 2024"),
)


class MonitoringLines:
    """Look up the line in force for a region on a day."""

    def __init__(self, lines: tuple[MonitoringLine, ...] = DEFAULT_LINES) -> None:
        self.lines = lines

    def line_for(self, region_code: str, on: date) -> MonitoringLine | None:
        candidates = [
            x
            for x in self.lines
            if region_code.startswith(x.jurisdiction) and x.effective_from <= on
        ]
        if not candidates:
            return None
        longest = max(len(x.jurisdiction) for x in candidates)
        return max(
            (x for x in candidates if len(x.jurisdiction) == longest),
            key=lambda x: x.effective_from,
        )

    @classmethod
    def from_file(cls, path: Path) -> MonitoringLines:
        """Lines from a JSON list of {jurisdiction, year, yuan, effective_from, source}."""
        rows = json.loads(path.read_text())
        return cls(
            tuple(
                MonitoringLine(
                    r["jurisdiction"],
                    int(r["year"]),
                    Decimal(str(r["yuan"])),
                    date.fromisoformat(r["effective_from"]),
                    r.get("source", str(path)),
                )
                for r in rows
            )
        )
