"""A household's history as known on a day: the events the system had by then, which of them
later events retracted, and the payloads amendments put in their place. The as-of views
(services.domain.timeline) and the compliance engine read corrections the same way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TypeVar

from services.domain.clock import known_on

CORRECTIONS = ("event_retracted", "event_amended")

E = TypeVar("E")


def recorded_by(events: Sequence[E], day: date | None) -> list[E]:
    """The events the system knew of on the day (all of them for None): received by then,
    by the intake's own clock (a declared historical import: recorded by then)."""
    if day is None:
        return list(events)
    return [e for e in events if known_on(e) <= day]


def corrections(events: Sequence[Any]) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """(ids of the retracted events, id → amended payload) that the events declare."""
    retracted = {e.facts["target_event_id"] for e in events if e.event_type == "event_retracted"}
    amended = {
        e.facts["target_event_id"]: e.facts["amended_payload"]
        for e in events
        if e.event_type == "event_amended"
    }
    return retracted, amended
