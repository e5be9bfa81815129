"""The intake's batches against a real PostgreSQL: exactly once, nothing lost."""

from __future__ import annotations

import pytest
from support import (
    as_raw,
    count,
    expected_counts,
    intake,
    positions,
    rejected_count,
    snapshot,
    stored_event_count,
)

from services.adapters.eventstore import BatchRecorder, EventStore
from services.adapters.intake_store import (
    mark_published,
    release_rejections,
    unpublished_rejections,
)
from services.devtools.village import village_messages
from services.settings import Settings
from services.usecases.intake.unit_of_work import OffsetGap, RawMessage, StaleBatch

pytestmark = pytest.mark.integration


def test_a_batch_stores_accepted_events_and_keeps_each_rejected_message_with_bytes_and_reason(
    store: EventStore,
) -> None:
    messages = village_messages("R1")
    raw = as_raw(messages, "events")
    outcome = intake(store, 100).process(raw)

    want = expected_counts(messages)
    assert outcome.accepted == want["accepted"] == stored_event_count(store)
    assert outcome.duplicates == want["duplicate"]
    with store.connection() as conn:
        rows = conn.execute(
            'SELECT partition, "offset", message_key, message_value, reason_code, reason '
            "FROM intake_rejected"
        ).fetchall()
    kept = {(r["partition"], r["offset"]): r for r in rows}
    rejected = [
        (m, r)
        for m, r in zip(messages, raw, strict=True)
        if m.expect not in ("accepted", "duplicate")
    ]
    assert len(kept) == len(rejected) == rejected_count(messages)
    for message, record in rejected:
        row = kept[(record.partition, record.offset)]
        assert bytes(row["message_value"]) == message.value
        assert bytes(row["message_key"]) == message.key
        assert row["reason_code"] == message.expect
        assert row["reason"]


def test_a_redelivered_batch_changes_nothing(store: EventStore) -> None:
    raw = as_raw(village_messages("R2"), "events")
    intake(store, 100).process(raw)
    before = snapshot(store)

    with pytest.raises(StaleBatch):
        intake(store, 100).process(raw)  # a restarted worker, same messages
    with pytest.raises(StaleBatch):
        intake(store, 100).process(raw[5:9])  # a part of it, after a rebalance

    assert snapshot(store) == before


def test_a_repeated_event_id_at_a_new_offset_is_absorbed(store: EventStore) -> None:
    messages = village_messages("R3")
    raw = as_raw(messages, "events")
    processor = intake(store, 100)
    processor.process(raw)
    events = stored_event_count(store)
    first = raw[0]
    at = positions(store, "events")[first.partition]  # the partition's next offset
    resent = RawMessage("events", first.partition, at, first.key, first.value)

    outcome = intake(store, 100).process([resent])

    assert (outcome.accepted, outcome.duplicates) == (0, 1)
    assert stored_event_count(store) == events
    assert count(store, f'SELECT count(*) FROM intake_duplicates WHERE "offset" = {at}') == 1


def test_a_batch_that_starts_after_the_stored_position_stores_nothing_unless_the_gap_is_allowed(
    store: EventStore,
) -> None:
    raw = as_raw(village_messages("R9"), "events")
    head = [m for m in raw if m.partition == 0]
    intake(store, 100).process(head[:3])
    later = head[5:]  # offsets 3 and 4 were read by the client and lost
    with pytest.raises(OffsetGap) as gap:
        intake(store, 100).process(later)
    assert gap.value.gaps == {("events", 0): (3, 5)}
    assert positions(store, "events") == {0: 3}
    assert count(store, 'SELECT count(*) FROM intake_accepted WHERE "offset" >= 5') == 0
    # a reading from offset 3 that began at 5 too: the log holds nothing there
    processor = intake(store, 100)
    processor.uow.allow_gaps({("events", 0): 3})
    processor.process(later)
    assert positions(store, "events") == {0: head[-1].offset + 1}


class Crash(BaseException):
    """The process dying here (like SIGINT): nothing after this line runs."""


@pytest.mark.parametrize("restart", [True, False], ids=["after-restart", "same-worker"])
def test_a_crash_in_the_middle_of_a_batch_loses_and_duplicates_nothing(
    store: EventStore, monkeypatch: pytest.MonkeyPatch, restart: bool
) -> None:
    messages = village_messages("R4")
    raw = as_raw(messages, "events")
    processor = intake(store, 100)
    processor.process(raw[:10])
    before = snapshot(store)

    real = BatchRecorder._copy_events

    def insert_then_crash(self, curs, stored_events):  # type: ignore[no-untyped-def]
        real(self, curs, stored_events)  # the rows are written, not committed
        raise Crash

    monkeypatch.setattr(BatchRecorder, "_copy_events", insert_then_crash)
    with pytest.raises(Crash):
        processor.process(raw[10:])
    assert snapshot(store) == before  # the half-done batch left no trace

    monkeypatch.undo()
    worker = intake(store, 100) if restart else processor
    worker.process(raw[10:])

    want = expected_counts(messages)
    assert stored_event_count(store) == want["accepted"]
    assert count(store, "SELECT count(*) FROM intake_accepted") == want["accepted"]
    assert count(store, "SELECT count(*) FROM intake_rejected") == rejected_count(messages)


