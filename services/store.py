"""The event store: an eventsourcing Application on PostgreSQL, with batch loading and
a recorder that writes the intake's bookkeeping in the same transaction as the events."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from services.domain.compliance.ledger import LEDGER_TOPIC_PREFIX
from services.domain.household import Household, household_uuid
from services.settings import Settings
from services.storable import storable

log = logging.getLogger("dixian.store")

INTAKE_SCHEMA = """
CREATE TABLE IF NOT EXISTS intake_positions (
    topic text NOT NULL,
    partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
CREATE TABLE IF NOT EXISTS intake_accepted (
    event_id uuid PRIMARY KEY,
    household_id text NOT NULL,
    event_type text NOT NULL,
    source_system text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    accepted_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS intake_duplicates (
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    event_id uuid NOT NULL,
    seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, "offset")
);
CREATE TABLE IF NOT EXISTS intake_rejected (
    rejection_id bigserial PRIMARY KEY,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" bigint NOT NULL,
    message_key bytea,
    message_value bytea,
    headers jsonb NOT NULL DEFAULT '[]',
    reason_code text NOT NULL,
    reason text NOT NULL,
    event_id uuid,
    event_type text,
    household_id text,
    rejected_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    UNIQUE (topic, partition, "offset")
);
CREATE INDEX IF NOT EXISTS intake_rejected_unpublished
    ON intake_rejected (rejection_id) WHERE published_at IS NULL;
-- The SHA-256 of the accepted bytes: a repeat is absorbed only if it is the same message.
ALTER TABLE intake_accepted ADD COLUMN IF NOT EXISTS value_sha256 bytea;
-- Which worker last stored a batch of the partition (for operators, and the tests).
ALTER TABLE intake_positions ADD COLUMN IF NOT EXISTS updated_by text;
"""


class StaleBatch(Exception):
    """Some message of the batch was already consumed (a rebalance or a redelivery)."""


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A Kafka record as it arrived: the intake keeps its bytes whatever happens."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Rejection:
    message: RawMessage
    code: str
    reason: str
    event_id: UUID | None = None
    event_type: str | None = None
    household_id: str | None = None


@dataclass(frozen=True, slots=True)
class Accepted:
    """What the intake remembers of an accepted event (for repeats and corrections)."""

    event_id: UUID
    household_id: str
    event_type: str
    source_system: str
    message: RawMessage
    value_sha256: bytes | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """An event id the intake accepted before: whose it was, and a digest of its bytes
    (None for the rows written before digests were kept)."""

    household_id: str
    event_type: str
    source_system: str
    value_sha256: bytes | None


@dataclass(slots=True)
class IntakeWrite:
    """What one batch writes beside its events, in the same transaction."""

    positions: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    worker: str | None = None
    accepted: list[Accepted] = field(default_factory=list)
    duplicates: list[tuple[UUID, RawMessage]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def consumed(self, m: RawMessage) -> None:
        """Note a message as consumed: the batch owns [first, last] of its partition."""
        key = (m.topic, m.partition)
        first, _ = self.positions.get(key, (m.offset, m.offset))
        self.positions[key] = (min(first, m.offset), m.offset + 1)


class IntakeRecorder(PostgresApplicationRecorder):
    """Writes positions, event ids and rejections in the events' own transaction, and the
    events with one COPY.

    Not in pipeline mode, unlike the library: a batch's large parameters and the server's
    results can fill both socket buffers at once, and then client and server each wait
    for the other (seen on a Unix socket with a 2,000-event batch).
    """

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            if stored_events:
                # The table lock serializes writers, so notification ids are assigned in
                # commit order and tailing readers never skip an event.
                self._lock_table(curs)
                self._notify_channel(curs)
                self._copy_events(curs, stored_events)
        return None

    def _copy_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]) -> None:
        with curs.copy(
            f"COPY {self.events_table_name} (originator_id, originator_version, topic, state) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy:
            copy.set_types(["uuid", "int8", "text", "bytea"])
            for e in stored_events:
                copy.write_row((e.originator_id, e.originator_version, e.topic, e.state))

    def _insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        *,
        intake: IntakeWrite | None = None,
        **kwargs: Any,
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        if intake is not None:
            write_intake(curs, intake)


def write_intake(curs: Cursor[Any], w: IntakeWrite) -> None:
    """Advance the positions (only from where they stand) and keep what the batch saw."""
    keys = list(w.positions)
    curs.execute(
        """
        WITH b AS (
            SELECT * FROM unnest(%s::text[], %s::int[], %s::bigint[], %s::bigint[])
                AS b(topic, partition, first_offset, next_offset)
        )
        INSERT INTO intake_positions AS p (topic, partition, next_offset, updated_by)
        SELECT topic, partition, next_offset, %s FROM b
        ON CONFLICT (topic, partition) DO UPDATE
            SET next_offset = EXCLUDED.next_offset, updated_at = now(),
                updated_by = EXCLUDED.updated_by
            WHERE p.next_offset <= (
                SELECT b.first_offset FROM b
                WHERE b.topic = p.topic AND b.partition = p.partition)
        RETURNING p.topic
        """,
        (
            [k[0] for k in keys],
            [k[1] for k in keys],
            [w.positions[k][0] for k in keys],
            [w.positions[k][1] for k in keys],
            w.worker,
        ),
    )
    if len(curs.fetchall()) != len(keys):
        raise StaleBatch("a partition of the batch was consumed already; re-reading")
    if w.accepted:
        with curs.copy(
            "COPY intake_accepted (event_id, household_id, event_type, source_system, topic, "
            'partition, "offset", value_sha256) FROM STDIN (FORMAT BINARY)'
        ) as copy:
            copy.set_types(["uuid", "text", "text", "text", "text", "int4", "int8", "bytea"])
            for a in w.accepted:
                m = a.message
                copy.write_row(
                    (
                        a.event_id,
                        a.household_id,
                        a.event_type,
                        a.source_system,
                        m.topic,
                        m.partition,
                        m.offset,
                        a.value_sha256,
                    )
                )
    if w.duplicates:
        curs.executemany(
            'INSERT INTO intake_duplicates (topic, partition, "offset", event_id) '
            "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [(m.topic, m.partition, m.offset, eid) for eid, m in w.duplicates],
        )
    if w.rejected:
        curs.executemany(
            """
            INSERT INTO intake_rejected (topic, partition, "offset", message_key,
                message_value, headers, reason_code, reason, event_id, event_type,
                household_id)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (topic, partition, "offset") DO NOTHING
            """,
            [
                (
                    r.message.topic,
                    r.message.partition,
                    r.message.offset,
                    r.message.key,
                    r.message.value,
                    Jsonb([[storable(k), v.hex()] for k, v in r.message.headers]),
                    r.code,
                    storable(r.reason),
                    r.event_id,
                    storable(r.event_type) if r.event_type is not None else None,
                    storable(r.household_id) if r.household_id is not None else None,
                )
                for r in w.rejected
            ],
        )


class EventStore(Application):
    """The households' event store (tables dixian_events and dixian_snapshots)."""

    name = "dixian"
    is_snapshotting_enabled = True

    def __init__(self, settings: Settings) -> None:
        env = settings.eventsourcing_env()
        env["APPLICATION_RECORDER_TOPIC"] = "services.store:IntakeRecorder"
        super().__init__(env=env)
        self.snapshot_interval = settings.snapshot_interval
        with self.connection() as conn:
            conn.execute(INTAKE_SCHEMA)
            # The compliance ledger's events share the table: a partial index finds them
            # without reading the households' millions (and costs the intake nothing).
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self.events_table}_ledger ON {self.events_table} "
                f"(originator_id, originator_version) "
                f"WHERE topic LIKE '{LEDGER_TOPIC_PREFIX}%'"
            )

    def save_batch(self, households: Iterable[Household], intake: IntakeWrite) -> None:
        """Store the households' new events and the intake's bookkeeping in one transaction,
        then snapshot those whose new events crossed an interval.

        Application.save does the same per object, through protocol checks that cost more
        than the rest of a small event; a batch touches thousands of households.
        """
        touched = [(h, h.collect_events()) for h in households]
        stored = [self.mapper.to_stored_event(e) for _, events in touched for e in events]
        self.recorder.insert_events(stored, intake=intake)
        self._snapshot([h for h, events in touched if self._crossed(h.version, len(events))])

    def _crossed(self, version: int, new: int) -> bool:
        every = self.snapshot_interval
        return new > 0 and version // every > (version - new) // every

    def _snapshot(self, households: list[Household]) -> None:
        """A snapshot lets a household be loaded without its whole history, so a load costs
        the same after ten years as after one. Written after the events' transaction: a
        missing one only means a longer load."""
        if households and self.snapshots is not None:
            try:
                self.snapshots.put([Household.Snapshot.take(h) for h in households])
            except IntegrityError:  # another worker took the same one
                pass
            except Exception:  # the events are committed; never undo a batch for this
                log.exception("snapshots of %d households not taken", len(households))

    @property
    def events_table(self) -> str:
        return self.recorder.events_table_name  # type: ignore[attr-defined,no-any-return]

    def connection(self) -> Any:
        """A pooled connection (autocommit) of the store's own pool."""
        return self.recorder.datastore.get_connection()  # type: ignore[attr-defined]

    def load_households(self, household_ids: Iterable[str]) -> dict[str, Household]:
        """Load many households at once: their latest snapshots, then the events after them
        (two queries per batch, not one read per household)."""
        ids = {household_uuid(h): h for h in household_ids}
        if not ids:
            return {}
        snapshots_table = self.snapshots.recorder.events_table_name  # type: ignore[union-attr]
        with self.connection() as conn:
            snapshots = conn.execute(
                f"SELECT DISTINCT ON (originator_id) originator_id, originator_version, topic, "
                f"state FROM {snapshots_table} WHERE originator_id = ANY(%s) "
                f"ORDER BY originator_id, originator_version DESC",
                (list(ids),),
            ).fetchall()
            after = {r["originator_id"]: r["originator_version"] for r in snapshots}
            events = conn.execute(
                f"SELECT e.originator_id, e.originator_version, e.topic, e.state "
                f"FROM {self.events_table} e "
                f"JOIN unnest(%s::uuid[], %s::bigint[]) AS s(id, version) "
                f"ON e.originator_id = s.id AND e.originator_version > s.version "
                f"ORDER BY e.originator_id, e.originator_version",
                (list(ids), [after.get(i, 0) for i in ids]),
            ).fetchall()
        loaded: dict[str, Household] = {}
        for row in [*snapshots, *events]:
            event = self.mapper.to_domain_event(
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
            )
            hid = ids[row["originator_id"]]
            loaded[hid] = event.mutate(loaded.get(hid))  # type: ignore[assignment]
        return loaded

    def accepted_events(self, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
        """Of these event ids, those accepted before."""
        ids = list(set(event_ids))
        if not ids:
            return {}
        with self.connection() as conn:
            rows = conn.execute(
                "SELECT event_id, household_id, event_type, source_system, value_sha256 "
                "FROM intake_accepted WHERE event_id = ANY(%s::uuid[])",
                (ids,),
            ).fetchall()
        return {
            r["event_id"]: Seen(
                r["household_id"],
                r["event_type"],
                r["source_system"],
                bytes(r["value_sha256"]) if r["value_sha256"] is not None else None,
            )
            for r in rows
        }

    def stored_positions(self, topic: str) -> dict[int, int]:
        """partition → next offset to read, as committed with the events."""
        with self.connection() as conn:
            rows = conn.execute(
                "SELECT partition, next_offset FROM intake_positions WHERE topic = %s", (topic,)
            ).fetchall()
        return {r["partition"]: r["next_offset"] for r in rows}
