"""The audit trail: every accepted event with its global position, who, whence and when;
its payload with personal data masked (the full record is the event store's, read on the
record)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import orjson
from psycopg import Cursor

from services.adapters.storable import storable, storable_json
from services.domain.events import TOPIC_PREFIX
from services.domain.masking import PERSONAL, masked

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
    raw = True  # it reads the stored values; the event objects cost more than its rows
    topics = (TOPIC_PREFIX,)
    bulk_load = True  # reads none of its secondary indexes: a rebuild makes them last
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

    def apply(self, cur: Cursor[Any], events: Sequence[tuple[int, Any]], store: Any) -> None:
        # The stored records (raw): a household's state read as values, no event objects
        # (their making was a third of a rebuild); COPY: one round trip for the batch.
        with cur.copy(f"COPY audit_trail ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for position, n in events:
                s = store.plain(n)
                if s is None:  # what only the library decodes (an upcast, a cipher)
                    s = vars(store.decode(n))
                household, event_type, source, actor, role, attestation = storable_texts(
                    s["household_id"],
                    s["event_type"],
                    s["source_system"],
                    s["actor_id"],
                    s["actor_role"],
                    s["attestation"],
                )
                copy.write_row(
                    (
                        position,
                        household,
                        s["event_id"],
                        event_type,
                        n.topic[len(TOPIC_PREFIX) :],
                        s["schema_version"],
                        n.originator_version,
                        s["occurred_at"],
                        s["recorded_at"],
                        s["timestamp"],
                        source,
                        actor,
                        role,
                        attestation,
                        masked_json(s["facts"]),  # on the record only
                    )
                )


def storable_texts(*texts: str) -> tuple[str, ...]:
    """The texts made storable (services.adapters.storable), at one test for them all."""
    joined = "".join(texts)
    if joined.isascii() and "\x00" not in joined:
        return texts
    return tuple(storable(t) for t in texts)


# How a personal field's key appears in orjson's output (a string value cannot hold it:
# its quotes are escaped), so a payload without one is written as it is, unwalked.
_PERSONAL_KEY = re.compile(b'"(?:' + b"|".join(k.encode() for k in sorted(PERSONAL)) + b')":')


def masked_json(facts: Any) -> str:
    """The payload with its personal data masked, as text for a `jsonb` column: by orjson,
    walked for masking only if a personal field is in it; by the standard library's json
    whatever orjson refuses (a lone surrogate, an integer beyond 64 bits) or writes as a
    NUL, which `jsonb` cannot hold (services.adapters.storable)."""
    try:
        data = orjson.dumps(facts)
        if _PERSONAL_KEY.search(data):
            data = orjson.dumps(masked(facts))
    except (orjson.JSONEncodeError, TypeError):
        return storable_json(masked(facts), sort_keys=True)
    if b"\\u0000" in data:
        return storable_json(masked(facts), sort_keys=True)
    return data.decode()
