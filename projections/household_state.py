"""The current state of each household: one row per household, for lists and dashboards."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from psycopg import Cursor
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from projections.runner import Positioned
from services.domain.corrections import CORRECTIONS

if TYPE_CHECKING:
    from services.store import EventStore


COLUMNS = (
    "household_id", "village_code", "household_type", "monitoring_status", "category",
    "risks", "eliminated_risks", "member_count", "open_case", "open_case_step", "last_visit_on",
    "last_screening_on", "identified_on", "eliminated_on", "safety_net_marked",
    "measure_count", "measures_verified", "alert_count", "per_capita_net_income_yuan",
    "correction_count", "version", "last_event_type", "last_occurred_at", "last_position",
)  # fmt: skip

Row = dict[str, Any]
Handler = Callable[[Row, dict[str, Any]], None]


def new_row(household_id: str) -> Row:
    return {c: None for c in COLUMNS} | {"household_id": household_id}


def _registered(row: Row, f: dict[str, Any]) -> None:
    row.update(
        village_code=f["village_code"],
        household_type=f["household_type"],
        monitoring_status="not_monitored",
        risks=[],
        eliminated_risks=[],
        member_count=len(f["members"]),
        safety_net_marked=False,
        measure_count=0,
        measures_verified=0,
        alert_count=0,
        correction_count=0,
    )


def _member_changed(row: Row, f: dict[str, Any]) -> None:
    if f.get("left_household"):
        row["member_count"] -= 1


def _latest(column: str, key: str) -> Handler:
    def handler(row: Row, f: dict[str, Any]) -> None:
        day = f[key]
        row[column] = max(day, str(row[column] or day))

    return handler


def _count(column: str, step: int = 1) -> Handler:
    def handler(row: Row, _: dict[str, Any]) -> None:
        row[column] += step

    return handler


def _case_step(step: str, key: str = "case_id", kind: str | None = None) -> Handler:
    def handler(row: Row, f: dict[str, Any]) -> None:
        row["open_case"] = f"{kind or f['case_kind']}:{f[key]}"
        row["open_case_step"] = step

    return handler


def _notice_step(step: str) -> Handler:
    def handler(row: Row, _: dict[str, Any]) -> None:
        row["open_case_step"] = step

    return handler


def _identified(row: Row, f: dict[str, Any]) -> None:
    row.update(
        monitoring_status="monitored",
        category=f["category"],
        risks=list(f["risks"]),
        identified_on=f["decided_on"],
        eliminated_on=None,
        open_case=None,
        open_case_step=None,
    )


def _case_closed(row: Row, _: dict[str, Any]) -> None:
    row.update(open_case=None, open_case_step=None)


def _eliminated(row: Row, f: dict[str, Any]) -> None:
    row.update(
        monitoring_status="risk_eliminated",
        risks=[],
        eliminated_risks=row["risks"],
        eliminated_on=f["decided_on"],
        open_case=None,
        open_case_step=None,
    )


def _reverted(row: Row, _: dict[str, Any]) -> None:
    row.update(
        monitoring_status="monitored",
        eliminated_on=None,
        risks=row["eliminated_risks"],
        eliminated_risks=[],
    )


def _income(row: Row, f: dict[str, Any]) -> None:
    row["per_capita_net_income_yuan"] = f["per_capita_net_income_yuan"]


def _marked(value: bool) -> Handler:
    def handler(row: Row, _: dict[str, Any]) -> None:
        row["safety_net_marked"] = value

    return handler


# Domain event class name → how it changes the row; events not named change nothing here.
HANDLERS: dict[str, Handler] = {
    "Registered": _registered,
    "MemberAdded": _count("member_count"),
    "MemberChanged": _member_changed,
    "IncomeAssessed": _income,
    "VisitRecorded": _latest("last_visit_on", "visit_date"),
    "ScreeningRecorded": _latest("last_screening_on", "screening_date"),
    "DepartmentRiskAlertPushed": _count("alert_count"),
    "RiskLeadRegistered": _case_step("lead", "lead_id", "identification"),
    "HouseholdConsentSigned": _case_step("consent", "lead_id", "identification"),
    "VillageReviewHeld": _case_step("village_review"),
    "PublicNoticePosted": _case_step("public_notice"),
    "PublicNoticeClosed": _notice_step("notice_closed"),
    "TownshipReviewDone": _case_step("township_review"),
    "Identified": _identified,
    "LeadDismissed": _case_closed,
    "AssistanceMeasureStarted": _count("measure_count"),
    "AssistanceMeasureVerified": _count("measures_verified"),
    "RiskEliminationProposed": _case_step("proposed", "elimination_id", "elimination"),
    "RiskEliminated": _eliminated,
    "RiskEliminationReverted": _reverted,
    "SafetyNetMarkSet": _marked(True),
    "SafetyNetMarkRemoved": _marked(False),
    "EventRetracted": _count("correction_count"),
    "EventAmended": _count("correction_count"),
}


def _nothing(row: Row, f: dict[str, Any]) -> None:
    pass


def evolve(row: Row, event_class: str, facts: dict[str, Any]) -> None:
    """Apply one event to a row (also used to compute a household's state as of a date)."""
    HANDLERS.get(event_class, _nothing)(row, facts)


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
        eliminated_risks jsonb NOT NULL DEFAULT '[]',  -- restored if the elimination is reverted
        member_count integer NOT NULL,
        open_case text,
        open_case_step text,
        last_visit_on date,
        last_screening_on date,
        identified_on date,
        eliminated_on date,
        safety_net_marked boolean NOT NULL,
        measure_count integer NOT NULL,
        measures_verified integer NOT NULL,
        alert_count integer NOT NULL,
        per_capita_net_income_yuan numeric,
        correction_count integer NOT NULL,
        version integer NOT NULL,
        last_event_type text NOT NULL,
        last_occurred_at timestamptz NOT NULL,
        last_position bigint NOT NULL
    );
    CREATE INDEX IF NOT EXISTS household_state_village
        ON household_state (village_code, monitoring_status);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: EventStore) -> None:
        ids = list({e.household_id for _, e in events})
        with cur.connection.cursor(row_factory=dict_row) as read:
            read.execute("SELECT * FROM household_state WHERE household_id = ANY(%s)", (ids,))
            rows: dict[str, Row] = {r["household_id"]: r for r in read.fetchall()}
        for position, e in events:
            row = rows.setdefault(e.household_id, new_row(e.household_id))
            evolve(row, type(e).__name__, e.facts)
            row.update(
                version=e.originator_version,
                last_event_type=e.event_type,
                last_occurred_at=e.occurred_at,
                last_position=position,
            )
        corrected = {e.household_id for _, e in events if e.event_type in CORRECTIONS}
        if corrected:
            # A retraction or amendment changes what earlier events mean: recompute those
            # households from their history up to this batch (corrections are rare).
            from services.queries import household_events  # import here: it imports us
            from services.timeline import state_on

            upto = events[-1][0]
            for hid in corrected:
                history = [e for p, e in household_events(store, hid) if p <= upto]
                row = state_on(history)
                assert row is not None
                rows[hid] = row | {"last_position": rows[hid]["last_position"]}
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
        cur.executemany(
            f"INSERT INTO household_state ({', '.join(COLUMNS)}) VALUES ({placeholders}) "
            f"ON CONFLICT (household_id) DO UPDATE SET {updates}",
            [
                tuple(Jsonb(r[c]) if c in ("risks", "eliminated_risks") else r[c] for c in COLUMNS)
                for r in rows.values()
            ],
        )
