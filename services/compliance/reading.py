"""Reading the event store for the compliance engine: households' histories streamed one
household at a time (memory stays one household's), the ledger's aggregates, and saving
the ledger's new events in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from services.domain.compliance.ledger import Problem, Sweep
from services.domain.events import TOPIC_PREFIX
from services.store import EventStore

HOUSEHOLD_TOPICS = f"{TOPIC_PREFIX}%"
PROBLEM_TOPICS = "services.domain.compliance.ledger:Problem.%"
SWEEP_TOPICS = "services.domain.compliance.ledger:Sweep.%"
FETCH = 5000


def _rows(
    store: EventStore, topics: str, where: str = "", params: tuple[Any, ...] = ()
) -> Iterator[Any]:
    """Stored events whose topic matches, by aggregate then version, through a server-side
    cursor (a county's millions of events never sit in memory at once)."""
    with (
        store.connection() as conn,
        conn.transaction(),
        conn.cursor(name="compliance_read") as cur,
    ):
        cur.itersize = FETCH
        cur.execute(
            f"SELECT originator_id, originator_version, topic, state FROM {store.events_table} "
            f"WHERE topic LIKE %s {where} ORDER BY originator_id, originator_version",
            (topics, *params),
        )
        for r in cur:
            yield store.mapper.to_domain_event(
                StoredEvent(
                    r["originator_id"], r["originator_version"], r["topic"], bytes(r["state"])
                )
            )


def household_histories(store: EventStore) -> Iterator[list[Any]]:
    """Each household's stored events, in order, one household at a time."""
    current: list[Any] = []
    for event in _rows(store, HOUSEHOLD_TOPICS):
        if current and event.originator_id != current[0].originator_id:
            yield current
            current = []
        current.append(event)
    if current:
        yield current


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


def load_sweeps(store: EventStore) -> list[Sweep]:
    """Every sweep, oldest as-of day first (runs of one day in the order they ran)."""
    sweeps = list(_fold(_rows(store, SWEEP_TOPICS)).values())
    return sorted(sweeps, key=lambda s: (s.as_of, s.created_on))


def save(store: EventStore, aggregates: Iterable[Aggregate]) -> int:
    """The aggregates' new events, in one transaction; an aggregate changed meanwhile by
    someone else fails the whole write (optimistic concurrency by version)."""
    stored = [store.mapper.to_stored_event(e) for a in aggregates for e in a.collect_events()]
    if stored:
        store.recorder.insert_events(stored)
    return len(stored)
