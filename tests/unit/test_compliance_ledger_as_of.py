"""The ledger as of any day (issue #18, finding 6): each problem's status as it stood that
day, by the dates of its steps — raised, resolved by the facts, planned, rectified, closed,
reopened, found again — and the phase report by the day a problem's fact fell due."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from ledger_walk import problem, problem_finding, walked

from services.domain.compliance.params import ComplianceParams
from services.domain.compliance.reports import (
    by_rule,
    phases,
    problem_ledger,
    state_on,
    status_on,
    status_timeline,
)


def d(day: str) -> date:
    return date.fromisoformat(day)


def test_a_problem_the_sweep_resolved_is_resolved_on_that_day_not_open() -> None:
    p = problem()
    p.resolved_by_facts(d("2026-03-10"), uuid4())
    assert status_on(p, d("2026-03-09")) == "open"
    assert status_on(p, d("2026-03-10")) == "resolved"
    [row] = problem_ledger([p], d("2026-03-10"))
    assert row["status"] == "resolved" and row["resolved_by_facts_on"] == "2026-03-10"
    counts = by_rule([p], d("2026-03-10"), "county")[0]
    assert (counts["open"], counts["resolved"]) == (0, 1)
    assert by_rule([p], d("2026-03-09"), "county")[0]["open"] == 1


def test_found_again_it_is_open_again_from_that_day() -> None:
    p = problem()
    p.resolved_by_facts(d("2026-03-10"), uuid4())
    p.found_again(problem_finding(), d("2026-04-01"), uuid4())
    assert [status_on(p, d(x)) for x in ("2026-03-10", "2026-04-01")] == ["resolved", "open"]


def test_before_any_plan_open_between_plan_and_action_rectifying_after_rectified() -> None:
    p = walked()
    days = ["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-11",
            "2026-03-12", "2026-03-20"]  # fmt: skip
    assert [status_on(p, d(x)) for x in days] == [
        "open",
        "open",
        "rectifying",
        "rectifying",
        "rectified",
        "rectified",
        "closed",
        "rectifying",
    ]


def test_an_action_dated_after_the_day_has_not_happened_on_it() -> None:
    p = walked()
    [row] = problem_ledger([p], d("2026-03-04"))
    assert row["status"] == "rectifying" and row["closed_on"] == ""
    assert not state_on(p, d("2026-03-04"))["rectified"]
    [before] = problem_ledger([p], d("2026-03-02"))
    assert (before["status"], before["plan"], before["deadline"]) == ("open", "", "")


def test_the_timeline_gives_the_status_of_every_day_as_status_on_does() -> None:
    p = walked()
    timeline = status_timeline(p)
    for day in (date(2026, 3, n) for n in range(1, 25)):
        standing = [s for on, s in timeline if on <= day.isoformat()]
        assert (standing[-1] if standing else "open") == status_on(p, day), day


def test_the_phases_count_a_retrospective_sweeps_problems_by_the_day_they_fell_due() -> None:
    early = problem(due="2025-04-30")  # phase 1 of 2025
    late = problem(due="2025-10-31")  # phase 2
    ends = ComplianceParams(campaign_year=2025).phases_on(d("2026-03-01"))
    by_due = phases([early, late], d("2026-03-01"), ends)
    assert [r["found"] for r in by_due] == [1, 2, 2]
    by_found = phases([early, late], d("2026-03-01"), ends, count_by="found")
    assert [r["found"] for r in by_found] == [0, 0, 0]  # raised in 2026, after every phase


def test_the_campaign_year_is_configuration_or_the_reports_year_never_a_constant() -> None:
    assert ComplianceParams().phases_on(d("2026-03-01"))[0][1] == d("2026-05-31")
    assert ComplianceParams(campaign_year=2025).phases_on(d("2026-03-01"))[0][1] == d("2025-05-31")
    rows = phases(
        [problem(due="2026-01-31")], d("2026-03-01"), ComplianceParams().phases_on(d("2026-03-01"))
    )
    assert [(r["status"], r["found"]) for r in rows] == [
        ("under way", 1),
        ("ahead", 1),
        ("ahead", 1),
    ]
