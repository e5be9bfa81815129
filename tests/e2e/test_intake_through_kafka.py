"""Through a real Kafka-protocol broker: the intake service, the projections, the guarantees."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import (
    count,
    expected_counts,
    positions,
    rejected_count,
    stored_event_count,
    wait_until,
)

from events.catalog import EVENT_TYPES
from services.adapters.attestation import ProducerKeyring
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.adapters.queries import household_history
from services.devtools.demo import caught_up, publish, read_rejections
from services.devtools.village import VILLAGE, Message, village_messages
from services.domain.permissions import DEFAULT_PERMISSIONS
from services.entrypoints.intake_consumer import IntakeService
from services.entrypoints.runtime import serve
from services.settings import Settings

pytestmark = pytest.mark.e2e


@pytest.fixture
async def kafka_settings(settings: Settings, kafka_bootstrap: str) -> Settings:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap})
    await ensure_topics(s, kafka_bootstrap)
    return s


@pytest.fixture
async def store(kafka_settings: Settings) -> AsyncIterator[EventStore]:
    s = EventStore(kafka_settings)
    yield s
    s.close()


def _positions_reached(store: EventStore, topic: str, ends: dict[int, int]) -> bool:
    stored = positions(store, topic)
    return all(stored.get(p, 0) >= end for p, end in ends.items())


def _merge(a: dict[int, int], b: dict[int, int]) -> dict[int, int]:
    return {p: max(a.get(p, 0), b.get(p, 0)) for p in a.keys() | b.keys()}


async def test_the_village_through_kafka_ends_as_expected_and_rejections_are_published(
    kafka_settings: Settings, store: EventStore, tmp_path: Path
) -> None:
    keyring = ProducerKeyring(sorted(DEFAULT_PERMISSIONS))
    s = kafka_settings.model_copy(
        update={"producer_keys_file": keyring.write_public_keys(tmp_path / "keys.json")}
    )
    assert s.kafka_bootstrap
    messages = village_messages("K1")
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, s.kafka_bootstrap, stop))
    try:
        ends = await publish(s.kafka_bootstrap, s.intake_topic, messages, keyring)
        await wait_until(lambda: caught_up(store, s.intake_topic, ends))
    finally:
        stop.set()
        await services

    want = expected_counts(messages)
    assert stored_event_count(store) == want["accepted"]
    assert count(store, "SELECT count(*) FROM audit_trail") == want["accepted"]
    assert count(store, "SELECT count(*) FROM household_state") == 5
    on_topic = await read_rejections(s.kafka_bootstrap, s.rejected_topic, 0)
    rejected = sorted(m.expect for m in messages if m.expect not in ("accepted", "duplicate"))
    assert sorted(on_topic.values()) == rejected
    assert count(store, "SELECT count(*) FROM intake_rejected WHERE published_at IS NULL") == 0
    with store.connection() as conn:
        produced = {
            r["event_type"]
            for r in conn.execute("SELECT DISTINCT event_type FROM intake_accepted").fetchall()
        }
        h1 = conn.execute(
            "SELECT monitoring_status, eliminated_on, identified_on FROM household_state "
            "WHERE household_id = %s",
            (f"{VILLAGE}K1001",),
        ).fetchone()
    assert produced == set(EVENT_TYPES)  # every step of the lifecycle went through Kafka
    # lead → identification → measure → elimination → reversal: monitored again
    assert (h1["monitoring_status"], h1["eliminated_on"], str(h1["identified_on"])) == (
        "monitored",
        None,
        "2025-04-07",
    )
    history = household_history(store, f"{VILLAGE}K1001")
    steps = [h["event"] for h in history]
    assert steps[-3:] == ["TownshipReviewDone", "RiskEliminated", "RiskEliminationReverted"]
    # the source is the producer whose signature the intake verified, through Kafka's headers
    assert {(h["source_system"], h["attestation"]) for h in history} >= {
        ("medical_insurance", "signature:medical_insurance"),
        ("county_system", "signature:county_system"),
    }


async def _start_worker(s: Settings, store: EventStore) -> IntakeService:
    assert s.kafka_bootstrap
    worker = IntakeService.on_store(s, store, s.kafka_bootstrap)
    await worker.broker.start()
    return worker


async def test_a_worker_that_dies_before_committing_to_kafka_is_replaced_without_duplicates(
    kafka_settings: Settings, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = kafka_settings
    assert s.kafka_bootstrap
    first, second = village_messages("K2"), village_messages("K3")

    dying = await _start_worker(s, store)

    async def never_commits(batch: object) -> None:  # dies each time before Kafka's commit
        return None

    monkeypatch.setattr(dying, "_commit_copy", never_commits)
    ends = await publish(s.kafka_bootstrap, s.intake_topic, first)
    await wait_until(lambda: _positions_reached(store, s.intake_topic, ends))
    await dying.broker.stop()

    replacement = await _start_worker(s, store)
    try:
        ends = _merge(ends, await publish(s.kafka_bootstrap, s.intake_topic, second))
        await wait_until(lambda: _positions_reached(store, s.intake_topic, ends))
    finally:
        await replacement.broker.stop()

    accepted = expected_counts(first)["accepted"] + expected_counts(second)["accepted"]
    assert stored_event_count(store) == accepted
    assert count(store, "SELECT count(*) FROM intake_accepted") == accepted
    assert count(store, "SELECT count(*) FROM intake_rejected") == rejected_count(first + second)
    assert replacement.stats.retries == 0  # it resumed from the stored positions, not Kafka's


async def test_a_failing_batch_is_read_again_and_stored_once(
    kafka_settings: Settings, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = kafka_settings
    assert s.kafka_bootstrap
    messages = village_messages("K4")
    worker = await _start_worker(s, store)
    real = worker.processor.process
    failures = []

    def fail_once(batch):  # type: ignore[no-untyped-def]
        if not failures:
            failures.append(len(batch))
            raise ConnectionError("the database went away")
        return real(batch)

    monkeypatch.setattr(worker.processor, "process", fail_once)
    try:
        ends = await publish(s.kafka_bootstrap, s.intake_topic, messages)
        await wait_until(lambda: _positions_reached(store, s.intake_topic, ends))
    finally:
        await worker.broker.stop()

    assert failures and worker.stats.retries == 1
    assert stored_event_count(store) == expected_counts(messages)["accepted"]


def _stored_by(store: EventStore, topic: str) -> dict[int, str]:
    """partition → the worker that stored its latest batch."""
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT partition, updated_by FROM intake_positions WHERE topic = %s", (topic,)
        ).fetchall()
    return {r["partition"]: r["updated_by"] for r in rows}


async def test_two_workers_in_one_group_through_rebalances_lose_and_duplicate_nothing(
    kafka_settings: Settings, store: EventStore
) -> None:
    s = kafka_settings
    assert s.kafka_bootstrap
    waves: list[list[Message]] = [
        [m for run in range(w * 4, w * 4 + 4) for m in village_messages(f"W{run}")]
        for w in range(3)
    ]
    partitions = set(range(s.intake_partitions))
    a = await _start_worker(s, store)
    b: IntakeService | None = None
    ends: dict[int, int] = {}
    try:
        ends = await publish(s.kafka_bootstrap, s.intake_topic, waves[0])
        await wait_until(lambda: _positions_reached(store, s.intake_topic, ends), 90)
        b = await _start_worker(s, store)  # the group rebalances over the two workers
        await wait_until(
            lambda: (
                a.stats.assigned
                and b.stats.assigned  # type: ignore[union-attr]
                and a.stats.assigned | b.stats.assigned == partitions  # type: ignore[union-attr]
                and not a.stats.assigned & b.stats.assigned
            ),  # type: ignore[union-attr]
            60,
        )
        mine = {w.worker: set(w.stats.assigned) for w in (a, b)}
        ends = _merge(ends, await publish(s.kafka_bootstrap, s.intake_topic, waves[1]))
        await wait_until(lambda: _positions_reached(store, s.intake_topic, ends), 90)
        stored_by = _stored_by(store, s.intake_topic)
        # both took part: each stored the second wave of the partitions it was given
        for worker, assigned in mine.items():
            assert {p for p, w in stored_by.items() if w == worker} == assigned
        await a.broker.stop()  # and again, onto the one that is left
        ends = _merge(ends, await publish(s.kafka_bootstrap, s.intake_topic, waves[2]))
        await wait_until(lambda: _positions_reached(store, s.intake_topic, ends), 90)
        assert set(_stored_by(store, s.intake_topic).values()) == {b.worker}
    finally:
        await a.broker.stop()
        if b is not None:
            await b.broker.stop()

    everything = [m for wave in waves for m in wave]
    want = expected_counts(everything)
    assert stored_event_count(store) == want["accepted"]
    assert count(store, "SELECT count(DISTINCT event_id) FROM intake_accepted") == want["accepted"]
    assert count(store, "SELECT count(*) FROM intake_rejected") == rejected_count(everything)
    # the rebalances cost no failed batch: every batch was read from where the store stood
    assert (a.stats.retries, b.stats.retries) == (0, 0)
    assert (a.stats.stale, b.stats.stale) == (0, 0)


async def test_a_restarted_worker_finds_the_log_where_the_store_left_it_without_a_false_alarm(
    kafka_settings: Settings, store: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    s = kafka_settings
    assert s.kafka_bootstrap
    for run in ("B1", "B2"):  # two waves, a restart between: Tansu's end offsets lag
        worker = await _start_worker(s, store)
        try:
            ends = await publish(s.kafka_bootstrap, s.intake_topic, village_messages(run))
            await wait_until(lambda e=ends: _positions_reached(store, s.intake_topic, e))
        finally:
            await worker.broker.stop()
        assert worker.stats.halted == set()
    assert "POSITION_BEYOND_LOG_END" not in caplog.text


async def test_a_partition_whose_log_lost_what_the_store_holds_is_paused_and_the_rest_go_on(
    kafka_settings: Settings, store: EventStore, caplog: pytest.LogCaptureFixture
) -> None:
    s = kafka_settings
    assert s.kafka_bootstrap
    with store.connection() as conn:  # as if a new, empty cluster replaced the old one
        conn.execute(
            "INSERT INTO intake_positions (topic, partition, next_offset) VALUES (%s, 0, 500)",
            (s.intake_topic,),
        )
    worker = await _start_worker(s, store)
    try:
        messages = village_messages("B3")
        ends = await publish(s.kafka_bootstrap, s.intake_topic, messages)
        others = {p: end for p, end in ends.items() if p != 0}
        await wait_until(lambda: _positions_reached(store, s.intake_topic, others))
        await wait_until(lambda: worker.stats.halted == {0})
    finally:
        await worker.broker.stop()
    assert positions(store, s.intake_topic)[0] == 500  # nothing read there
    assert "POSITION_BEYOND_LOG_END" in caplog.text
    assert worker.stats.retries == 0  # paused: not read again and again
