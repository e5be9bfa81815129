"""Every rule of the campaign: a scenario that must raise it and a near miss that must not.
Pure: histories in memory, no I/O."""

from __future__ import annotations

import pytest
from compliance_history import History, county_findings, kept_by_the_book

from services.domain.compliance.params import ComplianceParams

AS_OF = "2025-01-01"


def checks(h: History, rule: str, as_of: str = AS_OF) -> list[str]:
    return [f.check for f in h.findings(as_of, rule)]


def test_a_household_kept_by_the_book_raises_nothing() -> None:
    h = kept_by_the_book()
    h.assisted()
    assert h.findings(AS_OF) == []


# --- R1 publicity -----------------------------------------------------------------------
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


def _village(aware: int, unaware: int) -> list[History]:
    households = []
    for i in range(aware + unaware):
        h = kept_by_the_book(hid=f"610326101201H{i:03d}")
        h.survey("2024-10-11", aware=i < aware)
        households.append(h)
    return households


def test_r1_3_awareness_of_18_in_20_raises_for_the_village() -> None:
    found = county_findings(_village(18, 2), AS_OF, "R1.3")
    assert [(f.subject_type, f.subject) for f in found] == [("village", "610326101201")]
    assert len(found[0].evidence) == 2  # the unaware households' answers


def test_r1_3_awareness_of_19_in_20_is_exactly_95_percent_and_enough() -> None:
    assert county_findings(_village(19, 1), AS_OF, "R1.3") == []


# --- R2 visits --------------------------------------------------------------------------
def test_r2_1_a_month_without_a_visit_raises_for_that_month() -> None:
    h = kept_by_the_book()
    h.events = [e for e in h.events if e.facts.get("visit_date") != "2024-07-15"]
    found = h.findings(AS_OF, "R2.1")
    assert [(f.scope, f.due_on.isoformat()) for f in found] == [("2024-07", "2024-07-31")]
    june = next(e for e in h.events if e.facts.get("visit_date") == "2024-06-15")
    assert found[0].evidence == (h.events[0].event_id, june.event_id)
    assert found[0].summary == "not visited in 2024-07 (last visit 2024-06-15)"


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
    h.visit("2024-09-05")  # 35 days later: too late to count
    assert checks(h, "R2.3") == ["allowance_recipient_not_screened"]


def test_r2_3_a_visit_on_day_30_that_estimates_income_screens_the_recipient() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-16")
    h.visit("2024-09-15", income_estimate="8200")
    assert "allowance_recipient_not_screened" not in checks(h, "R2.3")


def test_r2_3_a_routine_visit_is_no_screening_against_the_criteria() -> None:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-16")
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


# --- R3 alerts --------------------------------------------------------------------------
def test_r3_1_an_alert_pushed_8_days_after_the_risk_is_late_for_the_department() -> None:
    h = kept_by_the_book()
    h.alert("A1", "2024-05-01", "2024-05-09")
    h.lead("L1", "2024-05-10", alert_id="A1")
    found = h.findings(AS_OF, "R3.1")
    assert [(f.subject_type, f.subject) for f in found] == [("department", "medical_insurance")]


def test_r3_1_an_alert_pushed_on_day_7_is_in_time() -> None:
    h = kept_by_the_book()
    h.alert("A1", "2024-05-01", "2024-05-08")
    h.lead("L1", "2024-05-10", alert_id="A1")
    assert checks(h, "R3.1") == []


def test_r3_2_an_alert_never_followed_up_raises() -> None:
    h = kept_by_the_book()
    h.alert("A1", "2024-05-01", "2024-05-03")
    assert checks(h, "R3.2", "2024-05-18") == []  # due that day
    assert checks(h, "R3.2") == ["alert_not_followed_up"]


def test_r3_2_an_alert_whose_lead_names_it_is_followed_up() -> None:
    h = kept_by_the_book()
    h.alert("A1", "2024-05-01", "2024-05-03")
    h.lead("L1", "2024-05-18", alert_id="A1")
    assert checks(h, "R3.2") == []


