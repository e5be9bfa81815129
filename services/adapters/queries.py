"""Read queries for people: a household's state and history, the rejected messages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import StoredEvent

from services.adapters.eventstore import EventStore
from services.domain.household import household_uuid
from services.domain.masking import masked


def household_events(store: EventStore, household_id: str) -> list[tuple[int, Any]]:
    """(global position, domain event) of every stored event of the household, in order."""
    with store.connection() as conn:
        rows = conn.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {store.events_table} WHERE originator_id = %s ORDER BY originator_version",
            (household_uuid(household_id),),
        ).fetchall()
    return [
        (
            row["notification_id"],
            store.mapper.to_domain_event(
                StoredEvent(
                    row["originator_id"],
                    row["originator_version"],
                    row["topic"],
                    bytes(row["state"]),
                )
            ),
        )
        for row in rows
    ]


def household_history(
    store: EventStore, household_id: str, unmasked: bool = False
) -> list[dict[str, Any]]:
    """Every stored event of the household, from the event store itself, in order, each
    with the corrections that later retracted or amended it; personal data masked unless
    `unmasked` (for a read that was recorded first). `received_at` is the intake's own
    clock; `recorded_at` is the producer's claim."""
    return history_rows(household_events(store, household_id), unmasked)


def history_rows(events: list[tuple[int, Any]], unmasked: bool = False) -> list[dict[str, Any]]:
    """The history's rows of (position, event) pairs (see household_history)."""
    corrected: dict[str, list[str]] = {}
    for _, e in events:
        if "target_event_id" in e.facts:
            corrected.setdefault(e.facts["target_event_id"], []).append(
                f"{e.event_type} {e.event_id}"
            )
    return [
        {
            "position": position,
            "version": e.originator_version,
            "event": type(e).__name__,
            "event_type": e.event_type,
            "event_id": e.event_id,
            "occurred_at": e.occurred_at,
            "received_at": e.timestamp.isoformat(),
            "recorded_at": e.recorded_at,
            "import_batch": getattr(e, "import_batch", None),
            "source_system": e.source_system,
            "actor": f"{e.actor_id} ({e.actor_role})",
            "actor_id": e.actor_id,
            "actor_role": e.actor_role,
            "attestation": e.attestation,
            "corrected_by": corrected.get(e.event_id, []),
            "facts": e.facts if unmasked else masked(e.facts),
        }
        for position, e in events
    ]


def mask_personal(facts: Any) -> Any:
    """The facts with personal information masked (services.domain.masking)."""
    return masked(facts)


def household_state(store: EventStore, household_id: str) -> dict[str, Any] | None:
    """The household's row of the household_state projection."""
    with store.connection() as conn:
        row = conn.execute(
            "SELECT * FROM household_state WHERE household_id = %s", (household_id,)
        ).fetchone()
    return dict(row) if row else None


def projected(conn: Any, table: str) -> bool:
    """Whether a projection's table exists yet (the projections make it on first run)."""
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS made", (table,)).fetchone()
    return bool(row["made"])


def household_heads(store: EventStore, household_ids: Iterable[str]) -> dict[str, str]:
    """Household number → the head's masked name (张*明), for the households that have one,
    in one query however many are asked for (a township's ledger names thousands)."""
    ids = sorted(set(household_ids))
    with store.connection() as conn:
        if not ids or not projected(conn, "household_state"):
            return {}
        rows = conn.execute(
            "SELECT household_id, head_name_masked FROM household_state "
            "WHERE household_id = ANY(%s) AND head_name_masked IS NOT NULL",
            (ids,),
        ).fetchall()
    return {r["household_id"]: r["head_name_masked"] for r in rows}


def rejected_messages(store: EventStore, limit: int, after: int = 0) -> list[dict[str, Any]]:
    with store.connection() as conn:
        return conn.execute(  # type: ignore[no-any-return]
            'SELECT rejection_id, topic, partition, "offset", reason_code, reason, event_id, '
            "event_type, household_id, source_system, rejected_at, published_at, "
            "length(message_value) AS value_bytes FROM intake_rejected "
            "WHERE rejection_id > %s ORDER BY rejection_id LIMIT %s",
            (after, limit),
        ).fetchall()


def rejected_message(store: EventStore, rejection_id: int) -> dict[str, Any] | None:
    """One rejection with everything kept of it, the original bytes included."""
    with store.connection() as conn:
        row = conn.execute(
            "SELECT * FROM intake_rejected WHERE rejection_id = %s", (rejection_id,)
        ).fetchone()
    if row is None:
        return None
    row = dict(row)
    key = row.pop("message_key")
    row["key"] = bytes(key).decode("utf-8", "replace") if key is not None else None
    return row
