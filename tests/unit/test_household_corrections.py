"""Corrections: a recorded fact retracted or amended by its source, or by the county."""

from __future__ import annotations

import pytest
from builders import decide_raw, facts, meta
from household_steps import RULES, correction, do, last_event, registered

from services.domain import events as ev
from services.domain.registry import CORRECTABLE


@pytest.mark.parametrize("target", sorted(CORRECTABLE))
def test_a_recorded_fact_can_be_retracted_or_amended(target: str) -> None:
    h = registered()
    do(h, "event_retracted", extra=correction(target))
    assert type(last_event(h)) is ev.EventRetracted
    do(h, "event_amended", extra=correction(target))
    assert type(last_event(h)) is ev.EventAmended
    assert h.corrections == 2


def test_the_county_may_correct_a_fact_another_system_recorded() -> None:
    h = registered()
    m = meta("event_amended") | {"source_system": "county_system"}
    decide_raw(h, m, facts("event_amended") | correction("visit_recorded", "village_app"), RULES)
    assert h.corrections == 1
