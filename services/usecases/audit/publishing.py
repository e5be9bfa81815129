"""The checkpoints as the witnesses read them: each signed checkpoint with the proof that it
extends the one signed before it (RFC 9162 §2.1.4), exported to a file or published on the
checkpoint topic (an outbox: each once, in order, marked as it goes)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from aiokafka import AIOKafkaProducer

from services.adapters.audit_log import CHECKPOINT_COLUMNS, StoredTree, checkpoint_from_row
from services.adapters.eventstore import EventStore
from services.adapters.kafka_security import kafka_kwargs
from services.domain.audit.merkle import consistency_path
from services.settings import Settings

log = logging.getLogger("dixian.audit")


def checkpoint_messages(store: EventStore, unpublished_only: bool = False) -> list[dict[str, Any]]:
    """Every checkpoint (or the unpublished ones) with its consistency proof from the one
    before it; each message's `id` is the checkpoint's."""
    with store.connection() as conn, conn.cursor() as cur:
        columns = ", ".join(("checkpoint_id", "published_at", *CHECKPOINT_COLUMNS))
        cur.execute(f"SELECT {columns} FROM audit_checkpoints ORDER BY checkpoint_id")
        rows = cur.fetchall()
        tree = StoredTree(cur)
        messages, previous = [], None
        for row in rows:
            cp = checkpoint_from_row({k: row[k] for k in CHECKPOINT_COLUMNS})
            proof = None
            if previous is not None and 0 < previous["tree_size"] <= cp["tree_size"]:
                path = consistency_path(tree.subtree, previous["tree_size"], cp["tree_size"])
                proof = {"from_size": previous["tree_size"], "path": [h.hex() for h in path]}
            if not unpublished_only or row["published_at"] is None:
                messages.append(
                    {"id": row["checkpoint_id"], "checkpoint": cp, "consistency": proof}
                )
            previous = cp
    return messages


async def publish_checkpoints(settings: Settings, store: EventStore) -> int:
    """Publish the checkpoints not yet on the checkpoint topic, in order, each marked once
    the broker has it; return how many went out."""
    if settings.kafka_bootstrap is None:
        return 0
    messages = checkpoint_messages(store, unpublished_only=True)
    if not messages:
        return 0
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap, acks="all", **kafka_kwargs(settings)
    )
    sent = 0
    try:
        await asyncio.wait_for(producer.start(), settings.kafka_timeout_seconds)
        for m in messages:
            body = {k: v for k, v in m.items() if k != "id"}
            await producer.send_and_wait(
                settings.checkpoint_topic,
                json.dumps(body, ensure_ascii=False).encode(),
                key=settings.audit_origin.encode(),
            )
            with store.connection() as conn:
                conn.execute(
                    "UPDATE audit_checkpoints SET published_at = now() WHERE checkpoint_id = %s",
                    (m["id"],),
                )
            sent += 1
    finally:
        await producer.stop()
    log.info("published %d checkpoints to %s", sent, settings.checkpoint_topic)
    return sent
