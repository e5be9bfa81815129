"""The campaign's rule of data (R8), and what the engine reads: a finding names its rule,
subject, evidence, due date and who was responsible; the same events and day give the same
findings; what was recorded after the day, or retracted, does not count. Pure."""

from __future__ import annotations

from datetime import date

import pytest
from compliance_history import (
    AS_OF,
    History,
    checks,
    county_findings,
    kept_by_the_book,
    surveyed_village,
)

from services.domain.compliance.params import ComplianceParams


def test_a_household_kept_by_the_book_raises_nothing() -> None:
    h = kept_by_the_book()
    h.assisted()
    assert h.findings(AS_OF) == []


def test_r8_1_components_that_do_not_give_the_per_capita_income_raise() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 9000, members=2, components={"wages": "18002"})
    h.income("2024-11-21", 9000, members=1, components={"wages": "11500"})
    assert checks(h, "R8.1") == ["income_inconsistent", "income_members_mismatch"]


def test_r8_1_a_rounding_of_one_yuan_is_tolerated() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 9000, components={"wages": "9001"})
    assert checks(h, "R8.1") == []


def test_r8_1_no_income_assessment_for_400_days_raises() -> None:
    h = History()
    assert checks(h, "R8.1", "2025-02-05") == []  # due that day
    assert checks(h, "R8.1", "2025-02-06") == ["income_not_current"]


def test_each_finding_names_its_rule_subject_evidence_due_date_and_responsible() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 7299)
    f = h.findings(AS_OF, "R4.2")[0]
    income_event = h.events[-1].event_id
    assert (f.subject_type, f.subject, f.evidence, f.due_on.isoformat()) == (
        "household",
        h.hid,
        (income_event,),
        "2024-12-05",
    )
    assert f.responsible == "village committee 610326101201"
    assert f.township == "610326101"


def test_the_same_events_and_day_give_the_same_findings() -> None:
    households = surveyed_village(10, 3)
    for h in households[:4]:
        h.income("2024-11-20", 7000)
    first = county_findings(households, AS_OF)
    again = county_findings(list(reversed(households)), AS_OF)
    assert first == again and len(first) == 5


def test_what_was_recorded_after_the_day_does_not_count() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 7299)
    h.add(
        "risk_lead_registered",
        "2024-11-25",
        recorded="2025-02-01",
        lead_id="L1",
        channel="cadre_visit",
        risk_types=["illness"],
        reported_on="2024-11-25",
    )
    assert checks(h, "R4.2", "2025-01-31") == ["eligible_not_identified"]
    assert checks(h, "R4.2", "2025-02-01") == []


def test_a_retracted_event_no_longer_raises() -> None:
    h = kept_by_the_book()
    wrong = h.income("2024-11-20", 7299)
    assert checks(h, "R4.2") == ["eligible_not_identified"]
    h.add("event_retracted", "2024-11-21", target_event_id=wrong, reason="typo")
    assert checks(h, "R4.2") == []


@pytest.mark.parametrize("change", [{"checks_from": date(2025, 1, 1)}])
def test_lapses_before_the_campaign_period_are_not_raised(change: dict[str, object]) -> None:
    h = History()
    params = ComplianceParams().model_copy(update=change)
    assert [f.rule_id for f in h.findings("2024-12-31", params=params)] == []
