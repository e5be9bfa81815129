"""The campaign's rules of publicity (R1) and visits (R2): for each, a scenario that must
raise it and a near miss that must not. Pure: histories in memory, no I/O."""

from __future__ import annotations

from compliance_history import (
    AS_OF,
    History,
    checks,
    county_findings,
    kept_by_the_book,
    surveyed_village,
)


def test_r1_1_no_application_leaflet_raises_after_30_days() -> None:
    h = History()
    assert checks(h, "R1.1", "2024-01-31") == []  # not yet due: near miss
    assert checks(h, "R1.1", "2024-02-02") == ["application_leaflet_missing"]


def test_r1_1_leaflet_on_the_last_allowed_day_is_in_time() -> None:
    h = History()
    h.leaflet("application_policy", "2024-01-31")
    assert checks(h, "R1.1") == []


def test_r1_2_monitored_without_assistance_leaflet_raises() -> None:
    h = kept_by_the_book()
    h.identified()
    h.plan("2024-03-15")
    assert checks(h, "R1.2") == ["assistance_leaflet_missing"]
    assert h.findings(AS_OF, "R1.2")[0].due_on.isoformat() == "2024-04-11"


def test_r1_2_a_household_never_monitored_needs_no_assistance_leaflet() -> None:
    assert checks(kept_by_the_book(), "R1.2") == []


def test_r1_3_awareness_of_18_in_20_raises_for_the_village() -> None:
    found = county_findings(surveyed_village(18, 2), AS_OF, "R1.3")
    assert [(f.subject_type, f.subject) for f in found] == [("village", "610326101201")]
    assert len(found[0].evidence) == 2  # the unaware households' answers


def test_r1_3_awareness_of_19_in_20_is_exactly_95_percent_and_enough() -> None:
    assert county_findings(surveyed_village(19, 1), AS_OF, "R1.3") == []


def test_r1_3_every_survey_round_counts_not_only_the_latest() -> None:
    households = surveyed_village(18, 2)
    for h in households:
        h.survey("2025-10-11", aware=True, survey_id="S2025")
    found = county_findings(households, "2025-12-31", "R1.3")
    assert [f.scope for f in found] == ["S2024"]


def test_r2_1_a_month_without_a_visit_raises_for_that_month() -> None:
    h = kept_by_the_book()
    h.events = [e for e in h.events if e.facts.get("visit_date") != "2024-07-15"]
    found = h.findings(AS_OF, "R2.1")
    assert [(f.scope, f.due_on.isoformat()) for f in found] == [("", "2024-07-31")]
    assert [(o.label, o.due_on.isoformat()) for o in found[0].occurrences] == [
        ("2024-07", "2024-07-31")
    ]
    june = next(e for e in h.events if e.facts.get("visit_date") == "2024-06-15")
    assert found[0].evidence == (h.events[0].event_id, june.event_id)
    assert found[0].summary == "not visited in 2024-07 (last visit 2024-06-15)"


def test_r2_1_months_without_a_visit_are_one_finding_with_the_months_inside() -> None:
    h = kept_by_the_book()
    gone = ("2024-03-15", "2024-07-15", "2024-08-15")
    h.events = [e for e in h.events if e.facts.get("visit_date") not in gone]
    [found] = h.findings(AS_OF, "R2.1")
    assert [o.label for o in found.occurrences] == ["2024-03", "2024-07", "2024-08"]
    assert found.due_on.isoformat() == "2024-03-31"  # when the first fell due
    assert found.summary == "not visited in 2024-08 (last visit 2024-06-15)"  # the latest
    assert found.key == "R2.1/monthly_visit_missing/household:610326101201H001/"


def test_r2_2_years_without_a_screening_are_one_finding_with_the_years_inside() -> None:
    h = kept_by_the_book()
    h.events = [e for e in h.events if e.event_type != "screening_recorded"]
    [found] = h.findings("2026-01-01", "R2.2")
    assert [o.label for o in found.occurrences] == ["2024", "2025"]
    assert found.due_on.isoformat() == "2024-12-31"


def test_r2_1_a_visit_on_the_last_day_of_the_month_counts() -> None:
    h = History()
    h.leaflet("application_policy", "2024-01-10")
    h.monthly_visits(skip=(2,))
    h.visit("2024-02-29")
    assert checks(h, "R2.1") == []


def test_r2_1_ordinary_households_need_no_monthly_visit() -> None:
    h = History(household_type="ordinary")
    assert checks(h, "R2.1") == []


