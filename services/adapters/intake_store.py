"""The intake's unit of work on PostgreSQL: the repeat check, the households (from a
bounded cache, or loaded for a whole batch in two queries), and a batch's events with its
bookkeeping — positions, accepted ids, repeats, rejections — in one transaction; and the
outbox of the rejected topic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from psycopg import Cursor
from psycopg.types.json import Jsonb

from services.adapters.eventstore import EventStore
from services.adapters.household_cache import HouseholdCache, LongLived
from services.adapters.storable import storable, text_array
from services.domain.household import Household
from services.usecases.intake.unit_of_work import IntakeRecord, OffsetGap, Seen, StaleBatch


class PostgresIntakeUnitOfWork:
    """One per worker: the cache outlives the batches; `record` and `commit` are per batch."""

    def __init__(self, store: EventStore, cache_size: int) -> None:
        self.store = store
        self.cache = HouseholdCache(cache_size)
        self.long_lived = LongLived()
        self._handed: dict[str, Household] = {}  # loaded from the store for this batch
        self._record: IntakeRecord | None = None
        self._gaps: dict[tuple[str, int], int] = {}

    def seen(self, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
        return accepted_events(self.store, event_ids)

    def households(self, household_ids: Iterable[str]) -> dict[str, Household]:
        found, missing = self.cache.take(household_ids)
        loaded = self.store.load_households(missing)
        found.update(loaded)
        self._handed = loaded  # the ones the cache does not hold yet
        return found

    def record(self, record: IntakeRecord) -> None:
        self._record = record

    def commit(self) -> None:
        record, self._record = self._record, None
        if record is None:
            return
        gaps = self._gaps
        try:
            self.store.save_batch(
                record.households, also=lambda curs: write_intake(curs, record, gaps)
            )
        except BaseException:
            # The aggregates handed out hold events that were not stored: forget them, and
            # let no later commit of this batch (a refusal's, with no households) put them
            # back in the cache.
            self.forget(h.household_id for h in record.households)
            self._handed = {}
            raise
        # the loaded ones and the registered ones join the cache
        self.cache.put_new([*self._handed.values(), *record.households])
        self._handed = {}
        self.long_lived.batch_done()

    def forget(self, household_ids: Iterable[str]) -> None:
        ids = list(household_ids)
        self.cache.evict(ids)
        for household_id in ids:
            self._handed.pop(household_id, None)

    def forget_all(self) -> None:
        """After a rebalance: another worker may write these households now."""
        self.cache.clear()

    def stored_positions(self, topic: str) -> dict[int, int]:
        return stored_positions(self.store, topic)

    def allow_gaps(self, gaps: dict[tuple[str, int], int]) -> None:
        self._gaps = dict(gaps)

    def unpublished_rejections(self, limit: int) -> list[dict[str, Any]]:
        return unpublished_rejections(self.store, limit)

    def mark_published(self, rejection_ids: list[int]) -> None:
        mark_published(self.store, rejection_ids)

    def release_rejections(self, rejection_ids: list[int]) -> None:
        release_rejections(self.store, rejection_ids)


def accepted_events(store: EventStore, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
    """Of these event ids, those accepted before."""
    ids = list(set(event_ids))
    if not ids:
        return {}
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT event_id, household_id, event_type, source_system, value_sha256 "
            "FROM intake_accepted WHERE event_id = ANY(%s::uuid[])",
            (text_array(ids),),  # (a list of UUIDs dumped by psycopg: 3 % of a batch)
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


def stored_positions(store: EventStore, topic: str) -> dict[int, int]:
    """partition → next offset to read, as committed with the events."""
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT partition, next_offset FROM intake_positions WHERE topic = %s", (topic,)
        ).fetchall()
    return {r["partition"]: r["next_offset"] for r in rows}


def unpublished_rejections(
    store: EventStore, limit: int, lease_seconds: float = 120.0
) -> list[dict[str, Any]]:
    """The outbox: rejections not yet on the rejected topic, oldest first, each leased to
    this caller (another worker, or a second drain of this one, skips them until the lease
    runs out: each rejection is published by one)."""
    with store.connection() as conn:
        rows = conn.execute(
            "UPDATE intake_rejected SET publishing_since = now() WHERE rejection_id IN ("
            "  SELECT rejection_id FROM intake_rejected WHERE published_at IS NULL"
            "  AND (publishing_since IS NULL"
            "       OR publishing_since < now() - make_interval(secs => %s))"
            "  ORDER BY rejection_id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING *",
            (lease_seconds, limit),
        ).fetchall()
    return sorted(rows, key=lambda r: r["rejection_id"])


def mark_published(store: EventStore, rejection_ids: list[int]) -> None:
    with store.connection() as conn:
        conn.execute(
            "UPDATE intake_rejected SET published_at = now() WHERE rejection_id = ANY(%s)",
            (rejection_ids,),
        )


def release_rejections(store: EventStore, rejection_ids: list[int]) -> None:
    """Give leased rejections back to the outbox (their publishing failed)."""
    with store.connection() as conn:
        conn.execute(
            "UPDATE intake_rejected SET publishing_since = NULL "
            "WHERE rejection_id = ANY(%s) AND published_at IS NULL",
            (rejection_ids,),
        )


def write_intake(
    curs: Cursor[Any], w: IntakeRecord, gaps_allowed: dict[tuple[str, int], int] | None = None
) -> None:
    """Advance the positions — only from exactly where they stand, or across a gap the
    worker confirmed (`gaps_allowed`) — and keep what the batch saw."""
    keys = list(w.positions)
    allowed = gaps_allowed or {}
    curs.execute(
        """
        WITH b AS (
            SELECT * FROM unnest(%s::text[], %s::int[], %s::bigint[], %s::bigint[], %s::bigint[])
                AS b(topic, partition, first_offset, next_offset, gap_from)
        )
        INSERT INTO intake_positions AS p (topic, partition, next_offset, updated_by)
        SELECT topic, partition, next_offset, %s FROM b
        WHERE b.first_offset = 0 OR b.gap_from = 0 OR EXISTS (
            SELECT 1 FROM intake_positions x WHERE x.topic = b.topic AND x.partition = b.partition)
        ON CONFLICT (topic, partition) DO UPDATE
            SET next_offset = EXCLUDED.next_offset, updated_at = now(),
                updated_by = EXCLUDED.updated_by
            WHERE EXISTS (
                SELECT 1 FROM b WHERE b.topic = p.topic AND b.partition = p.partition
                AND (b.first_offset = p.next_offset
                     OR (b.first_offset > p.next_offset AND b.gap_from = p.next_offset)))
        RETURNING p.topic, p.partition
        """,
        (
            [k[0] for k in keys],
            [k[1] for k in keys],
            [w.positions[k][0] for k in keys],
            [w.positions[k][1] for k in keys],
            [allowed.get(k, -1) for k in keys],
            w.worker,
        ),
    )
    moved = {(r["topic"], r["partition"]) for r in curs.fetchall()}
    if len(moved) != len(keys):
        _refuse_positions(curs, w, [k for k in keys if k not in moved])

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
                household_id, source_system)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
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
                    r.source_system,
                )
                for r in w.rejected
            ],
        )


def _refuse_positions(curs: Cursor[Any], w: IntakeRecord, keys: list[tuple[str, int]]) -> None:
    """Why these partitions' positions did not move: consumed already, or a gap."""
    curs.execute(
        "SELECT topic, partition, next_offset FROM intake_positions "
        "WHERE (topic, partition) IN (SELECT * FROM unnest(%s::text[], %s::int[]))",
        ([k[0] for k in keys], [k[1] for k in keys]),
    )
    stored = {(r["topic"], r["partition"]): r["next_offset"] for r in curs.fetchall()}
    if any(stored.get(k, 0) > w.positions[k][0] for k in keys):
        raise StaleBatch("a partition of the batch was consumed already; re-reading")
    raise OffsetGap({k: (stored.get(k, 0), w.positions[k][0]) for k in keys})
