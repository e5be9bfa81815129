"""The intake service on faststream: batches from Kafka into the event store, exactly once.

Where we stand in each partition is stored in PostgreSQL with the events, in one
transaction; Kafka's committed offsets are only a copy for lag dashboards. On every
assignment the consumer seeks to the stored positions, so neither a crash, a redelivery
nor a rebalance loses or duplicates an event.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from faststream import AckPolicy, FastStream, NoCast
from faststream.kafka import KafkaBroker, KafkaMessage

from events.envelope import EventEnvelope
from events.rejection import RejectedMessage
from services.intake.batch import BatchOutcome, IntakeProcessor
from services.settings import Settings
from services.store import EventStore, RawMessage

log = logging.getLogger("dixian.intake")


@dataclass(slots=True)
class IntakeStats:
    """Running totals of one worker (the tables are the record; this is for humans)."""

    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    retries: int = 0
    published_rejections: int = 0
    assigned: set[int] = field(default_factory=set)

    def add(self, o: BatchOutcome) -> None:
        self.batches += 1
        self.accepted += o.accepted
        self.duplicates += o.duplicates
        self.rejected += sum(o.rejected.values())


class ResumeFromStore(ConsumerRebalanceListener):  # type: ignore[misc]
    """Seek every assigned partition to the position stored with the events."""

    def __init__(self, service: IntakeService) -> None:
        self.service = service

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        # Another worker may write these households now: our cached copies go stale.
        self.service.processor.cache.clear()
        self.service.stats.assigned -= {tp.partition for tp in revoked}

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.service.stats.assigned |= {tp.partition for tp in assigned}
        await self.service.seek_to_stored(assigned)


async def _raw_records(msg: Any) -> Any:
    # Keep the original records: a message that is not JSON must still reach the handler.
    return msg.raw_message


class IntakeService:
    """The broker, its subscriber and publisher, and the batch processor behind them."""

    def __init__(self, settings: Settings, store: EventStore, bootstrap: str) -> None:
        self.settings = settings
        self.store = store
        self.processor = IntakeProcessor(
            store,
            settings.aggregate_cache_size,
            settings.lifecycle_rules(),
            settings.permissions(),
            settings.producer_keys(),
        )
        self.stats = IntakeStats()
        self.broker = KafkaBroker(
            bootstrap,
            allow_auto_create_topics=False,
            enable_idempotence=False,
            acks="all",
            logger=log,
            log_level=logging.DEBUG,  # per-message lines are noise at INFO
        )
        self.rejected_publisher = self.broker.publisher(
            settings.rejected_topic,
            title="rejected",
            description="Every message the intake did not accept, with its reason code.",
            schema=RejectedMessage,
        )
        self.subscriber = self.broker.subscriber(
            settings.intake_topic,
            group_id=settings.intake_group,
            batch=True,
            max_records=settings.batch_max_records,
            batch_timeout_ms=settings.batch_timeout_ms,
            # Positions live in PostgreSQL; nothing is acknowledged to Kafka on our behalf.
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            listener=ResumeFromStore(self),
            decoder=_raw_records,
            title="household-events",
            description="Every event about a household; key = household_id.",
        )
        self.subscriber(self._handle)

    async def _handle(self, body: NoCast[list[EventEnvelope]], msg: KafkaMessage) -> None:
        records = msg.raw_message
        batch = [
            RawMessage(r.topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ()))
            for r in records
        ]
        try:
            outcome = await asyncio.to_thread(self.processor.process, batch)
        except Exception:
            # Nothing of the batch was stored: read again from the stored positions.
            log.exception("intake batch of %d failed; re-reading from stored positions", len(batch))
            self.stats.retries += 1
            self.processor.cache.clear()
            await self.seek_to_stored(self._consumer().assignment())
            await asyncio.sleep(0.5)
            return
        self.stats.add(outcome)
        await self.publish_rejections()
        await self._commit_copy(batch)

    def _consumer(self) -> AIOKafkaConsumer:
        consumer = self.subscriber.consumer
        assert consumer is not None, "the intake subscriber is not started"
        return consumer

    async def seek_to_stored(self, partitions: set[TopicPartition]) -> None:
        consumer = self._consumer()
        stored = await asyncio.to_thread(self.store.stored_positions, self.settings.intake_topic)
        ends = await consumer.end_offsets(list(partitions)) if partitions else {}
        fresh = []
        for tp in partitions:
            if tp.partition in stored:
                if stored[tp.partition] > ends.get(tp, 0):
                    # The broker lost messages the store has (a new cluster, a memory broker):
                    # reading on would skip or refuse events. An operator has to decide.
                    log.critical(
                        "POSITION_BEYOND_LOG_END: %s[%d] stored at %d, the log ends at %d",
                        tp.topic,
                        tp.partition,
                        stored[tp.partition],
                        ends.get(tp, 0),
                    )
                consumer.seek(tp, stored[tp.partition])
            else:
                fresh.append(tp)
        if fresh:
            await consumer.seek_to_beginning(*fresh)

    async def _commit_copy(self, batch: list[RawMessage]) -> None:
        """Copy the positions to Kafka for lag tools, only for this batch's partitions."""
        last: dict[TopicPartition, int] = {}
        for m in batch:
            tp = TopicPartition(m.topic, m.partition)
            last[tp] = max(last.get(tp, -1), m.offset + 1)
        try:
            await self._consumer().commit({tp: OffsetAndMetadata(o, "") for tp, o in last.items()})
        except Exception as e:  # a rebalance in between: harmless, the store has the truth
            log.info("offset copy to Kafka skipped: %s", e)

    async def publish_rejections(self, limit: int = 500) -> int:
        """Publish stored rejections not yet published (an outbox: at least once)."""
        rows = await asyncio.to_thread(self._unpublished, limit)
        for row in rows:
            message = RejectedMessage(
                rejection_id=row["rejection_id"],
                reason_code=row["reason_code"],
                reason=row["reason"],
                topic=row["topic"],
                partition=row["partition"],
                offset=row["offset"],
                key_base64=_b64(row["message_key"]),
                value_base64=_b64(row["message_value"]),
                event_id=str(row["event_id"]) if row["event_id"] else None,
                event_type=row["event_type"],
                household_id=row["household_id"],
                rejected_at=row["rejected_at"],
            )
            await self.rejected_publisher.publish(
                message,
                key=bytes(row["message_key"]) if row["message_key"] is not None else None,
                headers={"dixian-reason-code": row["reason_code"]},
            )
        if rows:
            await asyncio.to_thread(self._mark_published, [r["rejection_id"] for r in rows])
            self.stats.published_rejections += len(rows)
        return len(rows)

    def _unpublished(self, limit: int) -> list[dict[str, Any]]:
        with self.store.connection() as conn:
            return conn.execute(  # type: ignore[no-any-return]
                "SELECT * FROM intake_rejected WHERE published_at IS NULL "
                "ORDER BY rejection_id LIMIT %s",
                (limit,),
            ).fetchall()

    def _mark_published(self, ids: list[int]) -> None:
        with self.store.connection() as conn:
            conn.execute(
                "UPDATE intake_rejected SET published_at = now() WHERE rejection_id = ANY(%s)",
                (ids,),
            )

    @classmethod
    def declare(cls, settings: Settings) -> IntakeService:
        """The declarations alone (for the AsyncAPI document): no store, nothing connects."""
        return cls(settings, None, "localhost:9092")  # type: ignore[arg-type]

    def app(self) -> FastStream:
        app = FastStream(self.broker)
        app.after_startup(self.publish_rejections)
        return app


def _b64(value: bytes | memoryview | None) -> str | None:
    return None if value is None else base64.b64encode(bytes(value)).decode("ascii")
