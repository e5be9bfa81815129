"""Records the Kafka client itself stumbles on, through the real broker: a header key that
is not UTF-8 (Go clients can send one) is read as the Java client reads it, and neither its
partition nor the messages fetched with it from other partitions are lost."""

from __future__ import annotations

import asyncio
import struct

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.record.util import calc_crc32c
from support import count, positions, stored_event_count, wait_until

from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.devtools.demo import publish
from services.devtools.village import village_messages
from services.entrypoints.runtime import serve
from services.settings import Settings

pytestmark = pytest.mark.e2e


async def send_with_a_bad_header_key(
    bootstrap: str, topic: str, key: bytes, value: bytes, partition: int
) -> int:
    """One record batch of two records, the first with header key b"\\xff\\xfe"; the
    offset after them."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        batch = producer.create_batch()
        batch.append(key=key, value=value, timestamp=None, headers=[("ZZ", b"v")])
        batch.append(key=b"after", value=b"not json", timestamp=None, headers=[])
        raw = bytearray(batch._build())
        at = raw.find(b"ZZ")
        raw[at : at + 2] = b"\xff\xfe"
        struct.pack_into(">I", raw, 17, calc_crc32c(bytes(raw[21:])))  # the batch's CRC
        batch._buffer = bytes(raw)
        meta = await (await producer.send_batch(batch, topic, partition=partition))
        return int(meta.offset) + 2
    finally:
        await producer.stop()


async def test_a_header_key_that_is_not_utf8_stops_nothing_and_loses_nothing(
    settings: Settings, kafka_bootstrap: str
) -> None:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap})
    await ensure_topics(s, kafka_bootstrap)
    store = EventStore(s)
    registration, *rest = [m for m in village_messages("HK") if m.expect == "accepted"]
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop, projections=False))
    try:
        end = await send_with_a_bad_header_key(
            kafka_bootstrap, s.intake_topic, registration.key, registration.value, 0
        )
        ends = await publish(kafka_bootstrap, s.intake_topic, rest)
        ends[0] = max(ends.get(0, 0), end)
        await wait_until(
            lambda: all(positions(store, s.intake_topic).get(p, 0) >= e for p, e in ends.items()),
            90,
        )
        assert not services.done()
    finally:
        stop.set()
        await services
    records = sum(ends.values())
    accepted = count(store, "SELECT count(*) FROM intake_accepted")
    rejected = count(store, "SELECT count(*) FROM intake_rejected")
    duplicates = count(store, "SELECT count(*) FROM intake_duplicates")
    assert accepted + rejected + duplicates == records  # every offset accounted for
    assert count(store, "SELECT count(*) FROM intake_rejected WHERE reason_code = 'NOT_JSON'") == 1
    assert stored_event_count(store) == accepted  # the odd header's registration too
    with store.connection() as conn:
        kept = conn.execute(
            'SELECT count(*) AS n FROM intake_accepted WHERE partition = 0 AND "offset" = %s',
            (end - 2,),
        ).fetchone()["n"]
    assert kept == 1
