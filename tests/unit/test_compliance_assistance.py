"""The campaign's rules of assistance (R5): a plan in time, measures that fit the risks and
the labour, every measure carried out and verified. Pure: histories in memory, no I/O."""

from __future__ import annotations

from compliance_history import AS_OF, History, checks, kept_by_the_book


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
