"""Hostile producers through the real broker: the intake stays alive, stores every valid
message around the hostile ones, keeps each hostile one with its bytes and a documented
code, and publishes each rejection once on the rejected topic (the largest as notices)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from typing import Any

import pytest
from hostile import hostile_messages
from support import count, expected_counts, positions, stored_event_count, wait_until

from events.catalog import CONTRACT_REASONS
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.devtools.demo import publish, rejected_records
from services.devtools.village import Message
from services.domain.errors import LIFECYCLE_REASONS
from services.entrypoints.runtime import serve
from services.settings import Settings

pytestmark = pytest.mark.e2e


async def produce(bootstrap: str, topic: str, messages: list[Message]) -> dict[int, int]:
    """partition → offset after the last message (messages of up to 8 MiB)."""
    return await publish(bootstrap, topic, messages, max_request_size=8 * 1024 * 1024)


def _reached(store: EventStore, topic: str, ends: dict[int, int]) -> bool:
    stored = positions(store, topic)
    return all(stored.get(p, 0) >= end for p, end in ends.items())


def _published(store: EventStore) -> bool:
    return count(store, "SELECT count(*) FROM intake_rejected WHERE published_at IS NULL") == 0


async def test_a_hostile_stream_through_kafka_leaves_the_intake_alive_and_everything_accounted(
    settings: Settings, kafka_bootstrap: str
) -> None:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap})
    await ensure_topics(s, kafka_bootstrap)
    first, second = hostile_messages("KH")
    store = EventStore(s)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop, projections=True))
    try:
        ends = await produce(kafka_bootstrap, s.intake_topic, first)
        await wait_until(lambda: _reached(store, s.intake_topic, ends), 90)
        ends = await produce(kafka_bootstrap, s.intake_topic, second)
        await wait_until(lambda: _reached(store, s.intake_topic, ends), 60)
        await wait_until(lambda: _published(store), 60)
        assert not services.done()  # alive
    finally:
        stop.set()
        await services

    everything = first + second
    want = expected_counts(everything)
    assert stored_event_count(store) == want["accepted"]
    assert count(store, "SELECT count(*) FROM intake_duplicates") == want["duplicate"]
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT rejection_id, reason_code, message_value FROM intake_rejected"
        ).fetchall()
    hostile = sorted(m.expect for m in everything if m.expect not in ("accepted", "duplicate"))
    assert sorted(r["reason_code"] for r in rows) == hostile
    assert {r["reason_code"] for r in rows} <= set(CONTRACT_REASONS) | set(LIFECYCLE_REASONS)
    sent = sorted(m.value or b"" for m in everything if m.expect not in ("accepted", "duplicate"))
    assert sorted(bytes(r["message_value"] or b"") for r in rows) == sent  # bytes kept

    on_topic = await rejected_records(kafka_bootstrap, s.rejected_topic)
    ids = [r.rejection_id for r in on_topic]
    assert sorted(ids) == sorted(r["rejection_id"] for r in rows)  # each once, none missing
    by_id: dict[int, Any] = {r["rejection_id"]: r for r in rows}
    notices = [r for r in on_topic if r.value_omitted]
    assert len(notices) == 3  # the 1, 2 and 5 MiB messages
    for r in on_topic:
        original = bytes(by_id[r.rejection_id]["message_value"] or b"")
        if r.value_omitted:
            assert r.value_base64 is None and r.value_bytes == len(original)
            assert r.value_sha256 == hashlib.sha256(original).hexdigest()
        else:
            assert base64.b64decode(r.value_base64 or "") == original
    # the projections kept up with everything that was accepted
    await asyncio.sleep(0)
    assert count(store, "SELECT count(*) FROM projection_skipped") == 0
    store.close()
