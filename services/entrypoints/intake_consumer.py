"""The intake service on faststream: batches from Kafka into the event store, exactly once.

Where we stand in each partition is stored in PostgreSQL with the events, in one
transaction; Kafka's committed offsets are only a copy for lag dashboards. On every
assignment the consumer seeks to the stored positions, so neither a crash, a redelivery
nor a rebalance loses or duplicates an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import OffsetAndMetadata
from faststream import AckPolicy, FastStream, NoCast
from faststream.kafka import KafkaBroker, KafkaMessage, Topic

from events.envelope import EventEnvelope
from events.rejection import RejectedMessage
from services.adapters import kafka_records, metrics
from services.adapters.eventstore import EventStore
from services.adapters.intake_store import PostgresIntakeUnitOfWork
from services.adapters.kafka_security import kafka_kwargs, kafka_security
from services.entrypoints.consume_guard import ConsumeLoopGuard
from services.entrypoints.rejection_outbox import RejectionOutbox
from services.settings import Settings
from services.usecases.intake.batch import BatchOutcome, IntakeProcessor
from services.usecases.intake.unit_of_work import (
    IntakeUnitOfWork,
    OffsetGap,
    RawMessage,
    StaleBatch,
)

log = logging.getLogger("dixian.intake")


@dataclass(slots=True)
class IntakeStats:
    """Running totals of one worker (the tables are the record; this is for humans)."""

    batches: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    retries: int = 0  # batches that failed as a whole and were read again
    stale: int = 0  # batches another worker (or an earlier delivery) had stored already
    splits: int = 0  # times a batch was split to isolate a message the store refused
    published_rejections: int = 0
    assigned: set[int] = field(default_factory=set)
    halted: set[int] = field(default_factory=set)  # partitions paused: the log lost events

    def add(self, o: BatchOutcome, seconds: float) -> None:
        self.batches += 1
        self.accepted += o.accepted
        self.duplicates += o.duplicates
        self.rejected += sum(o.rejected.values())
        self.splits += o.split
        for (outcome, code, source), n in o.by_source.items():
            metrics.INTAKE_MESSAGES.labels(outcome, code, source).inc(n)
        metrics.INTAKE_BATCH_SECONDS.observe(seconds)


class ResumeFromStore(ConsumerRebalanceListener):  # type: ignore[misc]
    """Seek every assigned partition to the position stored with the events."""

    def __init__(self, service: IntakeService) -> None:
        self.service = service

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        # A batch being stored finishes first: its positions are then the stored ones that
        # the next assignment seeks to, so no batch is delivered twice after a rebalance.
        async with self.service.storing:
            pass
        # Another worker may write these households now: our cached copies go stale.
        self.service.uow.forget_all()
        self.service.stats.assigned -= {tp.partition for tp in revoked}
        self.service.stats.halted -= {tp.partition for tp in revoked}
        metrics.INTAKE_PARTITIONS_HALTED.set(len(self.service.stats.halted))
        for tp in revoked:
            with contextlib.suppress(KeyError):
                metrics.INTAKE_CONSUMER_LAG.remove(tp.topic, str(tp.partition))
        log.info("partitions revoked", extra={"partitions": sorted(p.partition for p in revoked)})

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.service.stats.assigned |= {tp.partition for tp in assigned}
        log.info("partitions assigned", extra={"partitions": sorted(p.partition for p in assigned)})
        await self.service.seek_to_stored(assigned)


async def _raw_records(msg: Any) -> Any:
    # Keep the original records: a message that is not JSON must still reach the handler.
    return msg.raw_message


class IntakeService:
    """The broker, its subscriber and publisher, and the batch processor behind them."""

    def __init__(self, settings: Settings, uow: IntakeUnitOfWork, bootstrap: str) -> None:
        kafka_records.install()  # a header key not UTF-8 must not stop a partition
        self.settings = settings
        # Who stores a batch, in intake_positions: the configured instance, or this process.
        self.worker = settings.intake_instance_id or (
            f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        )
        self.uow = uow
        self.processor = IntakeProcessor(
            self.uow,
            settings.lifecycle_rules(),
            settings.permissions(),
            settings.producer_keys(),
            settings.edge_limits(),
            worker=self.worker,
            historical_imports=settings.historical_imports,
        )
        self.stats = IntakeStats()
        self.bootstrap = bootstrap
        self.storing = asyncio.Lock()  # held while a batch is being stored
        self._failures = 0  # batches failed in a row: the backoff grows with them
        # (topic, partition) → the stored offset re-read from after a gap in a batch
        self._gaps_read: dict[tuple[str, int], int] = {}
        self.broker = KafkaBroker(
            bootstrap,
            enable_idempotence=False,
            acks="all",
            security=kafka_security(settings),
            request_timeout_ms=int(settings.kafka_timeout_seconds * 1000),
            logger=log,
            log_level=logging.DEBUG,  # per-message lines are noise at INFO
        )
        # Each producer's rejections on its own topic: it reads those, never another's.
        self.rejected_publishers = {
            source: self.broker.publisher(
                topic,
                title=f"rejected.{source}",
                description=f"The messages of {source} the intake did not accept, with "
                "their reason codes (`unattributed`: unsigned and unreadable, for operators).",
                schema=RejectedMessage,
            )
            for source, topic in settings.rejected_topics().items()
        }
        self.outbox = RejectionOutbox(settings, uow, self.rejected_publishers)
        self.subscriber = self.broker.subscriber(
            # The topics are ours to provision (services.adapters.kafka_topics, before the
            # broker starts): the subscriber only connects, and has no warning to give.
            Topic(settings.intake_topic, declare=False),
            group_id=settings.intake_group,
            batch=True,
            max_records=settings.batch_max_records,
            batch_timeout_ms=settings.batch_timeout_ms,
            # Positions live in PostgreSQL; nothing is acknowledged to Kafka on our behalf.
            ack_policy=AckPolicy.MANUAL,
            auto_offset_reset="earliest",
            group_instance_id=settings.intake_instance_id,
            session_timeout_ms=settings.intake_session_timeout_ms,
            heartbeat_interval_ms=max(settings.intake_session_timeout_ms // 4, 250),
            max_partition_fetch_bytes=max(1024 * 1024, settings.max_message_bytes * 2),
            listener=ResumeFromStore(self),
            decoder=_raw_records,
            title="household-events",
            description="Every event about a household; key = household_id.",
        )
        self.subscriber(self._handle)
        self.fetch_guard = ConsumeLoopGuard(self.subscriber)

    @classmethod
    def on_store(cls, settings: Settings, store: EventStore, bootstrap: str) -> IntakeService:
        """A worker on the event store: its unit of work on PostgreSQL."""
        return cls(
            settings, PostgresIntakeUnitOfWork(store, settings.aggregate_cache_size), bootstrap
        )

    async def _handle(self, body: NoCast[list[EventEnvelope]], msg: KafkaMessage) -> None:
        records = msg.raw_message
        batch = [
            RawMessage(r.topic, r.partition, r.offset, r.key, r.value, tuple(r.headers or ()))
            for r in records
        ]
        async with self.storing:
            started = time.perf_counter()
            try:
                outcome = await self._store(batch)
            except OffsetGap as gap:
                # Read again from the stored positions; the same gap then is the log's.
                self._gaps_read.update({k: stored for k, (stored, _) in gap.gaps.items()})
                log.warning("OFFSET_GAP: %s not delivered; reading again from the store", gap)
                metrics.INTAKE_OFFSET_GAPS.inc()
                self.uow.forget_all()
                await self.seek_to_stored(self._consumer().assignment())
                return
            except StaleBatch:
                # Stored already (a redelivery, or another worker before a rebalance).
                log.info("a batch of %d was stored already; reading on from the store", len(batch))
                self.stats.stale += 1
                self.uow.forget_all()
                await self.seek_to_stored(self._consumer().assignment())
                return
            except Exception:
                # Nothing of the batch was stored (the database, not a message: one bad
                # message is a rejection). Read it again, waiting longer each time.
                self._failures += 1
                self.stats.retries += 1
                metrics.INTAKE_BATCH_FAILURES.inc()
                delay = min(30.0, 0.5 * 2 ** (self._failures - 1))
                log.error(
                    "intake batch of %d failed (%d in a row); reading it again in %.1f s",
                    len(batch),
                    self._failures,
                    delay,
                    exc_info=True,
                )
                self.uow.forget_all()
                await self.seek_to_stored(self._consumer().assignment())
                await asyncio.sleep(delay)
                return
            seconds = time.perf_counter() - started
            # Counted as soon as it is stored, before anything awaits: the metrics then never
            # lag behind what a reader of the store sees.
            self._failures = 0
            self.stats.add(outcome, seconds)
            await self._read_on_after(batch)
        log.debug(
            "batch stored",
            extra={
                "records": len(batch),
                "accepted": outcome.accepted,
                "duplicates": outcome.duplicates,
                "rejected": dict(outcome.rejected),
                "seconds": round(seconds, 4),
            },
        )
        await self.publish_rejections()
        await self._commit_copy(batch)
        self._measure_lag(batch)

    async def _store(self, batch: list[RawMessage]) -> BatchOutcome:
        """The batch stored; a gap in a partition's offsets passes only if the reading that
        began exactly at the stored position started after it too (transaction markers,
        compaction: the log holds nothing there). A gap any other way is a client that read
        and lost messages: OffsetGap, and the partition is read again from the store."""
        try:
            return await asyncio.to_thread(self.processor.process, batch)
        except OffsetGap as gap:
            if any(self._gaps_read.get(k) != stored for k, (stored, _) in gap.gaps.items()):
                raise
            log.info("offsets %s hold no messages (read twice from the store); passing", gap)
            self.uow.allow_gaps({k: stored for k, (stored, _) in gap.gaps.items()})
            try:
                return await asyncio.to_thread(self.processor.process, batch)
            finally:
                self.uow.allow_gaps({})

    def _measure_lag(self, batch: list[RawMessage]) -> None:
        """Messages left on each partition of the batch, by the high watermark the consumer
        last fetched (no request to the broker); none without a consumer (a test broker)."""
        consumer = self.subscriber.consumer
        if consumer is None:
            return
        last: dict[TopicPartition, int] = {}
        for m in batch:
            tp = TopicPartition(m.topic, m.partition)
            last[tp] = max(last.get(tp, -1), m.offset)
        for tp, offset in last.items():
            high = consumer.highwater(tp)
            if high is not None:
                metrics.INTAKE_CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(
                    max(0, high - offset - 1)
                )

    def readiness(self) -> str | None:
        """None while the consumer runs (the readiness probe's check), else why not."""
        if self.subscriber.consumer is None:
            return "the intake's Kafka consumer is not running"
        return self.fetch_guard.readiness()

    async def _read_on_after(self, batch: list[RawMessage]) -> None:
        """Fetch on from just after what was stored. A rebalance between the fetch of this
        batch and its storing sought to the stored positions of then, before this batch:
        reading from there would deliver it again (and fail as stale)."""
        consumer = self.subscriber.consumer
        if consumer is None:
            return
        assigned = consumer.assignment()
        after: dict[TopicPartition, int] = {}
        for m in batch:
            tp = TopicPartition(m.topic, m.partition)
            after[tp] = max(after.get(tp, 0), m.offset + 1)
        for tp, offset in after.items():
            if tp in assigned and tp.partition not in self.stats.halted:
                with contextlib.suppress(Exception):  # a rebalance under way: it seeks itself
                    if await consumer.position(tp) < offset:
                        consumer.seek(tp, offset)

    def _consumer(self) -> AIOKafkaConsumer:
        consumer = self.subscriber.consumer
        if consumer is None:
            raise RuntimeError("the intake subscriber is not started")
        return consumer

    async def seek_to_stored(self, partitions: set[TopicPartition]) -> None:
        consumer = self._consumer()
        stored = await asyncio.to_thread(self.uow.stored_positions, self.settings.intake_topic)
        ends = await consumer.end_offsets(list(partitions)) if partitions else {}
        fresh = []
        for tp in partitions:
            if tp.partition not in stored:
                fresh.append(tp)
                continue
            at = stored[tp.partition]
            if at > ends.get(tp, 0) and not await self._log_reaches(tp, at):
                # The broker lost messages the store has (a new cluster, a memory broker):
                # reading on would skip or refuse events. This partition stops until an
                # operator decides; the others go on.
                log.critical(
                    "POSITION_BEYOND_LOG_END: %s[%d] is stored at offset %d, and the log "
                    "holds no message before it; the partition is paused",
                    tp.topic,
                    tp.partition,
                    at,
                )
                consumer.pause(tp)
                self.stats.halted.add(tp.partition)
                metrics.INTAKE_PARTITIONS_HALTED.set(len(self.stats.halted))
                continue
            consumer.seek(tp, at)
        if fresh:
            await consumer.seek_to_beginning(*fresh)

    async def _log_reaches(self, tp: TopicPartition, offset: int) -> bool:
        """Whether the partition holds the message before `offset`: end offsets alone are
        not to be trusted (Tansu answers with the start of its last batch)."""
        probe = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap,
            enable_auto_commit=False,
            **kafka_kwargs(self.settings),
        )
        await probe.start()
        try:
            probe.assign([tp])
            probe.seek(tp, offset - 1)
            for _ in range(3):
                found = await probe.getmany(tp, timeout_ms=1000, max_records=1)
                if found.get(tp):
                    return found[tp][0].offset >= offset - 1
            return False
        except Exception:  # the broker answers nothing sensible: do not trust the log
            log.exception("could not read %s[%d] at %d", tp.topic, tp.partition, offset - 1)
            return False
        finally:
            await probe.stop()

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
        """The outbox's stored rejections onto their producers' rejected topics."""
        sent = await self.outbox.publish(limit)
        self.stats.published_rejections += sent
        return sent

    @classmethod
    def declare(cls, settings: Settings) -> IntakeService:
        """The declarations alone (for the AsyncAPI document): no store, nothing connects."""
        return cls(settings, None, "localhost:9092")  # type: ignore[arg-type]  # never used

    def app(self) -> FastStream:
        app = FastStream(self.broker)
        app.after_startup(self.publish_rejections)
        return app
