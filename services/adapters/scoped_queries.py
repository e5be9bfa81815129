"""Read queries for people, each filtered by the reader's scope (a region code and
everything below it): what lies outside does not exist for them. Lists page with a cursor
(keyset: the last row's sort key), so a page costs the same at the end as at the start.

Every function here takes the scope; none has a default, so none can forget it.
"""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import StoredEvent

from services.adapters import queries
from services.adapters.eventstore import EventStore
from services.domain.compliance.ledger import Problem
from services.domain.household import household_uuid
from services.domain.masking import masked as _masked_everywhere


class CursorInvalid(ValueError):
    """CURSOR_INVALID: a cursor this service did not give."""


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, length: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        raise CursorInvalid(cursor) from None
    if not isinstance(key, list) or len(key) != length:
        raise CursorInvalid(cursor)
    return key


def _starts(scope: str) -> str:
    """A LIKE pattern for codes that begin with the scope (digits only: nothing to escape)."""
    if not scope.isdigit():
        raise ValueError(f"a scope is a region code, not {scope!r}")
    return scope + "%"


# --- personal data: masked as everywhere (services.domain.masking)
masked = _masked_everywhere


# --- households ----------------------------------------------------------------------------
def household_events(store: EventStore, scope: str, household_id: str) -> list[tuple[int, Any]]:
    """(position, event) of the household's events, or [] when it is not within the scope
    (its village is the one it was registered in: no event moves a household)."""
    events = queries.household_events(store, household_id)
    if not events or not str(events[0][1].facts.get("village_code", "")).startswith(scope):
        return []
    return events


def household_village(store: EventStore, household_id: str) -> str | None:
    """The village a household was registered in (its first event), from the store."""
    with store.connection() as conn:
        row = conn.execute(
            f"SELECT state FROM {store.events_table} WHERE originator_id = %s "
            "AND originator_version = 1",
            (household_uuid(household_id),),
        ).fetchone()
    if row is None:
        return None
    facts = orjson.loads(bytes(row["state"])).get("facts", {})
    return facts.get("village_code") if isinstance(facts, dict) else None


def household_state(store: EventStore, scope: str, household_id: str) -> dict[str, Any] | None:
    with store.connection() as conn:
        row = conn.execute(
            'SELECT * FROM household_state WHERE household_id = %s AND village_code COLLATE "C" '
            "LIKE %s",
            (household_id, _starts(scope)),
        ).fetchone()
    return dict(row) if row else None


def find_households(
    store: EventStore, scope: str, number: str, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Households within the scope whose number begins with `number`, by number."""
    after = decode_cursor(cursor, 1)
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT household_id, village_code, household_type, monitoring_status, category, "
            "member_count, last_visit_on FROM household_state "
            'WHERE village_code COLLATE "C" LIKE %s AND household_id COLLATE "C" LIKE %s '
            'AND (%s::text IS NULL OR household_id COLLATE "C" > %s) '
            'ORDER BY household_id COLLATE "C" LIMIT %s',
            (
                _starts(scope),
                number.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",
                after and after[0],
                after and after[0],
                limit + 1,
            ),
        ).fetchall()
    return _page(rows, limit, lambda r: [r["household_id"]])


_NAMED_TOPICS = [
    f"services.domain.events:{n}" for n in ("Registered", "MemberAdded", "MemberChanged")
]


def households_named(store: EventStore, scope: str, name: str, limit: int) -> list[str]:
    """Households within the scope with a member of this name (registered, added or
    changed to it), from the event store itself: the projections hold no names. The stored
    JSON is searched for the name's bytes, then each candidate decoded and compared."""
    needle = ('"name":' + json.dumps(name, ensure_ascii=False)).encode()
    with store.connection() as conn, conn.transaction():
        # a scan of the store: bounded, so a search cannot hold a connection for minutes
        conn.execute("SET LOCAL statement_timeout = '30s'")
        rows = conn.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {store.events_table} "
            "WHERE topic = ANY(%s) AND position(%s::bytea IN state) > 0",
            (_NAMED_TOPICS, needle),
        ).fetchall()
    named: set[str] = set()
    for row in rows:
        event = store.mapper.to_domain_event(
            StoredEvent(
                row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
            )
        )
        members = event.facts.get("members") or [event.facts.get("member") or {}]
        if any(m.get("name") == name for m in members):
            named.add(event.household_id)
    in_scope = villages_of(store, sorted(named))
    return sorted(h for h, v in in_scope.items() if v.startswith(scope))[:limit]


