"""Projections that can be checked: a projection edited in SQL behind its back is found by
comparing it with a rebuild in a shadow schema, row by row; a rebuild says so too, and puts
the rebuilt tables in place in one transaction, never leaving them empty."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from psycopg_pool import ConnectionPool
from support import as_raw, count, intake

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from projections.shadow import SHADOW_LOCK, ShadowRebuild
from services.adapters.eventstore import EventStore
from services.devtools.village import VILLAGE, village_messages
from services.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def projected(settings: Settings, store: EventStore) -> Iterator[ConnectionPool]:
    intake(store).process(as_raw(village_messages("S1"), "events"))
    with projection_pool(settings) as pool:
        for cls in PROJECTIONS.values():
            runner = ProjectionRunner(store, pool, cls(), 100)
            runner.setup()
            runner.catch_up()
        yield pool


def shadow(settings: Settings, store: EventStore, pool: ConnectionPool, name: str) -> ShadowRebuild:
    return ShadowRebuild(store, pool, settings.pg_url or "", PROJECTIONS[name](), 7)


@pytest.mark.parametrize("name", sorted(PROJECTIONS))
def test_an_untouched_projection_matches_its_rebuild(
    settings: Settings, store: EventStore, projected: ConnectionPool, name: str
) -> None:
    result = shadow(settings, store, projected, name).verify()
    assert result.ok, [str(d) for d in result.differences]
    assert result.position == store.recorder.max_notification_id()


@pytest.mark.parametrize("name", sorted(PROJECTIONS))
def test_a_rebuild_in_many_batches_read_ahead_matches_the_live_projection(
    settings: Settings,
    store: EventStore,
    projected: ConnectionPool,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("projections.shadow.REBUILD_BATCH", 7)  # (20,000: one batch here)
    result = shadow(settings, store, projected, name).rebuild()
    assert result.ok, [str(d) for d in result.differences]
    assert result.position == store.recorder.max_notification_id()
    assert shadow(settings, store, projected, name).verify().ok


def test_a_row_edited_in_sql_is_named_with_what_it_says_and_what_the_events_say(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    hid = f"{VILLAGE}S1001"
    with store.connection() as conn:
        conn.execute(
            "UPDATE household_state SET monitoring_status = 'risk_eliminated' "
            "WHERE household_id = %s",
            (hid,),
        )
    result = shadow(settings, store, projected, "household_state").verify()
    [difference] = result.differences
    assert (difference.table, difference.key) == ("household_state", hid)
    assert "monitoring_status='risk_eliminated' (rebuilt: 'monitored')" in str(difference)


def test_a_deleted_trail_row_is_named_as_missing(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    with store.connection() as conn:
        conn.execute("DELETE FROM audit_trail WHERE position = 5")
    [difference] = shadow(settings, store, projected, "audit_trail").verify().differences
    assert difference.key == "5" and "missing from the live table" in str(difference)


def test_a_row_added_in_sql_is_named_as_not_in_a_rebuild(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    with store.connection() as conn:
        conn.execute(
            "INSERT INTO audit_leaves SELECT leaf_index + 1000000, notification_id + 1000000, "
            "leaf_hash FROM audit_leaves WHERE leaf_index = 0"
        )
    [difference] = shadow(settings, store, projected, "audit_log").verify().differences
    assert (difference.table, difference.key) == ("audit_leaves", "1000000")
    assert "in the live table, not in a rebuild" in str(difference)


def test_a_table_without_its_primary_key_is_still_compared_row_by_row(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    with store.connection() as conn:  # (as a table altered by hand might be)
        conn.execute("ALTER TABLE audit_trail DROP CONSTRAINT audit_trail_pkey")
        conn.execute("UPDATE audit_trail SET actor_role = 'x' WHERE position = 5")
        conn.execute("DELETE FROM audit_trail WHERE position = 6")
    differences = shadow(settings, store, projected, "audit_trail").verify().differences
    assert sorted(d.key for d in differences) == ["5", "6"]
    assert "actor_role='x'" in str(next(d for d in differences if d.key == "5"))


def test_a_rebuild_reports_the_edit_it_undoes_and_is_never_empty_while_it_swaps(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    with store.connection() as conn:
        conn.execute("UPDATE household_state SET member_count = 99")
    rows = count(store, "SELECT count(*) FROM household_state")
    seen: list[int] = []
    done = threading.Event()

    def watch() -> None:  # a reader of the live table all along
        while not done.is_set():
            seen.append(count(store, "SELECT count(*) FROM household_state"))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        result = shadow(settings, store, projected, "household_state").rebuild()
    finally:
        done.set()
        watcher.join()
    assert len(result.differences) == rows  # every edited row reported
    assert min(seen) == rows  # never an empty window
    assert count(store, "SELECT count(*) FROM household_state WHERE member_count = 99") == 0
    assert shadow(settings, store, projected, "household_state").verify().ok


def test_a_second_verify_waits_for_the_shadow_schema_the_first_holds(
    settings: Settings, store: EventStore, projected: ConnectionPool
) -> None:
    results: list[bool] = []
    second = threading.Thread(
        target=lambda: results.append(
            shadow(settings, store, projected, "audit_trail").verify().ok
        ),
        daemon=True,
    )
    with psycopg.connect(settings.pg_url or "", autocommit=True) as first:
        first.execute("SELECT pg_advisory_lock(%s)", (SHADOW_LOCK,))  # a verify under way
        second.start()
        second.join(1.0)
        assert second.is_alive() and not results  # waiting, the schema not dropped under it
    second.join(120)
    assert results == [True]
