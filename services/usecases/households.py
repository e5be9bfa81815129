"""A household as a person may read it: found by its number, or by a member's name (a
recorded read); its state, its history, its state as of a day — only within the reader's
scope, personal data masked unless the reader gives a purpose, and then the read recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.adapters import queries, scoped_queries
from services.adapters.eventstore import EventStore
from services.domain.notice import render_public_notice
from services.domain.roles import Permission, Principal
from services.domain.timeline import state_on
from services.usecases.audit.reads import record_read
from services.usecases.errors import NotFound, Refused


def _not_found(household_id: str) -> NotFound:
    return NotFound("HOUSEHOLD_NOT_FOUND", household_id)


def unmasking(store: EventStore, who: Principal, purpose: str | None, hid: str, what: str) -> bool:
    """Whether to show the personal data unmasked: only with a purpose, by a reader who
    may, and then the read is recorded (who, what, when, why) before anything is shown."""
    if not purpose or not purpose.strip():
        return False
    if not who.may(Permission.PERSONAL_DATA_READ):
        raise Refused("PERMISSION_DENIED", "your role does not read personal data")
    record_read(store, who.name, purpose.strip(), hid, what)
    return True


def history(
    store: EventStore, who: Principal, household_id: str, purpose: str | None
) -> list[dict[str, Any]]:
    """Every stored event of the household: who, when, whence, what it corrected."""
    events = scoped_queries.household_events(store, who.scope, household_id)
    if not events:
        raise _not_found(household_id)
    clear = unmasking(store, who, purpose, household_id, "household history")
    return queries.history_rows(events, unmasked=clear)


def state(store: EventStore, who: Principal, household_id: str) -> dict[str, Any]:
    """The household_state row (no personal data in it)."""
    row = scoped_queries.household_state(store, who.scope, household_id)
    if row is None:
        raise _not_found(household_id)
    return row


def as_of(
    store: EventStore,
    who: Principal,
    household_id: str,
    occurred_on: date | None,
    known_on: date | None,
) -> dict[str, Any]:
    """The state as it was on a day (occurred_on), as the system knew it (known_on), or both."""
    events = scoped_queries.household_events(store, who.scope, household_id)
    if not events:
        raise _not_found(household_id)
    if occurred_on is None and known_on is None:
        raise Refused("DATE_MISSING", "give occurred_on, known_on or both")
    row = state_on([e for _, e in events], occurred_on=occurred_on, known_on=known_on)
    if row is None:
        raise NotFound("HOUSEHOLD_NOT_FOUND", f"{household_id} was not registered then")
    return row


def find(
    store: EventStore, who: Principal, number: str, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Households within the scope whose number begins with `number`."""
    return scoped_queries.find_households(store, who.scope, number, cursor, limit)


def search_by_name(
    store: EventStore, who: Principal, name: str, purpose: str, limit: int = 50
) -> list[dict[str, Any]]:
    """Households within the scope with a member of this name: a read of personal data,
    so it needs a purpose and each household found is recorded as read."""
    if not purpose.strip():
        raise Refused("PURPOSE_REQUIRED", "a search by name is a read of personal data")
    found = scoped_queries.households_named(store, who.scope, name.strip(), limit)
    rows = []
    for hid in found:
        unmasking(store, who, purpose, hid, "household search by name")
        row = scoped_queries.household_state(store, who.scope, hid)
        if row is not None:
            rows.append(row)
    return rows


def members(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The members as the history's rows leave them (masked or not, as the rows are):
    the registration's, then each member added, changed or gone."""
    if not rows:
        return []
    found = {m["person_id"]: m for m in rows[0]["facts"].get("members", [])}
    for r in rows[1:]:
        if r["event_type"] in ("member_added", "member_changed"):
            m = r["facts"]["member"]
            if r["facts"].get("left_household"):
                found.pop(m["person_id"], None)
            else:
                found[m["person_id"]] = m
    return list(found.values())


def notice(
    store: EventStore, who: Principal, household_id: str, notice_id: str, min_days: int
) -> dict[str, Any]:
    """The village public notice (公示) of a case as posted: it names the head, so it is a
    read of personal data (recorded); never an ID, phone, bank account or health."""
    events = scoped_queries.household_events(store, who.scope, household_id)
    found = render_public_notice([e for _, e in events], notice_id, min_days) if events else None
    if found is None:
        raise NotFound("NOTICE_NOT_FOUND", f"{household_id} {notice_id}")
    unmasking(store, who, "打印村内公示", household_id, "public notice")
    return found
