"""The current state of each household: one row per household, for lists and dashboards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from psycopg import Cursor
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from projections.runner import Positioned

COLUMNS = (
    "household_id",
    "village_code",
    "household_type",
    "monitoring_status",
    "category",
    "risks",
    "member_count",
    "open_leads",
    "last_visit_on",
    "identified_on",
    "eliminated_on",
    "measure_count",
    "alert_count",
    "version",
    "last_event_type",
    "last_occurred_at",
    "last_position",
)

Row = dict[str, Any]


def _registered(row: Row, f: dict[str, Any]) -> None:
    row.update(
        village_code=f["village_code"],
        household_type=f["household_type"],
        monitoring_status="not_monitored",
        category=None,
        risks=[],
        member_count=len(f["members"]),
        open_leads=0,
        measure_count=0,
        alert_count=0,
    )


def _member_changed(row: Row, f: dict[str, Any]) -> None:
    if f.get("left_household"):
        row["member_count"] -= 1


def _visit(row: Row, f: dict[str, Any]) -> None:
    day = f["visit_date"]
    row["last_visit_on"] = max(day, str(row["last_visit_on"] or day))


def _identified(row: Row, f: dict[str, Any]) -> None:
    row.update(
        monitoring_status="monitored",
        category=f["category"],
        risks=list(f["risks"]),
        identified_on=f["decided_on"],
        eliminated_on=None,
        open_leads=row["open_leads"] - 1,
    )


def _eliminated(row: Row, f: dict[str, Any]) -> None:
    row.update(monitoring_status="risk_eliminated", risks=[], eliminated_on=f["decided_on"])


def _count(column: str, step: int) -> Callable[[Row, dict[str, Any]], None]:
    def handler(row: Row, _: dict[str, Any]) -> None:
        row[column] += step

    return handler


# Domain event class name → how it changes the row.
HANDLERS: dict[str, Callable[[Row, dict[str, Any]], None]] = {
    "Registered": _registered,
    "MemberAdded": _count("member_count", 1),
    "MemberChanged": _member_changed,
    "VisitRecorded": _visit,
    "DepartmentRiskAlertPushed": _count("alert_count", 1),
    "RiskLeadRegistered": _count("open_leads", 1),
    "Identified": _identified,
    "LeadDismissed": _count("open_leads", -1),
    "AssistanceMeasureRecorded": _count("measure_count", 1),
    "RiskEliminated": _eliminated,
}


class HouseholdState:
    name = "household_state"
    tables = ("household_state",)
    ddl = """
    CREATE TABLE IF NOT EXISTS household_state (
        household_id text PRIMARY KEY,
        village_code text NOT NULL,
        household_type text NOT NULL,
        monitoring_status text NOT NULL,
        category text,
        risks jsonb NOT NULL DEFAULT '[]',
        member_count integer NOT NULL,
        open_leads integer NOT NULL,
        last_visit_on date,
        identified_on date,
        eliminated_on date,
        measure_count integer NOT NULL,
        alert_count integer NOT NULL,
        version integer NOT NULL,
        last_event_type text NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        last_position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS household_state_village
        ON household_state (village_code, monitoring_status);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned]) -> None:
        ids = list({e.household_id for _, e in events})
        with cur.connection.cursor(row_factory=dict_row) as read:
            read.execute("SELECT * FROM household_state WHERE household_id = ANY(%s)", (ids,))
            rows: dict[str, Row] = {r["household_id"]: r for r in read.fetchall()}
        for position, e in events:
            row = rows.setdefault(e.household_id, {c: None for c in COLUMNS})
            row["household_id"] = e.household_id
            HANDLERS[type(e).__name__](row, e.facts)
            row.update(
                version=e.originator_version,
                last_event_type=e.event_type,
                last_occurred_at=e.occurred_at,
                last_position=position,
            )
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
        cur.executemany(
            f"INSERT INTO household_state ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT (household_id) DO UPDATE SET {updates}",
            [tuple(Jsonb(r[c]) if c == "risks" else r[c] for c in COLUMNS) for r in rows.values()],
        )
