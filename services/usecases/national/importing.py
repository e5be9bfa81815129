"""`dixian import national`: the export's households made in dixian by events published
through Kafka as a declared historical import — all of a household dixian does not know,
only the changes of one it knows — and the validation report beside the file. The export is
read and planned as a stream, its messages spooled to a temporary file and published once
the file is read through (an export found not grouped by household is read again, nothing
sent yet): its memory does not grow with the file."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from services.adapters.attestation import sign
from services.adapters.compliance_store import save
from services.adapters.eventstore import EventStore
from services.adapters.kafka_security import kafka_kwargs
from services.adapters.row_spill import Spool
from services.domain.compliance.ledger import NationalRun
from services.domain.national import NATIONAL_SYSTEM
from services.domain.national.changes import Unimportable, envelope, plan
from services.domain.national.records import View, VillageOf
from services.settings import Settings
from services.usecases.national.reading import ExportStream, known_views, regrouped
from services.usecases.national.report import report_path, write_import_report

BATCH_BYTES = 1 << 20  # a partition's batch
PARTITIONER = DefaultPartitioner()  # the producer's default: murmur2 of the key, as Java's
CHUNK = 2000  # households planned at once (what dixian knows of them read in one query)


@dataclass
class ImportOutcome:
    export: ExportStream
    batch: str
    recorded_on: date | None = None  # set by the first household read
    events: Counter[str] = field(default_factory=Counter)
    planned: int = 0  # messages planned
    messages: list[tuple[str, bytes]] = field(default_factory=list)  # kept by plan_import only
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unimportable: list[Unimportable] = field(default_factory=list)
    published: int = 0
    report: Path | None = None
    seconds: float = 0.0  # reading, planning and publishing (the report not counted)

    @property
    def rows_imported(self) -> int:
        return self.export.rows - len(self.export.bad)


def planned_messages(
    store: EventStore | None, o: ImportOutcome, as_of: date | None = None
) -> Iterator[tuple[str, bytes]]:
    """The messages of `o`'s export as it is read, a chunk of households at a time (what
    dixian knows of them read per chunk): nothing of the file is held but the chunk. The
    import's date is `as_of`, else the 数据日期 of the first household read."""
    chunk: list[View] = []
    for view in o.export:
        chunk.append(view)
        if len(chunk) >= CHUNK:
            yield from _plan_chunk(store, o, chunk, as_of)
            chunk = []
    yield from _plan_chunk(store, o, chunk, as_of)
    if o.recorded_on is None:
        o.recorded_on = as_of or date.today()


def _plan_chunk(
    store: EventStore | None, o: ImportOutcome, views: list[View], as_of: date | None
) -> Iterator[tuple[str, bytes]]:
    if not views:
        return
    if o.recorded_on is None:
        o.recorded_on = as_of or views[0].data_date or date.today()
    recorded = o.recorded_on
    known = known_views(store, (v.household_id for v in views)) if store else {}
    for view in views:
        if view.data_date is None:
            view.data_date = recorded
        events, left = plan(view, known.get(view.household_id))
        o.unimportable.extend(left)
        if not events:
            o.unchanged += 1
            continue
        if view.household_id in known:
            o.changed += 1
        else:
            o.new += 1
        for p in events:
            o.events[p.event_type] += 1
            o.planned += 1
            yield view.household_id, orjson.dumps(envelope(view, p, o.batch, recorded))


def plan_import(
    store: EventStore | None,
    path: Path,
    batch: str,
    as_of: date | None = None,
    village_of: VillageOf | None = None,
    progress: Any = None,
    reader: str = "auto",
    within: str = "",
) -> ImportOutcome:
    """The export read and the events it takes, serialized and kept (nothing is sent)."""

    def attempt(grouped: bool) -> ImportOutcome:
        stream = ExportStream(path, village_of, progress, reader, within, grouped)
        o = ImportOutcome(stream, batch)
        o.messages = list(planned_messages(store, o, as_of))
        return o

    return regrouped(attempt)