def test_any_split_into_batches_gives_the_same_households(settings: Settings) -> None:
    raw = as_raw(village_messages("R5"), "events")
    states = []
    for size in (1, 4, len(raw)):
        db = EventStore(settings)
        try:
            with db.connection() as conn:
                conn.execute(
                    f"TRUNCATE {db.events_table}, dixian_snapshots, intake_positions, "
                    "intake_accepted, intake_rejected, intake_duplicates"
                )
            processor = intake(db, 2)  # a tiny cache: households are reloaded
            for i in range(0, len(raw), size):
                processor.process(raw[i : i + size])
            ids = {m.key.decode() for m in raw if m.key}
            states.append({hid: _state(h) for hid, h in db.load_households(sorted(ids)).items()})
        finally:
            db.close()
    assert states[0] == states[1] == states[2]
    assert len(states[0]) == 5


def test_a_household_loaded_from_the_store_equals_the_one_built_in_memory(
    store: EventStore,
) -> None:
    raw = as_raw(village_messages("R6"), "events")
    processor = intake(store, 100)
    processor.process(raw)
    cached, _ = processor.uow.cache.take({m.key.decode() for m in raw if m.key})
    loaded = store.load_households(cached)
    assert {k: _state(v) for k, v in loaded.items()} == {k: _state(v) for k, v in cached.items()}


def _state(h: object) -> dict[str, object]:
    return {k: v for k, v in vars(h).items() if not k.startswith("_")} | {
        "version": h.version  # type: ignore[attr-defined]
    }


def test_a_household_loads_from_its_latest_snapshot_and_the_events_after_it(
    settings: Settings,
) -> None:
    store = EventStore(settings.model_copy(update={"snapshot_interval": 3}))
    try:
        raw = as_raw(village_messages("R7"), "events")
        processor = intake(store, 100)
        for i in range(0, len(raw), 2):
            processor.process(raw[i : i + 2])
        cached, _ = processor.uow.cache.take({m.key.decode() for m in raw if m.key})
        snapshots = count(store, "SELECT count(*) FROM dixian_snapshots")
        # H3 (a birth, visits, two corrections): ten events, the last after its snapshot
        h1 = next(h for h in cached.values() if h.version == 10)
        assert snapshots >= 5
        assert (
            count(
                store,
                "SELECT max(originator_version) FROM dixian_snapshots WHERE originator_id = %s",
                h1.id,
            )
            == 9
        )

        loaded = store.load_households(cached)

        assert {k: _state(v) for k, v in loaded.items()} == {
            k: _state(v) for k, v in cached.items()
        }
    finally:
        store.close()


def test_the_outbox_leases_each_rejection_to_one_drain_until_published_or_given_back(
    store: EventStore,
) -> None:
    intake(store, 100).process(as_raw(village_messages("R8"), "events"))
    first = unpublished_rejections(store, 500)
    assert len(first) == rejected_count(village_messages("R8"))
    assert unpublished_rejections(store, 500) == []  # a second worker's drain meanwhile
    release_rejections(store, [r["rejection_id"] for r in first[1:]])
    mark_published(store, [first[0]["rejection_id"]])
    again = unpublished_rejections(store, 500)
    assert [r["rejection_id"] for r in again] == [r["rejection_id"] for r in first[1:]]
    retaken = unpublished_rejections(store, 500, lease_seconds=0)  # a dead drain's lease
    assert [r["rejection_id"] for r in retaken] == [r["rejection_id"] for r in again]


def test_an_array_literal_holds_any_text_and_any_uuid(store: EventStore) -> None:
    from uuid import uuid4

    from services.adapters.storable import text_array

    texts = ["a", 'b"c', "d\\e", "x,y", "{}", " sp ", "", "NULL", "户编号"]
    ids = [uuid4() for _ in range(3)]
    with store.connection() as conn:
        row = conn.execute(
            "SELECT %s::text[] AS texts, %s::uuid[] AS ids", (text_array(texts), text_array(ids))
        ).fetchone()
    assert row["texts"] == texts
    assert row["ids"] == ids
