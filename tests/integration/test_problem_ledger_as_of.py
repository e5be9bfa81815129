"""The HTTP API's ledger page (scoped_queries, SQL over the problem_ledger projection) reads
a problem on a day as reports.status_on does (issue #18): the same status every day of a
problem's walk, its plan only once made, no close-out before it happened."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

import pytest
from ledger_walk import problem, walked
from psycopg_pool import ConnectionPool

from projections.problem_ledger import ProblemLedger
from projections.runner import ProjectionRunner, projection_pool
from services.adapters import scoped_queries
from services.adapters.compliance_store import save
from services.adapters.eventstore import EventStore
from services.domain.compliance.reports import state_on, status_on
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
