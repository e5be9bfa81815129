"""Identification: a lead opens a case whose every step is recorded; the village review,
the public notice and its objections, the township review; the county's decision makes the
household monitored, or dismisses the lead."""

from __future__ import annotations

from household_steps import do, identified, last_event, noticed, registered

from services.domain import events as ev
from services.domain.household import MONITORED, NOT_MONITORED, Household
from services.domain.rules import LifecycleRules


def test_a_lead_opens_an_identification_case_that_records_each_step() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    assert h.cases["L1"]["kind"] == "identification"
    assert h.cases["L1"]["opened_on"] == "2025-03-24"
    do(h, "household_consent_signed")
    do(h, "data_comparison_requested")
    do(h, "data_comparison_returned")
    do(h, "village_review_held", outcome="returned")
    do(h, "public_notice_posted")
    case = h.cases["L1"]
    assert case["consent"] is True and case["village_review"] == "returned"
    assert case["notice"] == {
        "notice_id": "N1",
        "posted_on": "2025-03-27",
        "closed_on": None,
        "open_objections": [],
    }
    do(h, "objection_raised")
    assert h.cases["L1"]["notice"]["open_objections"] == ["O1"]
    do(h, "objection_resolved")
    assert h.cases["L1"]["notice"]["open_objections"] == []
    do(h, "public_notice_closed")
    assert h.cases["L1"]["notice"]["closed_on"] == "2025-04-02"
    do(h, "township_review_done")
    assert h.cases["L1"]["township_review"] == "approved"
    assert h.monitoring_status == NOT_MONITORED


def test_the_county_identification_makes_the_household_monitored_and_closes_the_case() -> None:
    h = identified(registered())
    assert h.monitoring_status == MONITORED
    assert h.category == "sudden_hardship" and h.risks == ["illness"]
    assert h.ever_identified and h.identified_on == "2025-04-07"
    assert h.cases == {}
    assert type(last_event(h)) is ev.Identified
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"


def _irregular(h: Household) -> list[str]:
    return [i["code"] for i in last_event(h).facts.get("irregularities", [])]


def test_the_minimum_notice_days_are_configuration() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    noticed(h, "L1", "identification", "N1", "2025-03-27", "2025-03-30")
    do(h, "identification_decided", LifecycleRules(min_notice_days=3))
    assert h.monitoring_status == MONITORED
    assert _irregular(h) == []
    six_days = identified_but_undecided()
    do(six_days, "identification_decided", LifecycleRules(min_notice_days=7))
    assert _irregular(six_days) == ["NOTICE_TOO_SHORT"]


def test_a_decision_after_too_short_a_notice_happened_and_is_recorded_as_irregular() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    noticed(h, "L1", "identification", "N1", "2025-03-27", "2025-03-31")  # four days
    do(h, "identification_decided")
    assert h.monitoring_status == MONITORED
    assert _irregular(h) == ["NOTICE_TOO_SHORT"]
    assert "4 days" in last_event(h).facts["irregularities"][0]["detail"]


def identified_but_undecided(closed_on: str = "2025-04-02") -> Household:
    h = registered()
    do(h, "risk_lead_registered")
    noticed(h, "L1", "identification", "N1", "2025-03-27", closed_on)
    return h


def test_a_notice_of_exactly_the_minimum_days_is_enough() -> None:
    h = identified_but_undecided(closed_on="2025-04-01")  # five days
    do(h, "identification_decided")
    assert h.monitoring_status == MONITORED


def test_the_county_may_decide_without_a_township_review_left_to_compliance() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    do(h, "public_notice_posted")
    do(h, "public_notice_closed")
    do(h, "identification_decided")
    assert h.monitoring_status == MONITORED


def test_a_decision_with_an_objection_still_open_is_recorded_as_irregular() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    noticed(h, "L1", "identification", "N1", "2025-03-27", None)
    do(h, "objection_raised")
    do(h, "public_notice_closed")
    resolved = registered()
    do(resolved, "risk_lead_registered")
    noticed(resolved, "L1", "identification", "N1", "2025-03-27", None)
    do(resolved, "objection_raised")
    do(resolved, "public_notice_closed")
    do(resolved, "objection_resolved", resolved_on="2025-04-05")
    do(resolved, "identification_decided")
    assert _irregular(resolved) == []
    do(h, "identification_decided")
    assert h.monitoring_status == MONITORED
    assert _irregular(h) == ["OBJECTION_OPEN"]


def test_a_dismissed_lead_closes_its_case_without_a_notice_and_leaves_the_status() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    do(
        h,
        "identification_decided",
        outcome="dismissed",
        category=None,
        risks=[],
        dismissal_reason="income 11,200 yuan, above the line",
    )
    assert h.cases == {} and h.monitoring_status == NOT_MONITORED and not h.ever_identified
    assert type(last_event(h)) is ev.LeadDismissed
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"
    do(h, "risk_lead_registered", lead_id="L2")
    assert set(h.cases) == {"L2"}


def test_a_lead_of_a_monitored_household_can_be_dismissed() -> None:
    h = identified(registered())
    do(h, "risk_lead_registered", lead_id="L2")
    do(
        h,
        "identification_decided",
        lead_id="L2",
        outcome="dismissed",
        category=None,
        risks=[],
        dismissal_reason="the same risk is already monitored",
    )
    assert h.monitoring_status == MONITORED and h.cases == {}


def test_the_national_system_entry_is_recorded_after_identification() -> None:
    h = identified(registered())
    do(h, "national_system_entry_recorded")
    assert type(last_event(h)) is ev.NationalSystemEntryRecorded
