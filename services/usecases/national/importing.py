"""`dixian import national`: the export's households made in dixian by events published
through Kafka as a declared historical import — all of a household dixian does not know,
only the changes of one it knows — and the validation report beside the file."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from services.adapters.attestation import sign
from services.adapters.eventstore import EventStore
from services.adapters.kafka_security import kafka_kwargs
from services.domain.national import NATIONAL_SYSTEM
from services.domain.national.changes import Unimportable, envelope, plan
from services.domain.national.records import VillageOf
from services.settings import Settings
from services.usecases.national.reading import ReadExport, known_views, read_export
from services.usecases.national.report import report_path, write_import_report

IN_FLIGHT = 20_000  # messages awaited at once


@dataclass
class ImportOutcome:
    export: ReadExport
    batch: str
    recorded_on: date
    messages: list[tuple[str, bytes]] = field(default_factory=list)
    events: Counter[str] = field(default_factory=Counter)
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
    """The export read and the events it takes, serialized (nothing is sent)."""
    export = read_export(path, village_of, progress, reader, within)
    recorded = as_of or export.data_date or date.today()
    known = known_views(store, (v.household_id for v in export.households)) if store else {}
    outcome = ImportOutcome(export, batch, recorded)
    for view in export.households:
        if view.data_date is None:
            view.data_date = recorded
        events, left = plan(view, known.get(view.household_id))
        outcome.unimportable.extend(left)
        if not events:
            outcome.unchanged += 1
            continue
        if view.household_id in known:
            outcome.changed += 1
        else:
            outcome.new += 1
        for p in events:
            env = envelope(view, p, batch, recorded)
            outcome.events[p.event_type] += 1
            value = orjson.dumps(env)
            outcome.messages.append((view.household_id, value))
    return outcome


async def publish(
    settings: Settings,
    messages: Iterable[tuple[str, bytes]],
    key: Any = None,
    progress: Any = None,
    total: int | None = None,
) -> int:
    """Produce every message under its household's key, in order per household, signed
    with the national system's key when one is given; return how many were delivered."""
    assert settings.kafka_bootstrap is not None
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        acks="all",
        linger_ms=20,
        max_batch_size=1 << 20,
        **kafka_kwargs(settings),
    )
    n = 0
    await producer.start()
    try:
        pending = []
        for hid, value in messages:
            headers = sign(key, NATIONAL_SYSTEM, value) if key is not None else None
            pending.append(
                await producer.send(settings.intake_topic, value, key=hid.encode(), headers=headers)
            )
            n += 1
            if len(pending) >= IN_FLIGHT:
                await asyncio.gather(*pending)
                pending.clear()
                if progress is not None:
                    progress.update(n, total)
        await asyncio.gather(*pending)
        if progress is not None:
            progress.update(n, total)
    finally:
        await producer.stop()
    return n


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
) -> ImportOutcome:
    """Read, plan, write the validation report, and (unless a dry run) publish."""
    started = time.perf_counter()
    outcome = plan_import(store, path, batch, as_of, village_of, reading, within=within)
    planned = time.perf_counter()
    outcome.report = write_import_report(report_path(path), outcome)
    reported = time.perf_counter()
    if not dry_run and outcome.messages:
        outcome.published = asyncio.run(
            publish(settings, outcome.messages, key, sending, len(outcome.messages))
        )
    outcome.seconds = (planned - started) + (time.perf_counter() - reported)
    return outcome
