"""Assistance: plans and measures for an identified household, verified and ended, going
on after the risk is eliminated."""

from __future__ import annotations

from household_steps import do, eliminated, identified, registered


def test_plans_and_measures_are_recorded_for_an_identified_household() -> None:
    h = identified(registered())
    do(h, "assistance_plan_adopted")
    do(h, "assistance_plan_adopted", plan_id="PL-2")
    assert h.plans == 2
    do(h, "assistance_measure_started")
    assert h.measures["M1"] == {
        "measure_type": "medical_aid",
        "started_on": "2025-04-12",
        "verified": False,
        "ended_on": None,
    }
    do(h, "assistance_measure_verified")
    assert h.measures["M1"]["verified"] is True
    do(h, "assistance_measure_ended")
    assert h.measures["M1"]["ended_on"] == "2025-10-01"


def test_a_measure_that_ended_can_still_be_verified_afterwards() -> None:
    h = identified(registered())
    do(h, "assistance_measure_started")
    do(h, "assistance_measure_ended")
    do(h, "assistance_measure_verified")
    assert h.measures["M1"]["verified"] is True


def test_assistance_goes_on_after_the_risk_is_eliminated() -> None:
    h = eliminated(identified(registered()))
    do(h, "assistance_measure_started", measure_id="M9")
    assert "M9" in h.measures
