"""A household's history as known on a day: the events recorded by then, which of them
later events retracted, and the payloads amendments put in their place. The as-of views
(services.domain.timeline) and the compliance engine read corrections the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

CORRECTIONS = ("event_retracted", "event_amended")

E = TypeVar("E")


def recorded_by(events: Sequence[E], day: date | None) -> list[E]:
    """The events recorded on or before the day (all of them for None)."""
    if day is None:
        return list(events)
    last = day.isoformat()
    return [e for e in events if e.recorded_at[:10] <= last]  # type: ignore[attr-defined]


def corrections(events: Sequence[Any]) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """(ids of the retracted events, id → amended payload) that the events declare."""
    retracted = {e.facts["target_event_id"] for e in events if e.event_type == "event_retracted"}
    amended = {
        e.facts["target_event_id"]: e.facts["amended_payload"]
        for e in events
        if e.event_type == "event_amended"
    }
    return retracted, amended
