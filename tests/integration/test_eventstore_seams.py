"""The event store's seams in eventsourcing: BatchRecorder overrides and calls private
methods of the library's PostgreSQL recorder (`_insert_events`, `_lock_table`,
`_notify_channel`), because the library has no public way to write more in the events'
own transaction. A minor release could change them silently; these tests fail loudly
instead. The pin (`eventsourcing>=9.5.6,<9.6` in pyproject.toml) keeps the version they
were written against: before moving it, read the new recorder and run these."""

from __future__ import annotations

import importlib.metadata
import inspect
import threading
from typing import Any

import psycopg
import pytest
from builders import decide_raw, meta, payload
from eventsourcing.postgres import PostgresApplicationRecorder

from services.adapters.eventstore import BatchRecorder, EventStore
from services.domain.household import Household
from services.domain.rules import LifecycleRules
from services.settings import Settings

pytestmark = pytest.mark.integration


def test_the_library_is_the_version_the_overrides_were_written_against() -> None:
    version = importlib.metadata.version("eventsourcing")
    assert version.startswith("9.5."), (
        f"eventsourcing {version}: BatchRecorder overrides private methods of 9.5's "
        "PostgresApplicationRecorder; read services/adapters/eventstore.py against the new "
        "recorder before moving the pin"
    )


@pytest.mark.parametrize(
    ("method", "parameters"),
    [
        ("_insert_events", ["self", "curs", "stored_events", "_"]),
        ("_lock_table", ["self", "curs"]),
        ("_notify_channel", ["self", "curs"]),
        ("insert_events", ["self", "stored_events", "kwargs"]),
    ],
)
def test_the_private_methods_we_call_keep_their_signature(
    method: str, parameters: list[str]
) -> None:
    signature = inspect.signature(getattr(PostgresApplicationRecorder, method))
    assert list(signature.parameters) == parameters, f"{method} changed: {signature}"


def test_the_library_still_inserts_through_insert_stored_events_with_lock_and_notify() -> None:
    # Our insert_events replaces the library's; it must still do what the library's
    # _insert_stored_events does around the rows: lock the table, then notify.
    source = inspect.getsource(PostgresApplicationRecorder._insert_stored_events)
    assert "self._lock_table(curs)" in source and "self._notify_channel(curs)" in source
    assert BatchRecorder.insert_events is not PostgresApplicationRecorder.insert_events


def test_lock_table_takes_an_exclusive_lock_on_the_events_table(store: EventStore) -> None:
    recorder: Any = store.recorder
    with store.connection() as conn, conn.transaction(), conn.cursor() as cur:
        recorder._lock_table(cur)
        cur.execute(
            "SELECT l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = %s AND l.pid = pg_backend_pid() AND l.granted",
            (store.events_table,),
        )
        modes = {r["mode"] for r in cur.fetchall()}
    assert "ExclusiveLock" in modes  # serializes writers: ids in commit order


def test_notify_channel_notifies_the_stores_channel_on_commit(
    store: EventStore, settings: Settings
) -> None:
    recorder: Any = store.recorder
    heard: list[str] = []
    with psycopg.connect(settings.pg_url or "", autocommit=True) as listener:
        listener.execute(f'LISTEN "{recorder.channel_name}"')
        with store.connection() as conn, conn.transaction(), conn.cursor() as cur:
            recorder._notify_channel(cur)
        for note in listener.notifies(timeout=10, stop_after=1):
            heard.append(note.channel)
    assert heard == [recorder.channel_name]


def test_insert_events_writes_what_the_caller_adds_in_the_events_transaction(
    store: EventStore,
) -> None:
    h = _registered("610326101201Z0001")
    seen: list[int] = []
    failing = threading.Event()

    def also(cur: Any) -> None:
        cur.execute("CREATE TABLE IF NOT EXISTS seam_probe (n int)")
        cur.execute("INSERT INTO seam_probe VALUES (1)")
        seen.append(1)
        if failing.is_set():
            raise RuntimeError("the caller's part fails")

    store.save_batch([h], also=also)
    with store.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM seam_probe").fetchone()["n"] == 1
    failing.set()
    h2 = _registered("610326101201Z0002")
    with pytest.raises(RuntimeError):
        store.save_batch([h2], also=also)
    with store.connection() as conn:  # neither the event nor the caller's row was kept
        assert conn.execute("SELECT count(*) AS n FROM seam_probe").fetchone()["n"] == 1
        events = conn.execute(f"SELECT count(*) AS n FROM {store.events_table}").fetchone()
    assert events["n"] == 1 and seen == [1, 1]


def _registered(household_id: str) -> Household:
    """A new household, decided as the intake decides it (tests/builders)."""
    return decide_raw(
        None,
        meta("household_registered", household_id),
        payload("household_registered"),
        LifecycleRules(),
    )
