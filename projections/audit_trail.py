"""The audit trail: every accepted event with its global position, who, whence and when;
its payload with personal data masked (the full record is the event store's, read on the
record)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from projections.runner import Positioned
from services.adapters.storable import storable, storable_json
from services.domain.masking import masked

COLUMNS = (
    "position",
    "household_id",
    "event_id",
    "event_type",
    "domain_event",
    "schema_version",
    "aggregate_version",
    "occurred_at",
    "recorded_at",
    "stored_at",
    "source_system",
    "actor_id",
    "actor_role",
    "attestation",
    "payload",
)


class AuditTrail:
    name = "audit_trail"
    tables = ("audit_trail",)
    ddl = """
    CREATE TABLE IF NOT EXISTS audit_trail (
        position bigint PRIMARY KEY,
        household_id text NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        event_type text NOT NULL,
        domain_event text NOT NULL,
        schema_version integer NOT NULL,
        aggregate_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        stored_at timestamptz NOT NULL,
        source_system text NOT NULL,
        actor_id text NOT NULL,
        actor_role text NOT NULL,
        attestation text NOT NULL,
        payload jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS audit_trail_household ON audit_trail (household_id, position);
    CREATE INDEX IF NOT EXISTS audit_trail_actor ON audit_trail (actor_id, position);
    CREATE INDEX IF NOT EXISTS audit_trail_source ON audit_trail (source_system, position);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: Any) -> None:
        # COPY: one round trip for the whole batch.
        with cur.copy(f"COPY audit_trail ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for position, e in events:
                copy.write_row(
                    (
                        position,
                        storable(e.household_id),
                        e.event_id,
                        storable(e.event_type),
                        type(e).__name__,
                        e.schema_version,
                        e.originator_version,
                        e.occurred_at,
                        e.recorded_at,
                        e.timestamp,
                        storable(e.source_system),
                        storable(e.actor_id),
                        storable(e.actor_role),
                        storable(e.attestation),
                        storable_json(masked(e.facts), sort_keys=True),  # on the record only
                    )
                )
