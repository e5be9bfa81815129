"""A rebuild folded in memory (projections.folding): household_state's rows kept across the
batches and committed with the position every so many events make the same table as the
runner that reads and merges them each batch — after several commits, after an event it
cannot apply, after a commit that fails to write, and after a failure midway, resumed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg_pool import ConnectionPool
from support import as_raw, intake, one_visit_fails, stored_event_count

from projections.folding import FoldingRunner
from projections.household_state import Folded, HouseholdState
from projections.runner import ProjectionRunner, projection_pool
from projections.shadow import ShadowRebuild
from services.adapters.eventstore import EventStore
from services.devtools.village import village_messages
from services.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def pool(settings: Settings, store: EventStore) -> Iterator[ConnectionPool]:
    intake(store, 100).process(as_raw(village_messages("F1"), "events"))  # (with corrections)
    with projection_pool(settings) as p:
        yield p


def _rows(pool: ConnectionPool) -> list[tuple[Any, ...]]:
    with pool.connection() as conn:
        return conn.execute("SELECT * FROM household_state ORDER BY household_id").fetchall()


def _empty(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        conn.execute("TRUNCATE household_state, projection_skipped")
        conn.execute("UPDATE projection_positions SET position = 0")


def _per_batch(store: EventStore, pool: ConnectionPool, upto: int | None = None) -> list[Any]:
    """The table as the runner that reads and merges each batch of 7 makes it."""
    runner = ProjectionRunner(store, pool, HouseholdState(), 7)
    runner.setup()
    _empty(pool)
    runner.catch_up(upto)
    return _rows(pool)


def _folding(store: EventStore, pool: ConnectionPool, every: int = 20) -> FoldingRunner:
    runner = FoldingRunner(store, pool, HouseholdState(), 7, commit_every=every)
    runner.setup()
    return runner


class Positions:
    def __init__(self) -> None:
        self.seen: list[int] = []

    def update(self, done: int, total: int | None = None) -> None:
        self.seen.append(done)


def test_a_folded_rebuild_commits_every_so_many_events_and_makes_the_same_rows(
    store: EventStore, pool: ConnectionPool
) -> None:
    runner = _folding(store, pool)
    positions = Positions()
    assert runner.catch_up(progress=positions) == stored_event_count(store)
    folded = _rows(pool)
    assert len(positions.seen) > 2  # committed more than once, and at the end
    assert positions.seen[-1] == store.recorder.max_notification_id()
    assert len(folded) == 5 and folded == _per_batch(store, pool)

    runner.folded.rows = {
        h: r | {"last_visit_on": "2999-01-01"} for h, r in (runner.folded.rows or {}).items()
    }
    runner.rebuild()  # emptied and replayed: the rows in memory forgotten too
    assert _rows(pool) == folded


def test_an_event_that_cannot_be_folded_is_skipped_on_the_record_as_by_the_per_batch_runner(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    one_visit_fails(monkeypatch)
    expected = _per_batch(store, pool)
    _empty(pool)
    runner = _folding(store, pool)
    assert runner.catch_up() == stored_event_count(store)
    assert runner.skipped() == 1
    assert _rows(pool) == expected
    assert runner.position() == store.recorder.max_notification_id()


def test_a_commit_that_fails_to_write_is_applied_again_batch_by_batch(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _per_batch(store, pool)
    _empty(pool)
    real, calls = Folded.write, []

    def fails_once(self: Folded, cur: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("a value the table refuses")
        real(self, cur)

    monkeypatch.setattr(Folded, "write", fails_once)
    runner = _folding(store, pool)
    assert runner.catch_up() == stored_event_count(store)
    assert len(calls) > 2 and runner.skipped() == 0
    assert _rows(pool) == expected


def _failing(real: Any, call: int) -> Any:
    """`real`, but its `call`-th call fails as a lost connection does."""
    calls = []

    def fails_once(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == call:
            raise psycopg.OperationalError("the server went away")
        return real(*args)

    return fails_once


@pytest.mark.parametrize("fails", ["fold", "_read"])
def test_a_rebuild_that_fails_midway_holds_the_rows_of_its_position_and_resumes(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    expected = _per_batch(store, pool)
    batches = -(-stored_event_count(store) // 7)
    for failing in range(2, batches + 1):  # whichever batch fails
        _empty(pool)
        runner = _folding(store, pool)
        where = runner.folded if fails == "fold" else runner  # a fold, or a read ahead
        monkeypatch.setattr(where, fails, _failing(getattr(where, fails), failing))
        with pytest.raises(psycopg.OperationalError, match="went away"):
            runner.catch_up()
        stopped, rows = runner.position(), _rows(pool)
        assert runner.folded.rows is None  # what it folded after the commit: forgotten
        runner.catch_up()  # resumed by the same runner
        assert _rows(pool) == expected, failing
        assert _per_batch(store, pool, stopped) == rows, failing  # the rows are the position's
    monkeypatch.undo()


def test_a_shadow_rebuild_of_household_state_folds_and_matches_the_live_projection(
    settings: Settings, store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = ProjectionRunner(store, pool, HouseholdState(), 100)
    live.setup()
    live.catch_up()
    monkeypatch.setattr("projections.shadow.REBUILD_BATCH", 7)
    monkeypatch.setattr("projections.folding.REBUILD_COMMIT", 20)
    writes = []
    real = FoldingRunner._write
    monkeypatch.setattr(FoldingRunner, "_write", lambda s, a, b: writes.append(b) or real(s, a, b))
    projection = HouseholdState()
    result = ShadowRebuild(store, pool, settings.pg_url or "", projection, 7).verify()
    assert result.ok, [str(d) for d in result.differences]
    assert len(writes) > 2 and writes[-1] == store.recorder.max_notification_id()