def villages_of(store: EventStore, household_ids: list[str]) -> dict[str, str]:
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT household_id, village_code FROM household_state WHERE household_id = ANY(%s)",
            (household_ids,),
        ).fetchall()
    return {r["household_id"]: r["village_code"] for r in rows}


# --- problems ------------------------------------------------------------------------------
def problem(store: EventStore, scope: str, favoritism: bool, problem_id: UUID) -> Problem | None:
    """The problem as the store holds it now, if it lies within the scope (and, for a
    reader who may not see suspicions of favoritism, is not one)."""
    try:
        p = store.repository.get(problem_id)
    except AggregateNotFoundError:
        return None
    if not isinstance(p, Problem) or not p.village.startswith(scope):
        return None
    return p if favoritism or p.concern != "favoritism" else None


PROBLEM_COLUMNS = (
    "problem_id, rule_id, check_name, concern, subject_type, subject, village, township, "
    "due_on, responsible, summary, evidence, raised_on, status, plan, deadline, "
    "responsible_person, actions, last_action_on, facts_resolved_on, closed_on"
)


def problems_page(
    store: EventStore,
    scope: str,
    favoritism: bool,
    as_of: date,
    filters: dict[str, str | None],
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the problem ledger (the problem_ledger projection) within the scope, as it
    stood on `as_of` (by the days its steps name, as the command line reads it), in the
    ledger's order: village, rule, problem."""
    after = decode_cursor(cursor, 3)
    where = [
        'village COLLATE "C" LIKE %(scope)s',
        "raised_on <= %(day)s",
        f"{_STATUS_ON} <> 'merged'",  # folded into its household's recurring problem
    ]
    params: dict[str, Any] = {"scope": _starts(scope), "day": as_of}
    if not favoritism:
        where.append("concern IS DISTINCT FROM 'favoritism'")
    for column, key in (("rule_id", "rule"), ("subject", "subject"), ("concern", "concern")):
        if filters.get(key):
            where.append(f"{column} = %({key})s")
            params[key] = filters[key]
    status = filters.get("status")
    if status == "overdue":
        where.append(f"{_OVERDUE}")
    elif status:
        where.append(f"{_STATUS_ON} = %(status)s")
        params["status"] = status
    if after is not None:
        where.append(
            '(village COLLATE "C", rule_id COLLATE "C", problem_id) > '
            "(%(a0)s, %(a1)s, %(a2)s::uuid)"
        )
        params |= {"a0": after[0], "a1": after[1], "a2": after[2]}
    params["limit"] = limit + 1
    with store.connection() as conn:
        rows = conn.execute(
            f"SELECT {PROBLEM_COLUMNS}, {_STATUS_ON} AS status_on, {_OVERDUE} AS overdue, "
            f"{_PLANNED} AS planned_by_day, {_PERIODS} AS periods "
            f"FROM problem_ledger WHERE {' AND '.join(where)} "
            'ORDER BY village COLLATE "C", rule_id COLLATE "C", problem_id LIMIT %(limit)s',
            params,
        ).fetchall()
    return _page(rows, limit, lambda r: [r["village"], r["rule_id"], str(r["problem_id"])])


# As services.domain.compliance.reports.state_on and status_on read a problem on a day: the
# status from the last day of its timeline (reports.status_timeline) on or before the day.
# A row projected before the timeline existed (statuses NULL, until a rebuild) reads as
# it did then.
_STATUS_ON = (
    "COALESCE((SELECT s ->> 1 FROM jsonb_array_elements(statuses) AS s "
    "WHERE s ->> 0 <= %(day)s::date::text ORDER BY s ->> 0 DESC LIMIT 1), "
    "CASE WHEN status = 'closed' AND closed_on > %(day)s THEN 'rectified' ELSE status END)"
)
# A row from before the timeline has no plan's day: its deadline says it was planned.
_PLANNED = "COALESCE(planned_on <= %(day)s, statuses IS NULL AND deadline IS NOT NULL)"
_OVERDUE = (
    f"COALESCE({_STATUS_ON} NOT IN ('closed', 'resolved') AND {_PLANNED} "
    "AND deadline < %(day)s, false)"
)


# The occurrences standing on the day (found by then, not resolved by then), by label, as
# ledger.occurrences_on reads them; [] for a problem without (and a row from before them).
_PERIODS = (
    "COALESCE((SELECT jsonb_agg(o ->> 'label' ORDER BY o ->> 'label') "
    "FROM jsonb_array_elements(occurrences) AS o WHERE EXISTS (SELECT 1 FROM "
    "jsonb_array_elements(o -> 'spans') AS s WHERE s ->> 0 <= %(day)s::date::text AND "
    "(s ->> 1 IS NULL OR s ->> 1 > %(day)s::date::text))), '[]'::jsonb)"
)


def _page(rows: list[Any], limit: int, key: Any) -> tuple[list[dict[str, Any]], str | None]:
    page = [dict(r) for r in rows[:limit]]
    return page, encode_cursor(key(page[-1])) if len(rows) > limit else None


# --- rejected messages ---------------------------------------------------------------------
REJECTED_COLUMNS = (
    'rejection_id, topic, partition, "offset", reason_code, reason, event_id, event_type, '
    "household_id, rejected_at, published_at, length(message_value) AS value_bytes"
)


PAGE_BYTES_MAX = 64 * 1024  # a department's list carries the bytes of a message this small


def rejected_page(
    store: EventStore, department: str | None, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Rejected messages after the cursor; a department's own only when one is named — as
    the intake attributed it (the verified signer, or the source its envelope names) — with
    the bytes of those up to PAGE_BYTES_MAX (a larger one: ask for it alone)."""
    after = decode_cursor(cursor, 1)
    start = int(after[0]) if after else 0
    with store.connection() as conn:
        if department is None:
            rows = conn.execute(
                f"SELECT {REJECTED_COLUMNS} FROM intake_rejected WHERE rejection_id > %s "
                "ORDER BY rejection_id LIMIT %s",
                (start, limit + 1),
            ).fetchall()
        else:
            rows = conn.execute(
                f"SELECT {REJECTED_COLUMNS}, CASE WHEN length(message_value) <= %s "
                "THEN message_value END AS message_value FROM intake_rejected "
                "WHERE source_system = %s AND rejection_id > %s ORDER BY rejection_id LIMIT %s",
                (PAGE_BYTES_MAX, department, start, limit + 1),
            ).fetchall()
    return _page(rows, limit, lambda r: [r["rejection_id"]])


def rejection_source(row: dict[str, Any]) -> str | None:
    """Whose a rejected message is, as the intake attributed it when it stored it."""
    return row.get("source_system")


def rejected_one(store: EventStore, rejection_id: int) -> dict[str, Any] | None:
    return queries.rejected_message(store, rejection_id)


def rejection_counts(store: EventStore, department: str | None) -> list[dict[str, Any]]:
    """Rejected messages counted by the source the intake attributed and by reason code
    (a department's own only, when one is named), with the latest of each."""
    where, params = ("WHERE source_system = %s", (department,)) if department else ("", ())
    with store.connection() as conn:
        return conn.execute(  # type: ignore[no-any-return]
            "SELECT coalesce(source_system, '') AS source, reason_code, count(*) AS n, "
            f"max(rejected_at) AS latest FROM intake_rejected {where} "
            "GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        ).fetchall()
