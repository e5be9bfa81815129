"""A household's state as one row, folded from its events — what the household_state
projection keeps — and that state on a date, two ways (bitemporal): as it was in the world
on that day (by when things happened), and as the system knew it on that day (by when they
were recorded). Pure: the projection and the queries fold with the same handlers, so the
answer for today equals the live projection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from events.common import HEAD_RELATIONS
from events.identity import mask_name
from services.domain.corrections import corrections, recorded_by

COLUMNS = (
    "household_id", "village_code", "household_type", "monitoring_status", "category",
    "risks", "eliminated_risks", "member_count", "open_case", "open_case_step", "last_visit_on",
    "last_screening_on", "identified_on", "eliminated_on", "safety_net_marked",
    "measure_count", "measures_verified", "alert_count", "per_capita_net_income_yuan",
    "correction_count", "head_person_id", "head_name_masked", "county_name", "township_name",
    "village_name", "version", "last_event_type", "last_occurred_at", "last_position",
)  # fmt: skip

Row = dict[str, Any]
Handler = Callable[[Row, dict[str, Any]], None]


def new_row(household_id: str) -> Row:
    return {c: None for c in COLUMNS} | {"household_id": household_id}


def _registered(row: Row, f: dict[str, Any]) -> None:
    head = next((m for m in f["members"] if m["relation_to_head"] in HEAD_RELATIONS), None)
    row.update(
        head_person_id=head["person_id"] if head else None,
        head_name_masked=mask_name(head["name"]) if head else None,
        county_name=f.get("county_name"),
        township_name=f.get("township_name"),
        village_name=f.get("village_name"),
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


def _member_added(row: Row, f: dict[str, Any]) -> None:
    row["member_count"] += 1
    _head(row, f["member"], left=False)


def _member_changed(row: Row, f: dict[str, Any]) -> None:
    if f.get("left_household"):
        row["member_count"] -= 1
    _head(row, f["member"], left=bool(f.get("left_household")))


def _head(row: Row, m: dict[str, Any], left: bool) -> None:
    """The head of household (户主) as the members' events name them: the masked name only
    (a masked name is not personal information; the full one stays in the events)."""
    if not left and m["relation_to_head"] in HEAD_RELATIONS:
        row.update(head_person_id=m["person_id"], head_name_masked=mask_name(m["name"]))
    elif m["person_id"] == row["head_person_id"]:  # the head left, or is no longer the head
        row.update(head_person_id=None, head_name_masked=None)


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
    "MemberAdded": _member_added,
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


# The domain events the state row does not read (each stays in the history and the trail).
NOT_READ = frozenset(
    {
        "AssistanceMeasureEnded",
        "AssistancePlanAdopted",
        "AwarenessSurveyAnswered",
        "CadreRelativeEnded",
        "CadreRelativeRegistered",
        "DataComparisonRequested",
        "DataComparisonReturned",
        "DepartmentFactReported",
        "NationalSystemEntryRecorded",
        "ObjectionRaised",
        "ObjectionResolved",
        "PolicyLeafletDelivered",
    }
)


def _nothing(row: Row, f: dict[str, Any]) -> None:
    pass


def evolve(row: Row, event_class: str, facts: dict[str, Any]) -> None:
    """Apply one event to a row (also used to compute a household's state as of a date)."""
    HANDLERS.get(event_class, _nothing)(row, facts)


def _day(timestamp: str) -> date:
    return date.fromisoformat(timestamp[:10])


def state_on(
    events: Sequence[Any], *, occurred_on: date | None = None, known_on: date | None = None
) -> Row | None:
    """The household_state row from `events` (domain events, in store order).

    known_on: only what had been recorded by that day counts, corrections included.
    occurred_on: only what had happened by that day counts, in the order it happened.
    """
    known = recorded_by(events, known_on)
    retracted, amended = corrections(known)
    chosen = [
        e
        for e in known
        if e.event_id not in retracted
        and (occurred_on is None or _day(e.occurred_at) <= occurred_on)
    ]
    if not chosen or chosen[0].event_type != "household_registered":
        return None
    if occurred_on is not None:  # the world's order; registration stays first
        chosen = [
            chosen[0],
            *sorted(chosen[1:], key=lambda e: (e.occurred_at, e.originator_version)),
        ]
    row = new_row(chosen[0].household_id)
    for e in chosen:
        evolve(row, type(e).__name__, amended.get(e.event_id, e.facts))
        row.update(
            version=e.originator_version,
            last_event_type=e.event_type,
            last_occurred_at=e.occurred_at,
        )
    return row
