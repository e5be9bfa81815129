"""A household as a person may read it: found by its number, or by a member's name (a
recorded read); its state, its history, its state as of a day — only within the reader's
scope, personal data masked unless the reader gives a purpose, and then the read recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from services.adapters import queries, scoped_queries
from services.adapters.eventstore import EventStore
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
