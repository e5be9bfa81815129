"""Reading the event store for the compliance engine: households' histories streamed one
household at a time (memory stays one household's), the ledger's aggregates, and saving
the ledger's new events in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, StoredEvent
from psycopg.rows import tuple_row

from services.adapters.eventstore import EventStore
from services.adapters.read_ahead import Put, read_ahead
from services.domain.compliance.facts import RecordedEvent
from services.domain.compliance.ledger import (
    LEDGER_TOPIC_PREFIX,
    LedgerViolation,
    NationalRun,
    Problem,
    Sweep,
)
from services.domain.events import TOPIC_PREFIX

HOUSEHOLD_TOPICS = f"{TOPIC_PREFIX}%"
PROBLEM_TOPICS = f"{LEDGER_TOPIC_PREFIX}Problem.%"
SWEEP_TOPICS = f"{LEDGER_TOPIC_PREFIX}Sweep.%"
NATIONAL_RUN_TOPICS = f"{LEDGER_TOPIC_PREFIX}NationalRun.%"
FETCH = 5000


def _cursor(
    store: EventStore, topics: str, columns: str, where: str = "", params: tuple[Any, ...] = ()
) -> Iterator[Any]:
    """Rows of the ledger's stored events whose topic matches, by aggregate then version,
    through a server-side cursor. The literal condition lets PostgreSQL use the ledger's
    partial index (EventStore): the households' millions of events are not scanned."""
    with (
        store.connection() as conn,
        conn.transaction(),
        conn.cursor(name="compliance_read") as cur,
    ):
        cur.itersize = FETCH
        cur.execute(
            f"SELECT {columns} FROM {store.events_table} "
            f"WHERE topic LIKE '{LEDGER_TOPIC_PREFIX}%%' AND topic LIKE %s {where} "
            "ORDER BY originator_id, originator_version",
            (topics, *params),
        )
        yield from cur


def _rows(
    store: EventStore, topics: str, where: str = "", params: tuple[Any, ...] = ()
) -> Iterator[Any]:
    """The matching stored events as the library's domain events."""
    columns = "originator_id, originator_version, topic, state"
    for r in _cursor(store, topics, columns, where, params):
        yield store.mapper.to_domain_event(
            StoredEvent(r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"]))
        )


def stored_histories(store: EventStore) -> Iterator[list[bytes]]:
    """Each household's stored events as their JSON bytes, in order, one household at a
    time, fetched by a thread a few chunks ahead."""
    current: list[bytes] = []
    owner = None
    for originator_id, state in _prefetched(store, HOUSEHOLD_TOPICS):
        if originator_id != owner and current:
            yield current
            current = []
        owner = originator_id
        current.append(state)
    if current:
        yield current


def decoded(history: list[bytes]) -> list[RecordedEvent]:
    """A household's stored JSON straight into what the checks need (the library's full
    decoding costs three times as much; orjson parses three times as fast as json)."""
    return [RecordedEvent.from_state(orjson.loads(state)) for state in history]


def _prefetched(store: EventStore, topics: str, chunk: int = 5000) -> Iterator[tuple[Any, bytes]]:
    """(originator id, state) of the matching events, read by a thread a few chunks ahead
    (the network wait overlaps the caller's work; memory stays a few chunks)."""

    def read(put: Put) -> None:
        # binary tuples, a chunk at a time: half the cost of text rows as dicts
        with (
            store.connection() as conn,
            conn.transaction(),
            conn.cursor(name="compliance_prefetch", row_factory=tuple_row, binary=True) as cur,
        ):
            # the transaction waits on its reader by design (four chunks ahead, no more):
            # a slow sweep on a busy machine must not be cut off as idle in it
            conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            cur.execute(
                f"SELECT originator_id, state FROM {store.events_table} WHERE topic LIKE %s "
                "ORDER BY originator_id, originator_version",
                (topics,),
            )
            while rows := cur.fetchmany(chunk):
                if not put(rows):
                    return

    for rows in read_ahead(read, depth=4, name="compliance-read"):
        yield from rows


def _fold(events: Iterable[Any]) -> dict[UUID, Any]:
    aggregates: dict[UUID, Any] = {}
    for event in events:
        aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
    return aggregates


def load_problems(store: EventStore, prefix: str | None = None) -> dict[UUID, Problem]:
    """Every problem of the ledger (or those whose id starts with `prefix`)."""
    if prefix:
        return _fold(
            _rows(store, PROBLEM_TOPICS, "AND originator_id::text LIKE %s", (f"{prefix}%",))
        )
    return _fold(_rows(store, PROBLEM_TOPICS))


def problems_at(store: EventStore, versions: dict[UUID, int]) -> dict[UUID, Problem]:
    """These problems, each as it stood at the given version, in one query."""
    rows = _rows(
        store,
        PROBLEM_TOPICS,
        "AND originator_id = ANY(%s) AND originator_version <= "
        "(SELECT v FROM unnest(%s::uuid[], %s::int[]) AS t(id, v) WHERE t.id = originator_id)",
        (list(versions), list(versions), list(versions.values())),
    )
    return _fold(rows)


def load_sweeps(store: EventStore) -> list[Sweep]:
    """Every sweep, oldest as-of day first (runs of one day in the order they ran)."""
    sweeps = list(_fold(_rows(store, SWEEP_TOPICS)).values())
    return sorted(sweeps, key=lambda s: (s.as_of, s.created_on))


def load_national_runs(store: EventStore) -> list[NationalRun]:
    """Every import and comparison of a national export recorded, in the order they ran."""
    runs: list[NationalRun] = list(_fold(_rows(store, NATIONAL_RUN_TOPICS)).values())
    return sorted(runs, key=lambda r: r.created_on)


def save(store: EventStore, aggregates: Iterable[Aggregate]) -> int:
    """The aggregates' new events, in one transaction; an aggregate changed meanwhile by
    someone else fails the whole write (optimistic concurrency by version)."""
    try:
        return store.append(aggregates)
    except IntegrityError:
        raise LedgerViolation(
            "LEDGER_CHANGED_MEANWHILE", "another sweep or command wrote first; nothing saved"
        ) from None