# --- R4 inclusion -----------------------------------------------------------------------
def test_r4_1_a_notice_of_4_days_is_too_short() -> None:
    h = kept_by_the_book()
    h.lead("L1", "2024-03-01")
    h.notice("L1", "2024-03-03", "2024-03-07")
    h.decide("L1", "2024-03-12", outcome="dismissed")
    assert checks(h, "R4.1") == ["notice_too_short"]
    lead, posted, closed = (e.event_id for e in h.events[-4:-1])
    assert h.findings(AS_OF, "R4.1")[0].evidence == (lead, posted, closed)


def test_r4_1_a_notice_of_5_days_is_enough() -> None:
    h = kept_by_the_book()
    h.lead("L1", "2024-03-01")
    h.notice("L1", "2024-03-03", "2024-03-08")
    h.decide("L1", "2024-03-12", outcome="dismissed")
    assert checks(h, "R4.1") == []


def test_r4_1_a_decision_on_day_16_is_late_on_day_15_in_time() -> None:
    late, in_time = kept_by_the_book(), kept_by_the_book()
    late.identified(lead="2024-03-01", decided="2024-03-17")
    in_time.identified(lead="2024-03-01", decided="2024-03-16")
    assert checks(late, "R4.1") == ["decision_late"]
    assert checks(in_time, "R4.1") == []


def test_r4_1_an_undecided_lead_raises_once_past_15_days() -> None:
    h = kept_by_the_book()
    h.lead("L1", "2024-12-01")
    assert checks(h, "R4.1", "2024-12-16") == []
    assert checks(h, "R4.1", "2024-12-17") == ["decision_overdue"]


def test_r4_1_the_notice_minimum_is_configuration() -> None:
    h = kept_by_the_book()
    h.lead("L1", "2024-03-01")
    h.notice("L1", "2024-03-03", "2024-03-08")
    h.decide("L1", "2024-03-12", outcome="dismissed")
    seven = ComplianceParams(min_notice_days=7)
    assert [f.check for f in h.findings(AS_OF, "R4.1", seven)] == ["notice_too_short"]


def test_r4_2_an_income_of_7299_never_identified_raises() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 7299)
    found = h.findings(AS_OF, "R4.2")
    assert [f.check for f in found] == ["eligible_not_identified"]
    assert "7300" in found[0].summary  # the line it used


def test_r4_2_an_income_of_7300_is_not_below_the_line() -> None:
    h = kept_by_the_book()
    h.income("2024-11-20", 7300)
    assert checks(h, "R4.2") == []


def test_r4_2_a_department_reported_unsafe_house_must_become_a_lead() -> None:
    h = kept_by_the_book()
    h.fact("unsafe_housing", "2024-09-01", department="housing")
    assert checks(h, "R4.2") == ["eligible_not_identified"]
    h.lead("L1", "2024-09-10")
    assert checks(h, "R4.2") == []


def test_r4_2_the_line_is_the_one_in_force_for_the_village() -> None:
    from decimal import Decimal

    from events.monitoring_lines import MonitoringLine, MonitoringLines

    h = kept_by_the_book()
    h.income("2024-11-20", 7400)
    higher = MonitoringLines(
        (MonitoringLine("610326", 2024, Decimal("7500"), date_(2024, 1, 1), "county"),)
    )
    assert checks(h, "R4.2") == []
    assert [f.check for f in h.findings(AS_OF, "R4.2", ComplianceParams(lines=higher))] == [
        "eligible_not_identified"
    ]


def date_(y: int, m: int, d: int):  # type: ignore[no-untyped-def]
    from datetime import date

    return date(y, m, d)


# --- R5 assistance ----------------------------------------------------------------------
def test_r5_1_a_plan_on_day_11_is_late_on_day_10_in_time() -> None:
    late, in_time = kept_by_the_book(), kept_by_the_book()
    for h, day in ((late, "2024-03-23"), (in_time, "2024-03-22")):
        h.identified()
        h.plan(day)
    assert checks(late, "R5.1") == ["plan_late"]
    assert checks(in_time, "R5.1") == []


