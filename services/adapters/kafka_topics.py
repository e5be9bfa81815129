"""Topic provisioning: the project creates its topics with their partition counts."""

from __future__ import annotations

import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from services.settings import Settings

# Events are the record: kept forever, never deleted by time or size.
KEEP_FOREVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}


async def ensure_topics(settings: Settings, bootstrap: str) -> list[str]:
    """Create the intake topic, each producer's rejected topic and the checkpoint topic if
    missing; return those created. The checkpoint topic has one partition: the witnesses
    read the checkpoints in order."""
    wanted = {
        settings.intake_topic: settings.intake_partitions,
        **dict.fromkeys(settings.rejected_topics().values(), 1),  # rejections are few
        settings.checkpoint_topic: 1,
    }
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
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
