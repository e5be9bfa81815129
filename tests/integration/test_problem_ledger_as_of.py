"""The HTTP API's ledger page (scoped_queries, SQL over the problem_ledger projection) reads
a problem on a day as reports.status_on does (issue #18): the same status every day of a
problem's walk, its plan only once made, no close-out before it happened."""

from __future__ import annotations

from datetime import date, timedelta
from functools import reduce
from uuid import uuid4

import pytest
from ledger_walk import problem, walked
from psycopg_pool import ConnectionPool

from projections.problem_ledger import ProblemLedger
from projections.runner import ProjectionRunner, projection_pool
from services.adapters import scoped_queries
from services.adapters.compliance_store import load_problems, save
from services.adapters.eventstore import EventStore
from services.domain.compliance.findings import Finding, Occurrence, merged, problem_id
from services.domain.compliance.ledger import Problem
from services.domain.compliance.reports import problem_ledger, state_on, status_on
from services.domain.compliance.upkeep import Upkeep
from services.settings import Settings

pytestmark = pytest.mark.integration


def test_the_sql_status_of_every_day_is_the_one_the_reports_read(
    store: EventStore, settings: Settings
) -> None:
    walk, resolved = walked(), problem()
    resolved.resolved_by_facts(date(2026, 3, 10), uuid4())
    save(store, [walk, resolved])
    pool: ConnectionPool
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, ProblemLedger(), 50)
        runner.setup()
        runner.catch_up()
    for day in (date(2026, 2, 28) + timedelta(days=n) for n in range(25)):
        rows, _ = scoped_queries.problems_page(store, "610326", True, day, {}, None, 10)
        got = {
            str(r["problem_id"]): (r["status_on"], r["overdue"], r["planned_by_day"]) for r in rows
        }
        want = {
            str(p.id): (status_on(p, day), state_on(p, day)["overdue"], state_on(p, day)["planned"])
            for p in (walk, resolved)
            if state_on(p, day)["found"]
        }
        assert got == want, day
        for status in ("open", "resolved", "rectified"):
            only, _ = scoped_queries.problems_page(
                store, "610326", True, day, {"status": status}, None, 10
            )
            assert {str(r["problem_id"]) for r in only} == {
                k for k, v in want.items() if v[0] == status
            }, (day, status)


def test_a_row_projected_before_the_timeline_still_reads_as_planned_and_overdue(
    store: EventStore, settings: Settings
) -> None:
    """Until `projections rebuild problem_ledger`, rows from before the status timeline have
    no plan's day; their deadline says they were planned, so they still count as overdue."""
    walk = walked()
    save(store, [walk])
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, ProblemLedger(), 50)
        runner.setup()
        runner.catch_up()
    day = date(2026, 12, 31)
    with store.connection() as conn:
        row = conn.execute(
            "SELECT deadline FROM problem_ledger WHERE problem_id = %s", (walk.id,)
        ).fetchone()
        assert row["deadline"] is not None and row["deadline"] < day
        conn.execute(  # as an older version projected it: no timeline, open
            "UPDATE problem_ledger SET statuses = NULL, planned_on = NULL, status = 'rectifying'"
        )
    rows, _ = scoped_queries.problems_page(store, "610326", True, day, {}, None, 10)
    assert [(r["planned_by_day"], r["overdue"]) for r in rows] == [(True, True)]


def _month(label: str, scope: str = "") -> Finding:
    """The household not visited in the month: an occurrence, or (with `scope`) a problem
    of one month as a sweep raised it before occurrences."""
    due = date(int(label[:4]), int(label[5:]), 28)
    summary = f"not visited in {label} (never visited)"
    return Finding(
        rule_id="R2.1", check="monthly_visit_missing", subject_type="household",
        subject="610326101201H001", village="610326101201", evidence=(f"e-{label}",),
        due_on=due, responsible="village committee 610326101201", summary=summary,
        scope=scope,
        occurrences=() if scope else (Occurrence(label, due, (f"e-{label}",), summary),),
    )  # fmt: skip


def _swept(store: EventStore, as_of: date, *labels: str) -> None:
    upkeep = Upkeep(load_problems(store), as_of, uuid4())
    if labels:
        upkeep.finding(reduce(merged, [_month(m) for m in labels]))
    upkeep.unfound(skip="national_")
    save(store, upkeep.changed.values())


def test_a_recurring_problems_months_read_as_of_the_day_and_a_folded_one_is_not_listed(
    store: EventStore, settings: Settings
) -> None:
    """One problem per household, rule and cause (issue #18): the page lists its months as
    they stood on the day (found by then, not resolved by then), as the reports read them;
    a problem of one month from before occurrences, folded into it, is no row of its own
    from the sweep that folded it."""
    old = Problem.raise_from(_month("2025-01", scope="2025-01"), date(2025, 2, 1), uuid4())
    save(store, [old])
    _swept(store, date(2025, 4, 1), "2025-01", "2025-03")
    _swept(store, date(2025, 5, 1), "2025-03", "2025-04")  # January's visit came late
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, ProblemLedger(), 50)
        runner.setup()
        runner.catch_up()
    problems = load_problems(store).values()
    for day in ("2025-02-15", "2025-04-01", "2025-04-20", "2025-05-01"):
        rows, _ = scoped_queries.problems_page(
            store, "610326", True, date.fromisoformat(day), {}, None, 10
        )
        got = {str(r["problem_id"]): r["periods"] for r in rows}
        want = {
            r["problem"]: r["periods"] for r in problem_ledger(problems, date.fromisoformat(day))
        }
        assert got == want, day
    assert got == {str(problem_id(_month("2025-01").key)): ["2025-03", "2025-04"]}
    early, _ = scoped_queries.problems_page(store, "610326", True, date(2025, 2, 15), {}, None, 9)
    assert [str(r["problem_id"]) for r in early] == [str(old.id)]  # before it was folded
