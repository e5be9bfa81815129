"""Projections against a real PostgreSQL: positions, restarts, rebuilds."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from psycopg_pool import ConnectionPool
from support import as_raw, count, intake, stored_event_count

from projections.audit_trail import AuditTrail
from projections.household_state import HouseholdState
from projections.runner import PositionMoved, ProjectionRunner, projection_pool
from services.adapters.eventstore import EventStore
from services.adapters.places import registered_names
from services.adapters.queries import household_heads
from services.devtools.village import village_messages
from services.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def pool(settings: Settings) -> Iterator[ConnectionPool]:
    with projection_pool(settings) as p:
        yield p


def _runner(store: EventStore, pool: ConnectionPool, projection: Any, batch: int = 4):
    r = ProjectionRunner(store, pool, projection, batch)
    r.setup()
    return r


def _table(pool: ConnectionPool, table: str, key: str) -> list[tuple[Any, ...]]:
    with pool.connection() as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()


def test_a_rebuilt_projection_equals_the_live_one(store: EventStore, pool: ConnectionPool) -> None:
    raw = as_raw(village_messages("P1") + village_messages("P2"), "events")
    processor = intake(store, 100)
    runners = [_runner(store, pool, HouseholdState()), _runner(store, pool, AuditTrail())]
    for i in range(0, len(raw), 7):  # live: the projections follow the intake batch by batch
        processor.process(raw[i : i + 7])
        for r in runners:
            r.catch_up()
    live = [_table(pool, "household_state", "household_id"), _table(pool, "audit_trail", "1")]
    assert len(live[0]) == 10 and len(live[1]) == stored_event_count(store)

    for r in runners:
        assert r.rebuild() == stored_event_count(store)
    rebuilt = [_table(pool, "household_state", "household_id"), _table(pool, "audit_trail", "1")]
    assert rebuilt == live


def test_a_projection_resumes_from_its_position_after_a_restart(
    store: EventStore, pool: ConnectionPool
) -> None:
    intake(store, 100).process(as_raw(village_messages("P3"), "events"))
    first = _runner(store, pool, AuditTrail(), batch=5)
    first.run_once()
    first.run_once()
    assert first.position() > 0

    restarted = _runner(store, pool, AuditTrail(), batch=5)
    restarted.catch_up()

    total = stored_event_count(store)
    assert restarted.position() == store.recorder.max_notification_id()
    assert count(store, "SELECT count(*) FROM audit_trail") == total
    assert count(store, "SELECT count(DISTINCT position) FROM audit_trail") == total


def test_a_batch_computed_from_a_moved_position_writes_nothing(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake(store, 100).process(as_raw(village_messages("P4"), "events"))
    runner = _runner(store, pool, AuditTrail(), batch=5)
    runner.run_once()
    monkeypatch.setattr(runner, "position", lambda: 0)  # as if read before another runner moved

    with pytest.raises(PositionMoved):
        runner.run_once()
    assert count(store, "SELECT count(*) FROM audit_trail") == 5


def test_the_household_state_follows_the_lifecycle(store: EventStore, pool: ConnectionPool) -> None:
    intake(store, 100).process(as_raw(village_messages("P5"), "events"))
    _runner(store, pool, HouseholdState()).catch_up()
    with pool.connection() as conn:
        rows = conn.execute(
            "SELECT household_id, monitoring_status, member_count, open_case_step, "
            "safety_net_marked, measure_count, measures_verified FROM household_state "
            "ORDER BY household_id"
        ).fetchall()
    assert [r[1:] for r in rows] == [
        ("monitored", 2, None, False, 1, 1),  # identified, eliminated, reverted
        ("not_monitored", 1, None, False, 0, 0),  # lead dismissed
        ("not_monitored", 2, None, False, 0, 0),  # a birth
        ("monitored", 1, None, False, 1, 0),  # identified after an objection; mark removed
        ("monitored", 1, None, False, 0, 0),  # identified after a notice too short
    ]
    with pool.connection() as conn:
        named = conn.execute(
            "SELECT head_name_masked, county_name, township_name, village_name "
            "FROM household_state ORDER BY household_id"
        ).fetchall()
    # the head's name masked, never in full; none once the head died (no new head named)
    assert [r[0] for r in named] == ["王*国", "张*", "刘*", "赵*", None]
    assert set(named[0][1:]) == {"示范县", "青山镇", "柳湾村"}
    # what the ledgers read: the names registrations carried, heads in one query
    assert registered_names(store).names == {
        "610326": "示范县",
        "610326101": "青山镇",
        "610326101201": "柳湾村",
    }
    ids = [r[0] for r in rows]
    assert household_heads(store, [*ids, "not-a-household"]) == dict(
        zip(ids[:4], ["王*国", "张*", "刘*", "赵*"], strict=True)
    )


def test_a_projections_lag_counts_only_the_events_it_reads(
    store: EventStore, pool: ConnectionPool, settings: Settings
) -> None:
    from datetime import date

    from projections.problem_ledger import ProblemLedger
    from services.usecases.compliance.sweep import run_sweep

    intake(store, 100).process(as_raw(village_messages("G1"), "events"))
    households, problems = (
        _runner(store, pool, HouseholdState()),
        _runner(store, pool, ProblemLedger()),
    )
    households.catch_up()
    problems.catch_up()
    assert households.backlog() == problems.backlog() == 0
    outcome = run_sweep(store, date(2026, 6, 30), settings.compliance_params(), workers=1)
    assert outcome.raised > 0  # Problem and Sweep events were stored after the households'
    assert households.backlog() == 0  # none of them is household_state's lag
    assert problems.backlog() == outcome.raised  # each new problem is the ledger's
    problems.catch_up()
    assert problems.backlog() == 0
