"""The campaign's rules of elimination (R6) and the safety net (R7): a household that meets
the criteria is eliminated, none that does not, and none without labour capacity. Pure:
histories in memory, no I/O."""

from __future__ import annotations

from compliance_history import History, checks, kept_by_the_book


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
        h.eliminated(decided=day)
    assert checks(in_time, "R6.1") == []
    assert checks(late, "R6.1") == ["elimination_late"]


def test_r6_2_an_elimination_below_the_line_raises() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.eliminated(income="5200")
    assert checks(h, "R6.2") == ["eliminated_below_line"]


def test_r6_2_an_elimination_by_the_procedure_at_the_line_is_sound() -> None:
    h = kept_by_the_book()
    h.assisted()
    h.eliminated(income="7300")
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
    h.eliminated()
    assert checks(h, "R7.1") == ["safety_net_household_eliminated"]


def test_r7_1_a_household_without_labour_eliminated_unmarked_raises_twice() -> None:
    h = kept_by_the_book(labour="lost")
    h.assisted()
    h.eliminated()
    assert checks(h, "R7.1") == ["safety_net_household_eliminated", "safety_net_not_marked"]
