"""The suspected-problem ledger as a table: one row per problem with where it stands — for
the county bureau's own queries and dashboards (deadlines, overdue, status by rule), and
the status from each day a step names (`statuses`, [[day, status], …]), so that a query as
of any day reads what reports.status_on reads, and a recurring problem's occurrences with
the days each stood (`occurrences`). Each
batch re-reads the problems it touched from the store, up to the batch's versions, in one
query."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from psycopg import Cursor
from psycopg.types.json import Jsonb

from projections.runner import Positioned
from services.adapters.compliance_store import problems_at
from services.adapters.storable import storable, storable_value
from services.domain.compliance.ledger import LEDGER_TOPIC_PREFIX, Problem
from services.domain.compliance.reports import periods_on, status_timeline

COLUMNS = (
    "problem_id",
    "rule_id",
    "check_name",
    "concern",
    "subject_type",
    "subject",
    "village",
    "township",
    "due_on",
    "responsible",
    "summary",
    "evidence",
    "raised_on",
    "status",
    "plan",
    "deadline",
    "responsible_person",
    "actions",
    "last_action_on",
    "facts_resolved_on",
    "closed_on",
    "planned_on",
    "statuses",
    "occurrences",
    "version",
    "last_position",
)


def _text(value: str | None) -> str | None:
    return None if value is None else storable(value)


def _occurrences(p: Problem) -> list[dict[str, Any]]:
    """Its occurrences and the days each stood; a problem of one month or year from before
    occurrences: that period, standing from its raise (as reports.periods_on lists it)."""
    if not p.occurrences:
        return [
            {"label": period, "due_on": p.due_on, "spans": [[p.raised_on, None]]}
            for period in periods_on(p, date.max)
        ]
    return [
        {"label": o["label"], "due_on": o["due_on"], "spans": o["spans"]}
        for o in sorted(p.occurrences.values(), key=lambda o: o["label"])
    ]


class ProblemLedger:
    name = "problem_ledger"
    tables = ("problem_ledger",)
    topics = (f"{LEDGER_TOPIC_PREFIX}Problem.",)
    ddl = """
    CREATE TABLE IF NOT EXISTS problem_ledger (
        problem_id uuid PRIMARY KEY,
        rule_id text NOT NULL,
        check_name text NOT NULL,
        concern text,
        subject_type text NOT NULL,
        subject text NOT NULL,
        village text NOT NULL,
        township text NOT NULL,
        due_on date NOT NULL,
        responsible text NOT NULL,
        summary text NOT NULL,
        evidence jsonb NOT NULL,
        raised_on date NOT NULL,
        status text NOT NULL,
        plan text,
        deadline date,
        responsible_person text,
        actions integer NOT NULL,
        last_action_on date,
        facts_resolved_on date,
        closed_on date,
        version integer NOT NULL,
        last_position bigint NOT NULL
    );
    -- issue #18: the status as of any day (reports.status_timeline) and the plan's day; a
    -- table made before them gains them here, and its rows on their next rebuild
    ALTER TABLE problem_ledger ADD COLUMN IF NOT EXISTS planned_on date;
    ALTER TABLE problem_ledger ADD COLUMN IF NOT EXISTS statuses jsonb;
    -- issue #18: a recurring problem's occurrences, each with the days it stood
    -- ([{label, due_on, spans: [[found_on, resolved_on|null], …]}, …]); [] for others
    ALTER TABLE problem_ledger ADD COLUMN IF NOT EXISTS occurrences jsonb;
    CREATE INDEX IF NOT EXISTS problem_ledger_township ON problem_ledger (township, status);
    CREATE INDEX IF NOT EXISTS problem_ledger_deadline ON problem_ledger (deadline)
        WHERE status <> 'closed';
    -- the HTTP API's pages: a place's problems in the ledger's order, from a cursor
    CREATE INDEX IF NOT EXISTS problem_ledger_page
        ON problem_ledger (village COLLATE "C", rule_id COLLATE "C", problem_id);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: Any) -> None:
        touched: dict[Any, tuple[int, int]] = {}  # problem → (version, position) in the batch
        for position, e in events:
            touched[e.originator_id] = (e.originator_version, position)
        problems = problems_at(store, {pid: version for pid, (version, _) in touched.items()})
        rows = []
        for pid, (_, position) in touched.items():
            p = problems[pid]
            plan = p.plan or {}
            rows.append(
                (
                    p.id,
                    p.rule_id,
                    p.check,
                    p.concern,
                    p.subject_type,
                    storable(p.subject),
                    p.village,
                    p.township,
                    p.due_on,
                    storable(p.responsible),
                    storable(p.summary),
                    Jsonb(storable_value(p.evidence)),
                    p.raised_on,
                    p.status,
                    _text(plan.get("plan")),
                    plan.get("deadline"),
                    _text(plan.get("responsible_person")),
                    len(p.actions),
                    max((a["on"] for a in p.actions), default=None),
                    p.facts_resolved_on,
                    p.closed_on,
                    plan.get("on"),
                    Jsonb([list(s) for s in status_timeline(p)]),
                    Jsonb(_occurrences(p)),
                    p.version,
                    position,
                )
            )
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
        cur.executemany(
            f"INSERT INTO problem_ledger ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) "
            f"ON CONFLICT (problem_id) DO UPDATE SET {updates}",
            rows,
        )
