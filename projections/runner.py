"""Runs a projection: reads the event store in batches from the projection's position and
writes the projection's rows and its new position in one transaction."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from typing import Any, Protocol

import psycopg
import psycopg.errors
from eventsourcing.persistence import Notification
from psycopg import Cursor
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool

from services.adapters.eventstore import EventStore
from services.adapters.read_ahead import Put, read_ahead
from services.adapters.schema_lock import make_schema
from services.adapters.storable import storable
from services.domain.events import TOPIC_PREFIX
from services.domain.household import Household
from services.settings import Settings

log = logging.getLogger("dixian.projections")

POSITIONS_DDL = """
CREATE TABLE IF NOT EXISTS projection_positions (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- An event a projection could not apply: it is passed over, never silently.
CREATE TABLE IF NOT EXISTS projection_skipped (
    name text NOT NULL,
    position bigint NOT NULL,
    error text NOT NULL,
    skipped_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, position)
);
"""

# Trouble of the system, not of an event: the batch is tried again as it is.
TRANSIENT: tuple[type[BaseException], ...] = (psycopg.OperationalError, psycopg.InterfaceError)

Positioned = tuple[int, Household.Event]


def transient(error: BaseException) -> bool:
    """Whether an error is the system's trouble (the batch to be tried again as it is)."""
    return isinstance(error, TRANSIENT) and not isinstance(
        error, psycopg.errors.ProgramLimitExceeded
    )


def _like_prefix(text: str) -> str:
    """A LIKE pattern matching what starts with `text` (its wildcards escaped)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@contextmanager
def projection_pool(settings: Settings) -> Iterator[ConnectionPool]:
    pool = ConnectionPool(
        settings.pg_url or "",
        min_size=1,
        max_size=4,
        open=True,
        timeout=settings.pg_connect_timeout_seconds,
        kwargs={"connect_timeout": settings.pg_connect_timeout_seconds},
    )
    try:
        yield pool
    finally:
        pool.close()


class _StorePool:
    """The store's own connections, shaped as a pool for a runner (for one-off catch-ups
    where no projection pool is at hand)."""

    def __init__(self, store: EventStore) -> None:
        self.store = store

    @contextmanager
    def connection(self) -> Iterator[Any]:
        with self.store.connection() as conn:
            factory, conn.row_factory = conn.row_factory, tuple_row  # as a runner reads rows
            try:
                yield conn
            finally:
                conn.row_factory = factory


@contextmanager
def store_pool(store: EventStore) -> Iterator[Any]:
    yield _StorePool(store)


class Projection(Protocol):
    """A read model: its tables, and how a batch of events changes them."""

    name: str
    tables: Sequence[str]
    ddl: str

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: EventStore) -> None:
        """Write the batch's changes with `cur` (the store only for what the batch lacks)."""


class Reporter(Protocol):
    """What long work tells about itself (services.adapters.progress.Progress)."""

    def update(self, done: int, total: int | None = None) -> None: ...


class PositionMoved(Exception):
    """Another runner (or a rebuild) moved the position while this batch was computed."""