def test_r5_1_no_plan_at_all_raises_until_one_is_adopted() -> None:
    h = kept_by_the_book()
    h.identified()
    assert checks(h, "R5.1") == ["plan_missing"]


def test_r5_2_microcredit_does_not_answer_illness() -> None:
    h = kept_by_the_book()
    h.identified()
    h.plan("2024-03-15", measure_type="microcredit", risk="illness")
    assert checks(h, "R5.2") == ["measure_does_not_fit_risk"]


def test_r5_2_medical_aid_answers_illness() -> None:
    h = kept_by_the_book()
    h.identified()
    h.plan("2024-03-15", measure_type="medical_aid", risk="illness")
    assert checks(h, "R5.2") == []


def test_r5_2_a_job_for_a_household_no_one_in_which_can_work_does_not_fit() -> None:
    h = kept_by_the_book(labour="lost")
    h.identified()
    h.plan("2024-03-15", measure_type="public_welfare_job", risk="income_drop")
    assert checks(h, "R5.2") == ["measure_needs_labour"]


def test_r5_3_a_measure_never_verified_is_paper_only() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.measure("M2", "2024-06-01")
    found = h.findings(AS_OF, "R5.3")
    assert [(f.check, f.concern) for f in found] == [("measure_not_verified", "paper_only")]


def test_r5_3_verified_on_day_60_is_in_time_on_day_61_late() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.measure("M2", "2024-06-01")
    h.verify("M2", "2024-07-31")
    h.measure("M3", "2024-06-01")
    h.verify("M3", "2024-08-01")
    assert [f.scope for f in h.findings(AS_OF, "R5.3")] == ["M3"]


def test_r5_3_a_verification_without_evidence_or_by_the_starter_raises() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.measure("M2", "2024-06-01")
    h.verify("M2", "2024-06-20", evidence=(" ",))
    h.measure("M3", "2024-06-01", by="cadre-li")
    h.verify("M3", "2024-06-20", by="cadre-li")
    assert checks(h, "R5.3") == ["verification_without_evidence"] * 2


def _allowance_of_4800() -> History:
    """Assisted, then a verified allowance of 4,800 yuan from June."""
    h = kept_by_the_book()
    h.assisted()
    h.measure(
        "M2",
        "2024-06-01",
        measure_type="minimum_living_allowance",
        risk="high_expenditure",
        amount="4800",
    )
    h.verify("M2", "2024-06-20")
    return h


def test_r5_3_an_allowance_that_never_shows_in_income_is_paper_only() -> None:
    assert checks(_allowance_of_4800(), "R5.3") == ["amount_not_in_income"]


def test_r5_3_an_allowance_that_shows_in_income_is_not_flagged() -> None:
    h = _allowance_of_4800()
    h.events = [e for e in h.events if e.event_type != "income_assessed"]
    h.income("2024-11-06", 9000, components={"wages": "4200", "minimum_living_allowance": "4800"})
    assert checks(h, "R5.3") == []


# --- R6 elimination, R7 safety net ---------------------------------------------------------
def _recovered(per_capita: int) -> History:
    h = kept_by_the_book()
    h.assisted()
    h.visit("2025-01-15")
    h.visit("2025-02-15")
    h.visit("2025-03-15")
    return h if per_capita == 9000 else _with_income(h, per_capita)


def _with_income(h: History, per_capita: int) -> History:
    h.events = [e for e in h.events if e.event_type != "income_assessed"]
    h.income("2024-11-05", per_capita)
    return h


def test_r6_1_recovered_and_not_eliminated_after_a_year_raises() -> None:
    h = _recovered(9000)
    assert checks(h, "R6.1", "2025-03-12") == []  # due that day
    assert checks(h, "R6.1", "2025-03-13") == ["eligible_not_eliminated"]


