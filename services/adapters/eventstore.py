"""The event store: an eventsourcing Application on PostgreSQL, with batch loading and a
recorder that writes what its caller adds (the intake's bookkeeping) in the events' own
transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, get_topic
from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

from services.adapters.intake_schema import INTAKE_SCHEMA
from services.adapters.schema_lock import schema_lock
from services.domain import events as ev
from services.domain.compliance.ledger import LEDGER_TOPIC_PREFIX
from services.domain.household import Household, household_uuid
from services.settings import Settings

log = logging.getLogger("dixian.store")

Also = Callable[[Cursor[Any]], None]  # what a caller writes in the events' transaction


class BatchRecorder(PostgresApplicationRecorder):
    """Writes the events with one COPY, and what the caller adds (`also`) in the same
    transaction.

    Not in pipeline mode, unlike the library: a batch's large parameters and the server's
    results can fill both socket buffers at once, and then client and server each wait
    for the other (seen on a Unix socket with a 2,000-event batch).

    The library offers no public way to write in the events' transaction, so this relies on
    its private `_insert_events` (the hook its own process recorder uses), `_lock_table` and
    `_notify_channel`: tests/integration/test_eventstore_seams.py fails loudly if they
    change, and pyproject.toml pins eventsourcing to the minor release they were read in.
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
        also: Also | None = None,
        **kwargs: Any,
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        if also is not None:
            also(curs)


def _as_library(value: Any) -> Any:
    """The library's JSONTranscoder writes a datetime as {"_type_": "datetime_iso", ...}; a
    household event holds no other type outside JSON's (its facts are JSON-mode dumps):
    anything else is refused, so that the library's mapper encodes that event."""
    if type(value) is datetime:
        return {"_type_": "datetime_iso", "_data_": value.isoformat()}
    raise TypeError(type(value).__name__)


# The household's event classes (their stored topics): the ones the fast path encodes.
_FAST_TOPICS: dict[type[Any], str] = {
    c: get_topic(c)
    for c in vars(ev).values()
    if isinstance(c, type)
    and issubclass(c, ev.HouseholdEvent)
    and c is not ev.HouseholdEvent
    and getattr(c, "class_version", 1) == 1  # (an upcast one: the library's mapper)
}


def fast_stored(event: DomainEventProtocol[Any]) -> StoredEvent | None:
    """A household's event in the library's stored form (what its JSONTranscoder writes,
    so its readers decode it), transcoded by orjson at five times the speed; None for any
    other event, or one orjson refuses (a lone surrogate, an integer beyond 64 bits)."""
    topic = _FAST_TOPICS.get(type(event))
    if topic is None:
        return None
    state = dict(vars(event))
    originator_id = state.pop("originator_id")
    originator_version = state.pop("originator_version")
    stamp = state.get("timestamp")
    if type(stamp) is datetime:  # as `_as_library` would, without orjson calling back
        state["timestamp"] = {"_type_": "datetime_iso", "_data_": stamp.isoformat()}
    try:
        encoded = orjson.dumps(state, default=_as_library, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        return None
    return StoredEvent(originator_id, originator_version, topic, encoded)


_TOPIC_CLASSES = {topic: cls for cls, topic in _FAST_TOPICS.items()}


def plain_state(stored: StoredEvent) -> dict[str, Any] | None:
    """A household's stored event state as orjson reads it, its timestamp as the ISO text
    stored (what the library's mapper decodes, without the objects: for readers that need
    only the values); None for any other event, or one whose state holds a transcoded
    value other than its timestamp (left to the library)."""
    if stored.topic not in _TOPIC_CLASSES or stored.state.count(b'"_type_"') != 1:
        return None
    state = orjson.loads(stored.state)
    stamp = state.get("timestamp")
    if not isinstance(stamp, dict) or stamp.get("_type_") != "datetime_iso" or len(stamp) != 2:
        return None
    state["timestamp"] = stamp["_data_"]
    return state  # type: ignore[no-any-return]


def fast_domain_event(stored: StoredEvent) -> Any | None:
    """A household's stored event decoded as the library's mapper decodes it (the same
    object: its class, its `__dict__`), by orjson; None where `plain_state` is None."""
    state = plain_state(stored)
    if state is None:
        return None
    cls = _TOPIC_CLASSES[stored.topic]
    state["timestamp"] = datetime.fromisoformat(state["timestamp"])
    state["originator_id"] = stored.originator_id
    state["originator_version"] = stored.originator_version
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", state)
    return event


class EventStore(Application):
    """The households' event store (tables dixian_events and dixian_snapshots)."""

    name = "dixian"
    is_snapshotting_enabled = True

    def __init__(self, settings: Settings) -> None:
        env = settings.eventsourcing_env()
        env["APPLICATION_RECORDER_TOPIC"] = "services.adapters.eventstore:BatchRecorder"
        with schema_lock(settings):  # the library creates its tables in its constructor
            super().__init__(env=env)
            self._make_schema()
        self.snapshot_interval = settings.snapshot_interval

    def _make_schema(self) -> None:
        with self.connection() as conn:
            conn.execute(INTAKE_SCHEMA)  # read by many, so made with the store
            # The compliance ledger's events share the table: a partial index finds them
            # without reading the households' millions (and costs the intake nothing).
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self.events_table}_ledger ON {self.events_table} "
                f"(originator_id, originator_version) "
                f"WHERE topic LIKE '{LEDGER_TOPIC_PREFIX}%'"
            )

    def save_batch(self, households: Iterable[Household], also: Also | None = None) -> None:
        """Store the households' new events, and what `also` writes with the same cursor,
        in one transaction; then snapshot those whose new events crossed an interval.

        Application.save does the same per object, through protocol checks that cost more
        than the rest of a small event; a batch touches thousands of households.
        """
        touched = [(h, h.collect_events()) for h in households]
        stored = [self.to_stored(e) for _, events in touched for e in events]
        self.recorder.insert_events(stored, also=also)
        self._snapshot([h for h, events in touched if self._crossed(h.version, len(events))])

    def to_stored(self, event: DomainEventProtocol[Any]) -> StoredEvent:
        """A household's event by the fast path (`fast_stored`), anything else (or what
        it refuses) by the library's mapper, which raises as before."""
        fast = fast_stored(event) if self._plain_mapper else None
        return fast if fast is not None else self.mapper.to_stored_event(event)

    def decode(self, stored: StoredEvent) -> Any:
        """A stored event as its domain event: a household's by orjson, others by the
        library's mapper."""
        fast = fast_domain_event(stored) if self._plain_mapper else None
        return fast if fast is not None else self.mapper.to_domain_event(stored)

    def plain(self, stored: StoredEvent) -> dict[str, Any] | None:
        """A household's stored state as values (`plain_state`), or None: then `decode`."""
        return plain_state(stored) if self._plain_mapper else None

    @property
    def _plain_mapper(self) -> bool:
        return self.mapper.cipher is None and self.mapper.compressor is None

    def append(self, aggregates: Iterable[Aggregate]) -> int:
        """The aggregates' new events, in one transaction (IntegrityError if one of them was
        changed meanwhile by someone else: optimistic concurrency by version)."""
        stored = [self.mapper.to_stored_event(e) for a in aggregates for e in a.collect_events()]
        if stored:
            self.recorder.insert_events(stored)
        return len(stored)

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
            event = self.decode(
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
