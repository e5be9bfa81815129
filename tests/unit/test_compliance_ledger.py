"""The suspected-problem ledger: plan, act, close out (销号) only with evidence and by an
authorised role, reopen; overdue rectifications."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.domain.compliance.findings import Finding
from services.domain.compliance.ledger import LedgerViolation, Problem

DAY = date(2025, 1, 2)


def problem(ongoing: bool = False, month: int = 7) -> Problem:
    """A month without a visit (July 2024 unless another is named)."""
    f = Finding(
        rule_id="R2.1",
        check="monthly_visit_missing",
        subject_type="household",
        subject="610326101201H001",
        village="610326101201",
        evidence=(f"e{month}",),
        due_on=date(2024, month, 28 if month != 7 else 31),
        responsible="village committee 610326101201",
        summary=f"not visited in 2024-{month:02d}",
        scope=f"2024-{month:02d}",
        ongoing=ongoing,
    )
    return Problem.raise_from(f, DAY, uuid4())


def rectified(p: Problem) -> Problem:
    p.plan_rectification(
        "visit and explain", date(2025, 1, 20), "cadre-li", "cadre-li", "village_cadre", DAY
    )
    p.record_action("visited on 2025-01-05", ["photo-7"], "cadre-li", "village_cadre", DAY)
    return p


def code(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerViolation) as e:
        call()
    return e.value.code


def test_a_problem_walks_from_raised_to_closed_out() -> None:
    p = rectified(problem())
    assert p.status == "rectified"
    p.close_out(["inspection-report-3"], "checked", "zhou", "township_official", date(2025, 1, 8))
    assert (p.status, p.closed_on) == ("closed", "2025-01-08")
    assert [h[0] for h in p.history] == ["raised", "planned", "action", "closed out"]


def test_close_out_needs_an_authorised_role() -> None:
    p = rectified(problem())
    assert code(lambda: p.close_out(["r"], "", "li", "village_cadre", DAY)) == "ROLE_NOT_AUTHORISED"


def test_close_out_needs_evidence_and_a_rectification_action() -> None:
    p = problem()
    assert code(lambda: p.close_out(["r"], "", "z", "county_official", DAY)) == (
        "RECTIFICATION_REQUIRED"
    )
    rectified(p)
    assert code(lambda: p.close_out([" "], "", "z", "county_official", DAY)) == "EVIDENCE_REQUIRED"
    assert code(lambda: p.record_action("x", [], "li", "village_cadre", DAY)) == (
        "EVIDENCE_REQUIRED"
    )


def test_a_standing_condition_closes_only_once_the_facts_resolve_it() -> None:
    p = rectified(problem(ongoing=True))
    assert code(lambda: p.close_out(["r"], "", "z", "county_official", DAY)) == (
        "FACTS_STILL_SHOW_PROBLEM"
    )
    p.resolved_by_facts(date(2025, 1, 6), uuid4())
    p.close_out(["r"], "", "z", "county_official", date(2025, 1, 7))
    assert p.status == "closed"


def test_reopen_only_a_closed_problem_by_an_authorised_role() -> None:
    p = rectified(problem())
    assert code(lambda: p.reopen("why", "z", "county_official", DAY)) == "PROBLEM_NOT_CLOSED"
    p.close_out(["r"], "", "z", "county_official", DAY)
    assert code(lambda: p.reopen("why", "li", "grid_worker", DAY)) == "ROLE_NOT_AUTHORISED"
    assert code(lambda: p.record_action("x", ["e"], "li", "village_cadre", DAY)) == (
        "PROBLEM_CLOSED"
    )
    p.reopen("the inspector found the visit photo reused", "z", "county_official", DAY)
    assert p.status == "rectifying" and p.closed_on is None


def test_a_rectification_past_its_deadline_is_overdue_until_closed_out() -> None:
    p = rectified(problem())
    assert not p.overdue(date(2025, 1, 20))
    assert p.overdue(date(2025, 1, 21))
    p.close_out(["r"], "", "z", "county_official", DAY)
    assert not p.overdue(date(2025, 1, 21))


def test_a_deadline_before_the_plan_is_refused() -> None:
    p = problem()
    assert (
        code(lambda: p.plan_rectification("x", date(2025, 1, 1), "li", "li", "village_cadre", DAY))
        == "DEADLINE_BEFORE_PLAN"
    )


def test_the_screening_task_ledger_gives_each_area_its_status() -> None:
    from services.domain.compliance.ledger import Sweep
    from services.domain.compliance.reports import screening_task_ledger

    planned, unplanned = rectified(problem()), problem()
    sweep = Sweep.completed(
        uuid4(),
        as_of="2025-01-02",
        households=3,
        events=9,
        findings=2,
        raised=2,
        resolved=0,
        found_again=0,
        coverage={"610326101201": {"households": 3}},
        found_by_township_area={"610326101": {"visits": 2}},
        params={},
        ran_by="t",
    )
    rows = {
        r["area"]: r for r in screening_task_ledger([planned, unplanned], sweep, DAY, "610326101")
    }
    assert rows["visits"]["status"] == "problems without a plan"
    assert (rows["visits"]["problems"], rows["visits"]["households"]) == (2, 3)
    assert rows["alerts"]["status"] == "done"
    only_planned = {r["area"]: r for r in screening_task_ledger([planned], sweep, DAY, "610326101")}
    assert only_planned["visits"]["status"] == "rectifying"
    assert screening_task_ledger([], None, DAY, "610326101")[0]["status"] == "not screened"


def test_the_report_counts_by_rule_and_phase_what_stood_on_its_day() -> None:
    from services.domain.compliance.params import ComplianceParams
    from services.domain.compliance.reports import by_rule, phases

    p = rectified(problem())  # raised, planned and acted on 2 January 2025
    p.close_out(["r"], "", "z", "county_official", date(2025, 1, 25))
    row = by_rule([p], date(2025, 1, 21), "township")[0]
    assert (row["township"], row["rule"], row["found"], row["rectified"]) == (
        "610326101",
        "R2.1",
        1,
        1,
    )
    assert (row["closed"], row["open"], row["overdue"]) == (0, 1, 1)  # deadline was the 20th
    assert by_rule([p], date(2025, 1, 25), "county")[0]["closed"] == 1
    ends = ComplianceParams(campaign_year=2025).phases_on(date(2025, 1, 1))
    got = [(r["status"], r["found"], r["closed"]) for r in phases([p], date(2025, 6, 1), ends)]
    assert got == [("done", 1, 1), ("under way", 1, 1), ("ahead", 1, 1)]


def test_the_ledger_of_a_day_shows_only_the_steps_taken_by_then() -> None:
    from datetime import timedelta

    from services.domain.compliance.reports import problem_ledger, state_on

    p = problem()
    p.plan_rectification("visit", date(2025, 1, 20), "li", "wu", "township_official", DAY)
    p.record_action("visited", ["photo-7"], "li", "village_cadre", DAY + timedelta(days=3))
    p.close_out(["check"], "", "wu", "township_official", DAY + timedelta(days=6))
    p.reopen("photo was of another house", "wu", "township_official", DAY + timedelta(days=9))

    def row(day: date) -> tuple[str, str, str]:
        [r] = problem_ledger([p], day)
        return r["status"], r["deadline"], r["closed_on"]

    assert problem_ledger([p], date(2025, 1, 1)) == []  # not raised yet
    assert row(DAY) == ("rectifying", "2025-01-20", "")
    assert row(DAY + timedelta(days=3)) == ("rectified", "2025-01-20", "")
    assert row(DAY + timedelta(days=6)) == ("closed", "2025-01-20", "2025-01-08")
    assert state_on(p, DAY + timedelta(days=6))["closed"]
    # reopened: today's status, as the aggregate has it
    assert row(DAY + timedelta(days=9)) == (p.status, "2025-01-20", "")
    assert p.status == "rectifying"