def test_r6_1_an_income_of_7299_does_not_meet_the_criteria_7300_does() -> None:
    assert checks(_recovered(7299), "R6.1", "2025-03-20") == []
    assert checks(_recovered(7300), "R6.1", "2025-03-20") == ["eligible_not_eliminated"]


def test_r6_2_an_elimination_below_the_line_raises() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.propose("E1", "2024-10-01", income="5200")
    h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
    h.eliminate("E1", "2024-10-12")
    assert checks(h, "R6.2") == ["eliminated_below_line"]


def test_r6_2_an_elimination_by_the_procedure_at_the_line_is_sound() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.propose("E1", "2024-10-01", income="7300")
    h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
    h.eliminate("E1", "2024-10-12")
    assert checks(h, "R6.2") == []


def test_r6_2_an_elimination_too_soon_and_with_a_short_notice_raises_both() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.propose("E1", "2024-06-01")
    h.notice("E1", "2024-06-03", "2024-06-06", kind="elimination")
    h.eliminate("E1", "2024-06-10")
    assert sorted(checks(h, "R6.2")) == [
        "eliminated_too_soon",
        "elimination_notice_missing_or_short",
    ]


def test_r7_1_a_household_no_one_in_which_can_work_must_be_marked() -> None:
    h = kept_by_the_book(labour="none")
    h.assisted()
    assert checks(h, "R7.1") == ["safety_net_not_marked"]


def test_r7_1_marked_on_day_30_is_in_time_and_one_who_can_work_needs_no_mark() -> None:
    marked = kept_by_the_book(labour="none")
    marked.assisted()
    marked.mark("2024-04-11")
    able = kept_by_the_book(labour="weak")
    able.assisted()
    assert checks(marked, "R7.1") == []
    assert checks(able, "R7.1") == []


def test_r7_1_a_marked_household_eliminated_raises() -> None:
    h = kept_by_the_book(labour="none")
    h.assisted()
    h.mark("2024-04-01")
    h.propose("E1", "2024-10-01")
    h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
    h.eliminate("E1", "2024-10-12")
    assert checks(h, "R7.1") == ["safety_net_household_eliminated"]


# --- R8 data ----------------------------------------------------------------------------
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


# --- the engine ---------------------------------------------------------------------------
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
    households = _village(10, 3)
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


@pytest.mark.parametrize("change", [{"checks_from": date_(2025, 1, 1)}])
def test_lapses_before_the_campaign_period_are_not_raised(change: dict[str, object]) -> None:
    h = History()
    params = ComplianceParams().model_copy(update=change)
    assert [f.rule_id for f in h.findings("2024-12-31", params=params)] == []


def test_r7_1_a_household_without_labour_eliminated_unmarked_raises_twice() -> None:
    h = kept_by_the_book(labour="lost")
    h.assisted()
    h.propose("E1", "2024-10-01")
    h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
    h.eliminate("E1", "2024-10-12")
    assert checks(h, "R7.1") == ["safety_net_household_eliminated", "safety_net_not_marked"]


def test_r1_3_every_survey_round_counts_not_only_the_latest() -> None:
    households = _village(18, 2)
    for h in households:
        h.survey("2025-10-11", aware=True, survey_id="S2025")
    found = county_findings(households, "2025-12-31", "R1.3")
    assert [f.scope for f in found] == ["S2024"]


def test_r6_1_an_elimination_undecided_16_days_after_its_proposal_is_stalled() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.propose("E1", "2024-10-01")
    h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
    assert checks(h, "R6.1", "2024-10-16") == []  # due that day
    assert checks(h, "R6.1", "2024-10-17") == ["elimination_stalled"]


def test_r6_1_an_elimination_decided_on_day_15_is_in_time_on_day_16_late() -> None:
    in_time, late = kept_by_the_book(), kept_by_the_book()
    for h, day in ((in_time, "2024-10-16"), (late, "2024-10-17")):
        h.assisted()
        h.propose("E1", "2024-10-01")
        h.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
        h.eliminate("E1", day)
    assert checks(in_time, "R6.1") == []
    assert checks(late, "R6.1") == ["elimination_late"]