def test_r2_2_no_screening_in_a_year_raises_on_31_december() -> None:
    h = kept_by_the_book()
    h.events = [e for e in h.events if e.event_type != "screening_recorded"]
    assert checks(h, "R2.2", "2024-12-31") == []  # due that day: not yet late
    assert checks(h, "R2.2") == ["yearly_screening_missing"]


def test_r2_2_a_screening_on_31_december_counts() -> None:
    h = kept_by_the_book()
    h.events = [e for e in h.events if e.event_type != "screening_recorded"]
    h.screening("2024-12-31")
    assert checks(h, "R2.2") == []


def test_r2_3_new_allowance_recipient_never_screened_raises() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-01")
    h.events = [e for e in h.events if not e.facts.get("visit_date", "").startswith("2024-08")]
    h.visit("2024-09-05")  # 35 days later, and a routine visit: no screening
    # the income assessment of 5 November is the first check of the criteria: late
    assert checks(h, "R2.3") == ["allowance_recipient_screened_late"]
    h.events = [e for e in h.events if e.event_type != "income_assessed"]
    assert checks(h, "R2.3") == ["allowance_recipient_not_screened"]


def test_r2_3_a_visit_on_day_30_that_estimates_income_screens_the_recipient() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-16")
    h.visit("2024-09-15", income_estimate="8200")
    assert "allowance_recipient_not_screened" not in checks(h, "R2.3")


def test_r2_3_a_routine_visit_is_no_screening_against_the_criteria() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-16")
    h.events = [e for e in h.events if e.event_type != "income_assessed"]
    assert checks(h, "R2.3") == ["allowance_recipient_not_screened"]


def test_r2_3_an_allowance_granted_before_2024_is_not_in_scope() -> None:
    h = kept_by_the_book(registered="2023-06-01")
    h.fact("minimum_living_allowance_granted", "2023-12-20")
    assert checks(h, "R2.3") == []


def test_r2_3_a_recipient_below_the_line_dismissed_raises() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-01")
    h.lead("L1", "2024-08-03")
    h.decide("L1", "2024-08-14", outcome="dismissed", income="6000")
    assert "allowance_recipient_refused" in checks(h, "R2.3")
    assert "eligible_dismissed" in checks(h, "R4.2")


def test_r2_4_a_visit_recorded_8_days_late_is_backfilled_7_is_not() -> None:
    h = kept_by_the_book()
    h.visit("2024-05-02", recorded="2024-05-10")
    h.visit("2024-06-02", recorded="2024-06-09")
    found = h.findings(AS_OF, "R2.4")
    assert [(f.check, f.concern) for f in found] == [("record_backfilled", "perfunctory")]
    assert "2024-05-02" in found[0].summary


def test_r2_4_a_risk_seen_that_never_became_a_lead_raises() -> None:
    h = kept_by_the_book()
    h.visit("2024-05-20", risks=("illness",))
    assert checks(h, "R2.4") == ["risk_not_reported"]


def test_r2_4_a_risk_seen_and_reported_on_day_7_is_in_time() -> None:
    h = kept_by_the_book()
    h.visit("2024-05-20", risks=("illness",))
    h.lead("L1", "2024-05-27")
    assert checks(h, "R2.4") == []


def _visited_by(cadre: str, n: int, day: str, notes: str = "") -> list[History]:
    households = []
    for i in range(n):
        h = History(hid=f"610326101201V{i:03d}")
        h.visit(day, by=cadre, notes=notes)
        households.append(h)
    return households


def test_r2_4_twenty_one_visits_in_a_day_by_one_cadre_are_implausible() -> None:
    found = county_findings(_visited_by("cadre-zhao", 21, "2024-05-20"), AS_OF, "R2.4")
    assert [(f.check, f.subject, len(f.evidence)) for f in found] == [
        ("implausible_visit_count", "cadre-zhao", 21)
    ]


def test_r2_4_twenty_visits_in_a_day_are_not_flagged() -> None:
    assert county_findings(_visited_by("cadre-zhao", 20, "2024-05-20"), AS_OF, "R2.4") == []


def test_r2_4_the_same_long_note_in_five_households_is_flagged_in_four_not() -> None:
    note = "家庭情况稳定，收入来源稳定，无返贫风险，已宣传政策"
    found = county_findings(_visited_by("cadre-zhao", 5, "2024-05-20", note), AS_OF, "R2.4")
    assert [(f.check, f.subject) for f in found] == [("identical_notes", "cadre-zhao")]
    assert county_findings(_visited_by("cadre-zhao", 4, "2024-05-20", note), AS_OF, "R2.4") == []


def test_r2_4_short_routine_notes_may_repeat() -> None:
    found = county_findings(_visited_by("cadre-zhao", 8, "2024-05-20", "routine"), AS_OF, "R2.4")
    assert found == []
