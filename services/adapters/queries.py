"""Read queries for people: a household's state and history, the rejected messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import StoredEvent

from events.identity import mask_id_number
from services.adapters.eventstore import EventStore
from services.domain.household import household_uuid


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
    store: EventStore, household_id: str, mask: Callable[[Any], Any] | None = None
) -> list[dict[str, Any]]:
    """Every stored event of the household, from the event store itself, in order, each
    with the corrections that later retracted or amended it; its facts masked by `mask`
    (by default ID numbers, phones and bank accounts)."""
    return history_rows(household_events(store, household_id), mask)


def history_rows(
    events: list[tuple[int, Any]], mask: Callable[[Any], Any] | None = None
) -> list[dict[str, Any]]:
    """The history's rows of (position, event) pairs (see household_history)."""
    mask = mask or mask_personal
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
            "recorded_at": e.recorded_at,
            "stored_at": e.timestamp.isoformat(),
            "source_system": e.source_system,
            "actor": f"{e.actor_id} ({e.actor_role})",
            "attestation": e.attestation,
            "corrected_by": corrected.get(e.event_id, []),
            "facts": mask(e.facts),
        }
        for position, e in events
    ]


def mask_personal(facts: Any) -> Any:
    """The facts with ID numbers, phones and bank accounts masked, for lists shown to people."""
    if isinstance(facts, dict):
        return {k: _mask(k, v) for k, v in facts.items()}
    if isinstance(facts, list):
        return [mask_personal(v) for v in facts]
    return facts


def _mask(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return mask_personal(value)
    if key == "id_number":
        return mask_id_number(value)
    if key in ("phone", "bank_account"):
        return "*" * max(len(value) - 4, 0) + value[-4:]
    return value


def household_state(store: EventStore, household_id: str) -> dict[str, Any] | None:
    """The household's row of the household_state projection."""
    with store.connection() as conn:
        row = conn.execute(
            "SELECT * FROM household_state WHERE household_id = %s", (household_id,)
        ).fetchone()
    return dict(row) if row else None


def rejected_messages(store: EventStore, limit: int, after: int = 0) -> list[dict[str, Any]]:
    with store.connection() as conn:
        return conn.execute(  # type: ignore[no-any-return]
            'SELECT rejection_id, topic, partition, "offset", reason_code, reason, event_id, '
            "event_type, household_id, rejected_at, published_at, "
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
