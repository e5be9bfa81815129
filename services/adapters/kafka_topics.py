"""Topic provisioning: the project creates its topics with their partition counts."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from services.adapters.kafka_security import kafka_kwargs
from services.settings import Settings

# Events are the record: kept forever, never deleted by time or size.
KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}


async def ensure_topics(settings: Settings, bootstrap: str) -> list[str]:
    """Create the intake topic, each producer's rejected topic and the checkpoint topic if
    missing; return those created. The checkpoint topic has one partition: the witnesses
    read the checkpoints in order (and the co-signature topic: a few messages a day)."""
    wanted = {
        settings.intake_topic: settings.intake_partitions,
        **dict.fromkeys(settings.rejected_topics().values(), 1),  # rejections are few
        settings.checkpoint_topic: 1,
        settings.cosignature_topic: 1,
    }
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **kafka_kwargs(settings))
    try:
        await asyncio.wait_for(admin.start(), settings.kafka_timeout_seconds)
        existing = set(await admin.list_topics())
        new = [
            NewTopic(
                t,
                num_partitions=partitions,
                replication_factor=settings.replication_factor,
                topic_configs=KEEP_FOREVER,
            )
            for t, partitions in wanted.items()
            if t not in existing
        ]
        if new:
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker was first
                await admin.create_topics(new)
        return [t.name for t in new]
    finally:
        await admin.close()


async def end_offsets(settings: Settings, bootstrap: str, topic: str) -> dict[int, int]:
    """partition → the offset after its last message, as the broker reports it (Tansu's
    answer is the start of its last batch: a lower bound there)."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, **kafka_kwargs(settings)
    )
    try:
        await asyncio.wait_for(consumer.start(), settings.kafka_timeout_seconds)
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            await consumer._client.force_metadata_update()  # the topic, not yet in metadata
            partitions = consumer.partitions_for_topic(topic) or set()
        ends = await asyncio.wait_for(
            consumer.end_offsets([TopicPartition(topic, p) for p in partitions]),
            settings.kafka_timeout_seconds,
        )
        return {tp.partition: offset for tp, offset in ends.items()}
    finally:
        await consumer.stop()
