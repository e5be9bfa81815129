"""No event can stop a projection: text PostgreSQL cannot hold is escaped, and an event a
projection cannot apply is passed over with a record of why, the rest applied."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from psycopg_pool import ConnectionPool
from support import as_raw, count, intake, one_visit_fails, stored_event_count

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.eventstore import EventStore
from services.devtools.village import VillageScript, village_messages
from services.settings import Settings
from services.usecases.intake import edge

pytestmark = pytest.mark.integration


@pytest.fixture
def pool(settings: Settings) -> Iterator[ConnectionPool]:
    with projection_pool(settings) as p:
        yield p


def _runners(store: EventStore, pool: ConnectionPool) -> list[ProjectionRunner]:
    runners = [ProjectionRunner(store, pool, cls(), 50) for cls in PROJECTIONS.values()]
    for r in runners:
        r.setup()
    return runners


def _stored_before_the_edge_refused_nul(store: EventStore, monkeypatch: pytest.MonkeyPatch) -> str:
    """An event with NUL in its note and actor, as an older intake accepted it."""
    messages = village_messages("Q1")
    visit = next(m for m in messages if b'"visit_recorded"' in m.value and m.expect == "accepted")
    body = json.loads(visit.value)
    body["payload"]["findings"]["notes"] = "see \u0000 here"
    body["actor"]["person_id"] = "li\u0000"
    body["event_id"] = VillageScript("Q1X").envelope("visit_recorded", "x", "2025-01-01", {})[
        "event_id"
    ]
    poisoned = json.dumps(body).encode()
    monkeypatch.setattr(edge, "_inspect", lambda data, limits: None)
    intake(store, 100).process(
        as_raw([*messages, type(visit)(visit.key, poisoned, "accepted")], "events")
    )
    monkeypatch.undo()
    return str(body["event_id"])


def test_an_accepted_event_with_a_nul_does_not_stop_any_projection_and_reads_escaped(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = _stored_before_the_edge_refused_nul(store, monkeypatch)
    for r in _runners(store, pool):
        r.catch_up()
        assert r.skipped() == 0, r.projection.name
        assert r.position() == store.recorder.max_notification_id()
    assert count(store, "SELECT count(*) FROM audit_trail") == stored_event_count(store)
    with store.connection() as conn:
        row = conn.execute(
            "SELECT actor_id, payload FROM audit_trail WHERE event_id = %s", (event_id,)
        ).fetchone()
    assert row["actor_id"] == "li\\u0000"
    assert row["payload"]["findings"]["notes"] == "see \\u0000 here"
    rebuilt = ProjectionRunner(store, pool, PROJECTIONS["audit_trail"](), 50).rebuild()
    assert rebuilt == stored_event_count(store)


def test_an_event_a_projection_cannot_apply_is_skipped_on_the_record_and_the_rest_applied(
    store: EventStore, pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = village_messages("Q2")
    intake(store, 100).process(as_raw(messages, "events"))
    one_visit_fails(monkeypatch)
    runner = ProjectionRunner(store, pool, PROJECTIONS["household_state"](), 1000)
    runner.setup()
    assert runner.catch_up() == stored_event_count(store)

    assert runner.skipped() == 1
    assert count(store, "SELECT count(*) FROM household_state") == 5
    with store.connection() as conn:
        skipped = conn.execute("SELECT name, position, error FROM projection_skipped").fetchone()
    assert skipped["name"] == "household_state" and "a bug in one handler" in skipped["error"]

    monkeypatch.undo()  # fixed: a rebuild applies it, and forgets that it was skipped
    runner.rebuild()
    assert runner.skipped() == 0