class ProjectionRunner:
    def __init__(
        self,
        store: EventStore,
        pool: ConnectionPool,
        projection: Projection,
        batch_size: int,
        reads_ahead: bool = False,
    ) -> None:
        self.store = store
        self.pool = pool
        self.projection = projection
        self.batch_size = batch_size
        self.caught_up_at: float | None = None  # when it last had nothing left to read
        # A rebuild's runner reads the next batch in a thread while this one is applied.
        self.reads_ahead = reads_ahead

    def reads_raw(self) -> bool:
        """Whether the projection reads the stored records rather than decoded events."""
        return bool(getattr(self.projection, "raw", False))

    def reads_all(self) -> bool:
        """Whether it reads every stored record, whatever its topic (a raw one naming no
        topics: the audit log)."""
        return self.reads_raw() and not hasattr(self.projection, "topics")

    def topics(self) -> tuple[str, ...]:
        """The topic prefixes of the events it reads (households' by default)."""
        return tuple(getattr(self.projection, "topics", (TOPIC_PREFIX,)))

    def backlog(self, position: int | None = None) -> int:
        """Events after its position that the projection reads (its lag): a Problem's or a
        Sweep's event is no lag of household_state."""
        at = self.position() if position is None else position
        table = self.store.events_table
        with self.pool.connection() as conn:
            if self.reads_all():
                row = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE notification_id > %s", (at,)
                ).fetchone()
            else:
                row = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE notification_id > %s "
                    "AND topic LIKE ANY(%s)",
                    (at, [_like_prefix(t) for t in self.topics()]),
                ).fetchone()
        return int(row[0]) if row else 0

    def setup(self) -> None:
        with self.pool.connection() as conn:
            make_schema(conn, POSITIONS_DDL, self.projection.ddl)
            conn.execute(
                "INSERT INTO projection_positions (name) VALUES (%s) ON CONFLICT DO NOTHING",
                (self.projection.name,),
            )

    def position(self) -> int:
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT position FROM projection_positions WHERE name = %s",
                (self.projection.name,),
            ).fetchone()
        return int(row[0]) if row else 0

    def run_once(self, upto: int | None = None) -> int:
        """Apply the next batch (no further than position `upto`); return how many events it
        held (0: caught up)."""
        start = self.position()
        if upto is not None and start >= upto:
            return 0
        return self._commit(start, self._read(start, upto))

    def _ahead(self, upto: int | None) -> Iterator[int]:
        """`run_once` batch after batch, the next batch read by a thread while this one is
        applied (the read's wait on the database overlaps the batch's work); yields each
        batch's count."""
        start = self.position()
        if upto is not None and start >= upto:
            return
        with self._read_ahead(start, upto) as batches:
            for batch in batches:  # (a failed batch stops the reader: `closing`)
                yield self._commit(start, batch)
                start = batch[-1].id

    def _read_ahead(self, start: int, upto: int | None) -> closing[Iterator[list[Notification]]]:
        """The batches after `start` (up to `upto`), each read by a thread while the one
        before is worked on."""

        def read(put: Put) -> None:
            at = start
            while batch := self._read(at, upto):
                if not put(batch):
                    return
                at = batch[-1].id

        return closing(read_ahead(read, depth=1, name=f"{self.projection.name}-read"))

    def _commit(self, start: int, notifications: list[Notification]) -> int:
        """Apply a batch read after position `start` and move the position past it, in one
        transaction; return its count."""
        if not notifications:
            return 0
        events = self._events(notifications)
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(
                "UPDATE projection_positions SET position = %s, updated_at = now() "
                "WHERE name = %s AND position = %s",
                (notifications[-1].id, self.projection.name, start),
            )
            if cur.rowcount != 1:
                raise PositionMoved(self.projection.name)
            if events:
                self._apply(cur, events)
        return len(notifications)

    def _events(self, notifications: list[Notification]) -> list[tuple[int, Any]]:
        """The (position, record or event) pairs of a batch the projection reads."""
        topics = self.topics()
        if self.reads_all():  # every stored record
            return [(n.id, n) for n in notifications]
        if self.reads_raw():  # the stored records of its topics
            return [(n.id, n) for n in notifications if n.topic.startswith(topics)]
        # the events of the topics the projection reads (households' by default)
        return [(n.id, self.store.decode(n)) for n in notifications if n.topic.startswith(topics)]

    def _read(self, start: int, upto: int | None) -> list[Notification]:
        """The next batch of stored records after `start` (up to `upto`), in one binary
        read: the library's reader builds a dict per row and costs more than the rows.
        The bound `upto` is applied here: in the query it made the planner sort the whole
        range up to it for each batch."""
        table = self.store.events_table
        with (
            self.store.connection() as conn,
            conn.cursor(binary=True, row_factory=tuple_row) as cur,
        ):
            cur.execute(
                "SELECT notification_id, originator_id, originator_version, topic, state "
                f"FROM {table} WHERE notification_id > %s ORDER BY notification_id LIMIT %s",
                (start, self.batch_size),
            )
            rows = cur.fetchall()
        return [
            Notification(id=i, originator_id=o, originator_version=v, topic=t, state=bytes(b))
            for i, o, v, t, b in rows
            if upto is None or i <= upto
        ]

    def _apply(self, cur: Cursor[Any], events: Sequence[Any]) -> None:
        """Apply the events; if they fail, split them until the one that fails is found,
        record it as skipped (with the error) and apply the others. Each try runs in a
        savepoint, so a failed one leaves nothing behind."""
        try:
            with cur.connection.transaction():
                self.projection.apply(cur, events, self.store)  # type: ignore[arg-type]
        except Exception as e:
            if transient(e):
                raise
            self._split(cur, events, e)

    def _split(self, cur: Cursor[Any], events: Sequence[Any], error: Exception) -> None:
        if len(events) > 1:
            mid = len(events) // 2
            self._apply(cur, events[:mid])
            self._apply(cur, events[mid:])
            return
        position = events[0][0]
        log.error(
            "projection %s cannot apply the event at position %d (%s: %s); it is skipped "
            "and recorded in projection_skipped",
            self.projection.name,
            position,
            type(error).__name__,
            error,
        )
        cur.execute(
            "INSERT INTO projection_skipped (name, position, error) VALUES (%s, %s, %s) "
            "ON CONFLICT (name, position) DO UPDATE SET error = EXCLUDED.error, "
            "skipped_at = now()",
            (self.projection.name, position, storable(f"{type(error).__name__}: {error}")[:2000]),
        )

    def skipped(self) -> int:
        """How many events this projection passed over."""
        with self.pool.connection() as conn:
            row = conn.execute(
                "SELECT count(*) FROM projection_skipped WHERE name = %s",
                (self.projection.name,),
            ).fetchone()
        return int(row[0]) if row else 0

    def catch_up(self, upto: int | None = None, progress: Reporter | None = None) -> int:
        """Apply batches until the store has nothing newer (or position `upto` is reached);
        return the events applied (reporting the position and the store's head to
        `progress` after each batch)."""
        total = 0
        head = 0
        if progress is not None:  # where it will stop: `upto`, or the store's head now
            head = upto if upto is not None else (self.store.recorder.max_notification_id() or 0)
        while True:
            batches = (
                self._ahead(upto) if self.reads_ahead else iter(lambda: self.run_once(upto), 0)
            )
            try:
                for n in batches:
                    total += n
                    if progress is not None:
                        at = self.position()
                        head = max(head, at)
                        progress.update(at, head)
            except PositionMoved:
                continue
            return total

    def run_until(self, stop: threading.Event, poll_seconds: float) -> None:
        """Tail the store until asked to stop; after a failure, wait longer each time."""
        self.setup()
        failures = 0
        while not stop.is_set():
            try:
                if failures:
                    self.setup()  # the database may have come back empty-handed
                caught_up = self.catch_up() == 0
                self.caught_up_at = time.time()
                if caught_up:
                    stop.wait(poll_seconds)
                failures = 0
            except Exception:
                failures += 1
                delay = min(30.0, 0.5 * 2 ** (failures - 1))
                log.exception(
                    "projection %s failed a batch (%d in a row); retrying in %.1f s",
                    self.projection.name,
                    failures,
                    delay,
                )
                stop.wait(delay)

    def rebuild(self, progress: Reporter | None = None) -> int:
        """Empty the projection and replay every event from the store."""
        self.setup()
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(f"TRUNCATE {', '.join(self.projection.tables)}")
            conn.execute("DELETE FROM projection_skipped WHERE name = %s", (self.projection.name,))
            conn.execute(
                "UPDATE projection_positions SET position = 0, updated_at = now() WHERE name = %s",
                (self.projection.name,),
            )
        return self.catch_up(progress=progress)
