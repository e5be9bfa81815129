"""One problem per household, rule and cause, its occurrences inside it (issue #18): the
months without a visit grow in one problem sweep after sweep, dated by the sweep that found
each; a re-run changes nothing; a month the facts no longer show is resolved in it; after a
close-out a new month is a new problem that follows it; a new month after the action takes
a rectified problem back to rectifying; problems of one month from before are folded in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import reduce
from uuid import UUID, uuid4

import pytest

from services.domain.compliance.findings import (
    Finding,
    Occurrence,
    merged,
    problem_id,
    round_key,
)
from services.domain.compliance.ledger import (
    CLOSED,
    MERGED,
    RECTIFIED,
    RECTIFYING,
    LedgerViolation,
    Problem,
)
from services.domain.compliance.reports import problem_ledger, status_on
from services.domain.compliance.upkeep import Upkeep

HOUSEHOLD, VILLAGE = "610326101201H001", "610326101201"
KEY = f"R2.1/monthly_visit_missing/household:{HOUSEHOLD}/"


def month(label: str) -> Finding:
    """The household not visited in the month (YYYY-MM), as the check finds it."""
    y, m = int(label[:4]), int(label[5:])
    due = date(y + m // 12, m % 12 + 1, 1).toordinal() - 1
    summary = f"not visited in {label} (never visited)"
    return Finding(
        rule_id="R2.1",
        check="monthly_visit_missing",
        subject_type="household",
        subject=HOUSEHOLD,
        village=VILLAGE,
        evidence=("registered", f"e-{label}"),
        due_on=date.fromordinal(due),
        responsible=f"village committee {VILLAGE}",
        summary=summary,
        occurrences=(Occurrence(label, date.fromordinal(due), (f"e-{label}",), summary),),
    )


def months(*labels: str) -> Finding:
    return reduce(merged, [month(m) for m in labels])


def sweep(problems: dict[UUID, Problem], as_of: str, *findings: Finding) -> Upkeep:
    u = Upkeep(problems, date.fromisoformat(as_of), uuid4())
    for f in findings:
        u.finding(f)
    u.unfound(skip="national_")
    for p in u.changed.values():
        p.collect_events()  # as saved
    return u


def only(problems: dict[UUID, Problem]) -> Problem:
    [p] = [p for p in problems.values() if p.merged_into is None]
    return p


def test_months_without_a_visit_are_one_problem_that_grows_sweep_after_sweep() -> None:
    problems: dict[UUID, Problem] = {}
    first = sweep(problems, "2025-04-01", months("2025-01", "2025-03"))
    assert first.raised == 1 and list(problems) == [problem_id(KEY)]  # stable, by its key
    again = sweep(problems, "2025-04-01", months("2025-01", "2025-03"))
    assert again.changed == {} and again.raised == 0  # a re-run changes nothing
    later = sweep(problems, "2025-06-01", months("2025-01", "2025-03", "2025-05"))
    p = only(problems)
    assert later.raised == 0 and list(later.changed) == [p.id]
    assert p.shown_labels() == ["2025-01", "2025-03", "2025-05"]
    assert p.occurrences["2025-05"]["spans"] == [["2025-06-01", None]]
    assert p.summary == "not visited in 2025-05 (never visited)"  # the latest month's
    # as of a day between the sweeps the ledger lists the months found by then
    [row] = problem_ledger(problems.values(), date(2025, 5, 1))
    assert (row["periods"], row["count"]) == (["2025-01", "2025-03"], 2)
    [row] = problem_ledger(problems.values(), date(2025, 6, 1))
    assert row["periods"] == ["2025-01", "2025-03", "2025-05"]


def test_a_month_the_facts_no_longer_show_is_resolved_in_the_problem_then_the_whole() -> None:
    problems: dict[UUID, Problem] = {}
    sweep(problems, "2025-04-01", months("2025-01", "2025-03"))
    sweep(problems, "2025-04-10", months("2025-03"))  # a January visit recorded late
    p = only(problems)
    assert p.shown_labels() == ["2025-03"] and p.facts_resolved_on is None
    assert p.occurrences["2025-01"]["spans"] == [["2025-04-01", "2025-04-10"]]
    [row] = problem_ledger(problems.values(), date(2025, 4, 5))
    assert row["periods"] == ["2025-01", "2025-03"]  # as it stood that day
    gone = sweep(problems, "2025-04-20")
    assert gone.resolved == 1 and p.facts_resolved_on == "2025-04-20"
    back = sweep(problems, "2025-05-01", months("2025-03"))
    assert back.found_again == 1 and p.facts_resolved_on is None


def test_a_retrospective_sweep_leaves_the_months_a_later_sweep_found() -> None:
    problems: dict[UUID, Problem] = {}
    sweep(problems, "2025-06-01", months("2025-01", "2025-05"))
    retro = sweep(problems, "2025-03-01", months("2025-01"))
    assert retro.changed == {}  # May's month, found on June 1, is not the March sweep's to judge
    assert only(problems).shown_labels() == ["2025-01", "2025-05"]


def test_after_a_close_out_a_new_month_is_a_new_problem_that_follows_it() -> None:
    problems: dict[UUID, Problem] = {}
    sweep(problems, "2025-04-01", months("2025-01", "2025-03"))
    p = only(problems)
    p.record_action("visited, cadre reminded", ["photo-1"], "li", "village_cadre", date(2025, 4, 3))
    p.close_out(["check-1"], "", "wu", "township_official", date(2025, 4, 5))
    p.collect_events()
    same = sweep(problems, "2025-04-10", months("2025-01", "2025-03"))
    assert same.changed == {} and p.status == CLOSED  # the months it covered stay closed
    new = sweep(problems, "2025-06-01", months("2025-01", "2025-03", "2025-05"))
    follows = problems[problem_id(round_key(KEY, 2))]  # deterministic: the key's next round
    assert new.raised == 1 and p.status == CLOSED
    assert follows.shown_labels() == ["2025-05"] and follows.due_on == "2025-05-31"
    assert str(follows.key).endswith("#2")
    rerun = sweep(problems, "2025-06-01", months("2025-01", "2025-03", "2025-05"))
    assert rerun.changed == {}


def test_a_month_missed_after_the_action_takes_a_rectified_problem_back() -> None:
    problems: dict[UUID, Problem] = {}
    sweep(problems, "2025-04-01", months("2025-01", "2025-03"))
    p = only(problems)
    p.plan_rectification("visit monthly", date(2025, 6, 30), "li", "li", "village_cadre",
                         date(2025, 4, 2))  # fmt: skip
    p.record_action("visited", ["photo-1"], "li", "village_cadre", date(2025, 4, 15))
    p.collect_events()
    # April's lapse fell due on 04-30, after the action of 04-15: it has not held
    sweep(problems, "2025-05-01", months("2025-01", "2025-03", "2025-04"))
    assert p.status == RECTIFYING and p.history[-1][0] == "occurred again"
    assert status_on(p, date(2025, 4, 20)) == RECTIFIED
    assert status_on(p, date(2025, 5, 1)) == RECTIFYING


def test_a_month_found_late_that_fell_due_before_the_action_leaves_it_rectified() -> None:
    problems: dict[UUID, Problem] = {}
    sweep(problems, "2025-04-01", months("2025-03"))
    p = only(problems)
    p.record_action("visited", ["photo-1"], "li", "village_cadre", date(2025, 4, 15))
    p.collect_events()
    # February's record was corrected away after the action: a lapse from before it
    sweep(problems, "2025-05-01", months("2025-02", "2025-03"))
    assert p.shown_labels() == ["2025-02", "2025-03"] and p.status == RECTIFIED


def legacy(label: str, on: str = "2025-03-01") -> Problem:
    """A problem of one month, as a sweep raised it before occurrences."""
    old = replace(month(label), scope=label, occurrences=())
    p = Problem.raise_from(old, date.fromisoformat(on), uuid4())
    p.collect_events()
    return p


def test_problems_of_one_month_from_before_are_folded_in_keeping_the_day_found() -> None:
    jan, feb, mar = legacy("2025-01"), legacy("2025-02"), legacy("2025-03")
    feb.plan_rectification("visit", date(2025, 4, 30), "li", "li", "village_cadre",
                           date(2025, 3, 5))  # fmt: skip
    feb.collect_events()
    assert jan.key == KEY + "2025-01"  # the recurring key and the month
    problems = {p.id: p for p in (jan, feb, mar)}
    u = sweep(problems, "2025-05-01", months("2025-01", "2025-02", "2025-03", "2025-04"))
    p = problems[problem_id(KEY)]
    assert u.raised == 1 and u.resolved == 0
    assert p.shown_labels() == ["2025-01", "2025-03", "2025-04"]  # February is feb's own
    assert p.occurrences["2025-01"]["spans"] == [["2025-03-01", None]]  # found then
    assert jan.merged_into == str(p.id) and mar.merged_into == str(p.id)
    assert feb.merged_into is None and feb.facts_resolved_on is None  # planned: its own row
    assert status_on(jan, date(2025, 5, 1)) == MERGED and jan.status == MERGED
    with pytest.raises(LedgerViolation) as refused:  # its month is worked in the other
        jan.plan_rectification("visit", date(2025, 6, 1), "li", "li", "village_cadre",
                               date(2025, 5, 2))  # fmt: skip
    assert refused.value.code == "PROBLEM_MERGED"
    before = problem_ledger(problems.values(), date(2025, 4, 1))
    assert sorted(r["problem"] for r in before) == sorted(str(x.id) for x in (jan, feb, mar))
    after = problem_ledger(problems.values(), date(2025, 5, 1))
    assert sorted(r["problem"] for r in after) == sorted([str(p.id), str(feb.id)])
    assert sweep(problems, "2025-05-01", months("2025-01", "2025-02", "2025-03", "2025-04")
                 ).changed == {}  # fmt: skip
    assert sweep(problems, "2025-05-02", months("2025-01", "2025-03", "2025-04")).resolved == 1
    assert feb.facts_resolved_on == "2025-05-02"  # its month recorded after all
