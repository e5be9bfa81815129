"""Read queries for people: a household's state and history, the rejected messages."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import StoredEvent

from events.identity import mask_id_number
from services.domain.household import household_uuid
from services.store import EventStore


def household_history(store: EventStore, household_id: str) -> list[dict[str, Any]]:
    """Every stored event of the household, from the event store itself, in order."""
    with store.connection() as conn:
        rows = conn.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state "
            f"FROM {store.events_table} WHERE originator_id = %s ORDER BY originator_version",
            (household_uuid(household_id),),
        ).fetchall()
    history = []
    for row in rows:
        e = store.mapper.to_domain_event(
            StoredEvent(
                row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
            )
        )
        history.append(
            {
                "position": row["notification_id"],
                "version": e.originator_version,
                "event": type(e).__name__,
                "event_type": e.event_type,
                "event_id": e.event_id,
                "occurred_at": e.occurred_at,
                "recorded_at": e.recorded_at,
                "stored_at": e.timestamp.isoformat(),
                "source_system": e.source_system,
                "actor": f"{e.actor_id} ({e.actor_role})",
                "facts": mask_personal(e.facts),
            }
        )
    return history


def mask_personal(facts: Any) -> Any:
    """The facts with ID numbers masked, for lists shown to people."""
    if isinstance(facts, dict):
        return {
            k: mask_id_number(v) if k == "id_number" and isinstance(v, str) else mask_personal(v)
            for k, v in facts.items()
        }
    if isinstance(facts, list):
        return [mask_personal(v) for v in facts]
    return facts


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
