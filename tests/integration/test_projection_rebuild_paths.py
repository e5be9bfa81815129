"""A rebuild's own paths: the next batch read ahead in a thread (its failure raised where
the rebuild runs, the reader stopped), and the young generation collected seldom."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool
from support import as_raw, intake, stored_event_count

from projections.audit_trail import AuditTrail
from projections.runner import ProjectionRunner, projection_pool
from projections.shadow import ShadowRebuild
from services.adapters.eventstore import EventStore
from services.adapters.household_cache import REBUILD_YOUNG
from services.devtools.village import village_messages
from services.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def pool(settings: Settings) -> Iterator[ConnectionPool]:
    with projection_pool(settings) as p:
        yield p


def _runner(store: EventStore, pool: ConnectionPool, projection: Any, batch: int, **kw: Any):
    r = ProjectionRunner(store, pool, projection, batch, **kw)
    r.setup()
    return r


def _rows(pool: ConnectionPool) -> list[tuple[Any, ...]]:
    with pool.connection() as conn:
        return conn.execute("SELECT * FROM household_state ORDER BY household_id").fetchall()


def test_a_failed_read_ahead_is_raised_by_the_catch_up_and_its_reader_stopped(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake(store, 100).process(as_raw(village_messages("R1"), "events"))
    runner = _runner(store, pool, AuditTrail(), 5, reads_ahead=True)
    real, starts = runner._read, []

    def fails_on_the_second(start: int, upto: int | None) -> Any:
        starts.append(start)
        if len(starts) == 2:
            raise psycopg.OperationalError("the store went away")
        return real(start, upto)

    monkeypatch.setattr(runner, "_read", fails_on_the_second)
    with pytest.raises(psycopg.OperationalError, match="went away"):
        runner.catch_up()
    first = real(0, None)[-1].id
    assert starts == [0, first] and runner.position() == first  # the first batch applied
    assert not any(t.name == "audit_trail-read" for t in threading.enumerate())

    monkeypatch.undo()  # the store is back: the rest follows, read ahead
    assert runner.catch_up() == stored_event_count(store) - first
    assert runner.position() == store.recorder.max_notification_id()


def test_a_shadow_rebuild_collects_its_young_generation_seldom_while_it_runs(
    settings: Settings, store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake(store, 100).process(as_raw(village_messages("R2"), "events"))
    projection, seen = AuditTrail(), []
    apply = projection.apply

    def noting(cur: Any, events: Any, store: EventStore) -> None:
        seen.append(gc.get_threshold()[0])
        apply(cur, events, store)

    monkeypatch.setattr(projection, "apply", noting)
    assert ShadowRebuild(store, pool, settings.pg_url or "", projection, 7).rebuild().ok
    assert seen and min(seen) >= REBUILD_YOUNG > gc.get_threshold()[0]
