"""Two years of a county's events, month by month, following the lifecycle at realistic
rates, with violations of the campaign's rules planted at a given rate and written down.

Every event is valid for the contract and the Household aggregate: what is planted is late,
missing or irregular — what the compliance engine must find — never impossible.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

from services.devtools.simulate.county import County
from services.devtools.simulate.heuristics import perfunctory_visits
from services.devtools.simulate.plan import MONTHS, Plan
from services.devtools.simulate.routine import (
    _month_of,
    _register_relative,
    _surveys,
    identified_without_cause,
)
from services.domain.compliance.findings import AREAS, RULES

# The rules a simulation plants: every rule of the seed's areas, and favoritism's F1.*.
PLANTABLE = [rule for rule, (area, _) in RULES.items() if area in AREAS or area == "favoritism"]


def generate(
    county: County, seed: int, rate: float, truth: list[dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(household id, envelope) in time order, month by month; what was planted is appended
    to `truth` as it is generated."""
    plan = Plan(random.Random(seed + 1), rate, seed, truth=truth)
    relatives = {r["household_id"]: r for r in county.relatives}
    for month in range(MONTHS):
        batch: list[tuple[date, int, str, dict[str, Any]]] = []

        def emit(
            hid: str,
            day: date,
            event_type: str,
            payload: dict[str, Any],
            by: dict[str, Any],
            late_days: int = 0,
            batch: list[tuple[date, int, str, dict[str, Any]]] = batch,
        ) -> None:
            env = plan.envelope(event_type, hid, day, payload, by, late_days)
            batch.append((day, plan.counter, hid, env))

        for h in county.households:
            _month_of(county, plan, h, month, emit)
            if month == 0 and h.household_id in relatives:
                _register_relative(h, relatives[h.household_id], emit)
        if month in (9, 21):
            _surveys(county, plan, month, emit)
        identified_without_cause(county, plan, month, emit)
        perfunctory_visits(county, plan, month, emit)
        batch.sort(key=lambda x: (x[0], x[1]))
        for _, _, hid, env in batch:
            yield hid, env
