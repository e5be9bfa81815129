"""Evaluation as of a day, on a whole simulated county: deterministic, blind to what was
recorded later, indifferent to the order households come in."""

from __future__ import annotations

import random
from datetime import date
from functools import cache

import pytest
from compliance_history import recorded_households

from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import generate
from services.domain.compliance.engine import evaluate
from services.domain.compliance.facts import RecordedEvent
from services.domain.compliance.params import ComplianceParams


@cache
def county() -> tuple[tuple[RecordedEvent, ...], ...]:
    """The small county's households, each its events as the store would hold them."""
    return recorded_households(generate(build_county("small", 3), 3, 0.1, []))


@pytest.mark.parametrize("day", [date(2024, 6, 30), date(2025, 1, 1), date(2025, 9, 15)])
def test_what_was_recorded_after_the_day_changes_nothing_of_the_day(day: date) -> None:
    known = [[e for e in h if e.recorded_at[:10] <= day.isoformat()] for h in county()]
    everything = evaluate(county(), day, ComplianceParams())
    assert everything.findings == evaluate(known, day, ComplianceParams()).findings
    assert everything.findings  # a county with planted lapses has some on every day


def test_the_order_of_the_households_does_not_matter() -> None:
    day = date(2025, 12, 31)
    shuffled = list(county())
    random.Random(7).shuffle(shuffled)
    first = evaluate(county(), day, ComplianceParams())
    again = evaluate(shuffled, day, ComplianceParams())
    assert first.findings == again.findings and first.coverage == again.coverage


def test_with_the_same_knowledge_a_later_day_keeps_every_lapse_of_history() -> None:
    # (a record back-filled later can resolve a lapse: a visit of December recorded in
    # January; so the knowledge is fixed at the earlier day)
    day = "2025-01-01"
    known = [[e for e in h if e.recorded_at[:10] <= day] for h in county()]
    earlier = evaluate(known, date.fromisoformat(day), ComplianceParams()).findings
    later = {f.key for f in evaluate(known, date(2025, 12, 31), ComplianceParams()).findings}
    historic = [f.key for f in earlier if not f.ongoing]
    assert historic and [k for k in historic if k not in later] == []


def test_shares_evaluated_apart_and_merged_give_the_same_evaluation() -> None:
    from services.domain.compliance.engine import conclude, evaluate_share

    day, params = date(2025, 12, 31), ComplianceParams(identical_notes_min_chars=5)
    households = list(county())
    whole = evaluate(households, day, params)
    shares = [households[i::3] for i in range(3)]
    merged = evaluate_share(shares[2], day, params)
    for share in shares[:2]:
        merged.merge(evaluate_share(share, day, params))
    apart = conclude(merged, day)
    assert apart == whole
    # the county-wide checks saw the merged tallies: the copied routine notes (5+ characters)
    assert any(f.check == "identical_notes" for f in whole.findings)
