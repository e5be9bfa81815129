"""The campaign's rules of departments' alerts (R3) and inclusion (R4): for each, a scenario
that must raise it and a near miss that must not. Pure: histories in memory, no I/O."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from compliance_history import AS_OF, checks, kept_by_the_book

from events.monitoring_lines import MonitoringLine, MonitoringLines
from services.domain.compliance.params import ComplianceParams


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
    h = kept_by_the_book()
    h.income("2024-11-20", 7400)
    higher = MonitoringLines(
        (MonitoringLine("610326", 2024, Decimal("7500"), date(2024, 1, 1), "county"),)
    )
    assert checks(h, "R4.2") == []
    assert [f.check for f in h.findings(AS_OF, "R4.2", ComplianceParams(lines=higher))] == [
        "eligible_not_identified"
    ]
