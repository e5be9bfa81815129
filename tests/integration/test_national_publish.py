"""The national import's publishing through the real broker: its messages, appended to a
batch per partition, land where a send per message would have put them (the producer's
default partitioner on the household's key), in their order within each household, every
one once, signed when a key is given."""

from __future__ import annotations

import asyncio
import random

from aiokafka import AIOKafkaConsumer
from aiokafka.partitioner import DefaultPartitioner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.adapters.attestation import sign
from services.adapters.kafka_topics import ensure_topics
from services.domain.national import NATIONAL_SYSTEM
from services.settings import Settings
from services.usecases.national.importing import publish


async def _consume(s: Settings, bootstrap: str, total: int) -> list[object]:
    consumer = AIOKafkaConsumer(
        s.intake_topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
        enable_auto_commit=False,
    )  # fmt: skip
    await consumer.start()
    found: list[object] = []
    try:
        async with asyncio.timeout(60):
            while len(found) < total:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    found.extend(records)
    finally:
        await consumer.stop()
    return found


async def test_batches_per_partition_keep_the_keys_partitions_and_order(
    settings: Settings, kafka_bootstrap: str
) -> None:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap})
    await ensure_topics(s, kafka_bootstrap)
    rng = random.Random(3)
    households = [f"61032610120{n:05d}" for n in range(40)]
    messages = []  # households interleaved, each one's messages numbered in its order
    seq = dict.fromkeys(households, 0)
    for _ in range(600):
        hid = rng.choice(households)
        seq[hid] += 1
        messages.append((hid, f'{{"h":"{hid}","n":{seq[hid]},"pad":"{"x" * 200}"}}'.encode()))
    key = Ed25519PrivateKey.generate()
    sent = await publish(s, messages, key, batch_bytes=4096)  # many batches per partition
    assert sent == len(messages)
    found = await _consume(s, kafka_bootstrap, len(messages))
    assert sorted((r.key.decode(), r.value) for r in found) == sorted(messages)  # each once
    partitions = sorted({r.partition for r in found} | set(range(s.intake_partitions)))
    assert len(partitions) == s.intake_partitions
    for r in found:
        assert r.partition == DefaultPartitioner()(r.key, partitions, partitions)
        assert list(r.headers) == sign(key, NATIONAL_SYSTEM, r.value)
    by_offset = sorted(found, key=lambda r: (r.partition, r.offset))
    for hid in households:
        mine = [r.value for r in by_offset if r.key.decode() == hid]
        assert mine == [v for h, v in messages if h == hid]
    assert len({r.partition for r in found}) > 1


async def test_nothing_to_publish_needs_no_broker() -> None:
    assert await publish(Settings(kafka_bootstrap="127.0.0.1:1"), []) == 0
