"""Helpers shared by the integration and end-to-end tests."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import psycopg

from services.adapters.eventstore import EventStore
from services.adapters.intake_store import PostgresIntakeUnitOfWork, stored_positions
from services.devtools.embedded import with_database
from services.devtools.village import Message
from services.usecases.intake.batch import IntakeProcessor
from services.usecases.intake.unit_of_work import RawMessage


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A database of its own on the server, dropped afterwards: its URL."""
    name = f"dixian_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def as_raw(messages: list[Message], topic: str, partitions: int = 3) -> list[RawMessage]:
    """Place messages on partitions by key, with offsets, as a broker would."""
    next_offset = [0] * partitions
    raw = []
    for m in messages:
        p = zlib.crc32(m.key or b"") % partitions
        raw.append(RawMessage(topic, p, next_offset[p], m.key, m.value))
        next_offset[p] += 1
    return raw


def expected_counts(messages: list[Message]) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in messages:
        out[m.expect] = out.get(m.expect, 0) + 1
    return out


def rejected_count(messages: list[Message]) -> int:
    return sum(1 for m in messages if m.expect not in ("accepted", "duplicate"))


def count(store: EventStore, sql: str, *params: Any) -> int:
    with store.connection() as conn:
        row = conn.execute(sql, params).fetchone()
    return int(next(iter(row.values())))


def stored_event_count(store: EventStore) -> int:
    return count(store, f"SELECT count(*) FROM {store.events_table}")


def snapshot(store: EventStore) -> dict[str, Any]:
    """Everything the intake writes, to compare before and after."""
    with store.connection() as conn:
        return {
            "events": conn.execute(
                f"SELECT originator_id, originator_version, topic, state, notification_id "
                f"FROM {store.events_table} ORDER BY notification_id"
            ).fetchall(),
            "accepted": conn.execute(
                "SELECT event_id, household_id FROM intake_accepted ORDER BY event_id"
            ).fetchall(),
            "rejected": conn.execute(
                'SELECT topic, partition, "offset", reason_code, message_value '
                'FROM intake_rejected ORDER BY topic, partition, "offset"'
            ).fetchall(),
            "duplicates": conn.execute("SELECT count(*) AS n FROM intake_duplicates").fetchall(),
            "positions": conn.execute(
                "SELECT topic, partition, next_offset FROM intake_positions ORDER BY 1, 2"
            ).fetchall(),
        }


async def wait_until(predicate: Callable[[], Any], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if await asyncio.to_thread(predicate):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {predicate}")
        await asyncio.sleep(0.1)


def intake(store: EventStore, cache_size: int = 100, **kw: Any) -> IntakeProcessor:
    """The intake's batch processor on the store, as a worker has it (accepting the demo
    village's and the simulator's declared historical imports)."""
    kw.setdefault("historical_imports", frozenset({"*"}))
    return IntakeProcessor(PostgresIntakeUnitOfWork(store, cache_size), **kw)


def positions(store: EventStore, topic: str) -> dict[int, int]:
    return stored_positions(store, topic)


def ingest_village(settings: Any, run: str) -> None:
    """The demo village's messages of a run, through the intake into the test's store."""
    from services.adapters.eventstore import EventStore
    from services.devtools.village import village_messages

    store = EventStore(settings)
    try:
        intake(store, 100).process(as_raw(village_messages(run), settings.intake_topic))
    finally:
        store.close()


def one_visit_fails(monkeypatch: Any) -> None:
    """household_state's handler of visits fails on one visit of the demo village (a bug
    in one handler)."""
    from services.domain import timeline

    real = timeline.HANDLERS["VisitRecorded"]

    def fails_on_one(row: dict[str, Any], facts: dict[str, Any]) -> None:
        if facts["findings"]["notes"] == "income stable":  # one visit of the village
            raise ValueError("a bug in one handler")
        real(row, facts)

    monkeypatch.setitem(timeline.HANDLERS, "VisitRecorded", fails_on_one)
