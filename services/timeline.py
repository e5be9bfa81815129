"""A household's state on a date, two ways (bitemporal): as it was in the world on that day
(by when things happened), and as the system knew it on that day (by when they were
recorded). Pure: it folds the household's events with the household_state projection's
own handlers, so the answer for today equals the live projection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from projections.household_state import Row, evolve, new_row
from services.domain.corrections import corrections, recorded_by


def _day(timestamp: str) -> date:
    return date.fromisoformat(timestamp[:10])


def state_on(
    events: Sequence[Any], *, occurred_on: date | None = None, known_on: date | None = None
) -> Row | None:
    """The household_state row from `events` (domain events, in store order).

    known_on: only what had been recorded by that day counts, corrections included.
    occurred_on: only what had happened by that day counts, in the order it happened.
    """
    known = recorded_by(events, known_on)
    retracted, amended = corrections(known)
    chosen = [
        e
        for e in known
        if e.event_id not in retracted
        and (occurred_on is None or _day(e.occurred_at) <= occurred_on)
    ]
    if not chosen or chosen[0].event_type != "household_registered":
        return None
    if occurred_on is not None:  # the world's order; registration stays first
        chosen = [
            chosen[0],
            *sorted(chosen[1:], key=lambda e: (e.occurred_at, e.originator_version)),
        ]
    row = new_row(chosen[0].household_id)
    for e in chosen:
        evolve(row, type(e).__name__, amended.get(e.event_id, e.facts))
        row.update(
            version=e.originator_version,
            last_event_type=e.event_type,
            last_occurred_at=e.occurred_at,
        )
    return row
