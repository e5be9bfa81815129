"""A recurring problem's occurrences as its events hold them: each a record of its label,
due day, evidence and summary, and the spans it stood ([found_on, resolved_on | None])."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from services.domain.compliance.findings import Occurrence


def records(
    found: Iterable[Occurrence], on: date, found_on: dict[str, str] | None
) -> list[dict[str, Any]]:
    """Occurrences as an event holds them: found on the day, or the day `found_on` gives."""
    return [o.as_record() | {"found_on": (found_on or {}).get(o.label, on.isoformat())}
            for o in found]  # fmt: skip


def found_in(p: Any, found: list[dict[str, Any]]) -> None:
    """Occurrences found: a new one recorded, one resolved before standing again."""
    for o in found:
        record = p.occurrences.setdefault(
            o["label"], {k: v for k, v in o.items() if k != "found_on"} | {"spans": []}
        )
        record["spans"].append([o["found_on"], None])


def occurrences_on(occurrences: list[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    """Of these occurrence records, those standing on the day (ISO), by label."""
    return sorted(
        (o for o in occurrences if any(f <= day and (r is None or r > day) for f, r in o["spans"])),
        key=lambda o: o["label"],
    )