async def publish(
    settings: Settings,
    messages: Iterable[tuple[str, bytes]],
    key: Any = None,
    progress: Any = None,
    total: int | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> int:
    """Produce every message under its household's key, in order per household, signed
    with the national system's key when one is given; return how many were delivered.
    Messages are appended to a batch per partition (the partition the producer's own
    partitioner gives the key, as `send` would) and each full batch sent at once: a send
    per message cost more than the rest of publishing. A partition's batches are queued in
    order, one waiting at a time (the accumulator's own back-pressure)."""
    assert settings.kafka_bootstrap is not None
    messages = iter(messages)
    first = next(messages, None)
    if first is None:
        return 0  # nothing to send: no broker needed
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        linger_ms=20,
        max_batch_size=batch_bytes,
        partitioner=PARTITIONER,
        **kafka_kwargs(settings),
    )
    topic, n = settings.intake_topic, 0
    await producer.start()
    try:
        partitions = sorted(await producer.partitions_for(topic))
        partition_of: dict[str, int] = {}  # household → its partition
        batches: dict[int, Any] = {}  # partition → the batch being filled
        delivered: list[asyncio.Future[Any]] = []
        for hid, value in itertools.chain([first], messages):
            k = hid.encode()
            partition = partition_of.get(hid)
            if partition is None:
                partition = partition_of[hid] = PARTITIONER(k, partitions, partitions)
            headers = sign(key, NATIONAL_SYSTEM, value) if key is not None else None
            batch = batches.get(partition)
            if batch is None:
                batch = batches[partition] = producer.create_batch()
            if batch.append(key=k, value=value, timestamp=None, headers=headers) is None:
                delivered.append(await producer.send_batch(batch, topic, partition=partition))
                batch = batches[partition] = producer.create_batch()
                if batch.append(key=k, value=value, timestamp=None, headers=headers) is None:
                    raise ValueError(f"a message of household {hid} exceeds a whole batch")
            n += 1
            if progress is not None and n % 5000 == 0:
                progress.update(n, total)
        for partition, batch in batches.items():
            if batch.record_count():
                delivered.append(await producer.send_batch(batch, topic, partition=partition))
        await asyncio.gather(*delivered)
        if progress is not None:
            progress.update(n, total)
    finally:
        await producer.stop()
    return n


def _run(o: ImportOutcome, path: Path, by: str, role: str, within: str) -> NationalRun:
    e = o.export
    return NationalRun.completed(
        uuid4(), kind="import", on=(o.recorded_on or date.today()).isoformat(), by=by,
        role=role, scope=within, file=path.name, by_township={},
        counts={
            "batch": o.batch, "rows": e.rows, "rows_refused": len(e.bad),
            "check_digit_wrong": len(e.check_digit_wrong), "households_new": o.new,
            "households_changed": o.changed, "households_unchanged": o.unchanged,
            "events": o.planned, "published": o.published,
        },
    )  # fmt: skip


def import_national(
    settings: Settings,
    store: EventStore | None,
    path: Path,
    batch: str,
    as_of: date | None = None,
    dry_run: bool = False,
    key: Any = None,
    village_of: VillageOf | None = None,
    reading: Any = None,
    sending: Any = None,
    within: str = "",
    by: str = "operator",
    role: str = "operator",
) -> ImportOutcome:
    """Read and plan (the messages spooled), then, unless a dry run, publish and record who
    imported what (NationalRun, in the store beside the ledger: the events' actor stays the
    national system, whose decisions they are); then write the validation report."""
    started = time.perf_counter()
    with Spool() as spool:

        def attempt(grouped: bool) -> ImportOutcome:
            spool.clear()
            stream = ExportStream(path, village_of, reading, "auto", within, grouped)
            o = ImportOutcome(stream, batch)
            for hid, value in planned_messages(store, o, as_of):
                if not dry_run:
                    spool.write(hid, value)
            return o

        o = regrouped(attempt)
        if not dry_run:
            o.published = asyncio.run(publish(settings, spool.read(), key, sending, o.planned))
    o.seconds = time.perf_counter() - started
    if not dry_run and store is not None:
        save(store, [_run(o, path, by, role, within)])
    o.report = write_import_report(report_path(path), o)
    return o
