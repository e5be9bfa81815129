"""Personal data only on the record: after the whole village has gone through Kafka, the
intake, every projection, a sweep, a checkpoint and a recorded read, a member's ID number
and phone are found only where docs/audit.md says they may be — the event store (the record
itself), the rejected message's bytes and its producer's own topics — and nowhere else: not
in a projection, not in the intake's bookkeeping, not in another producer's topic."""

from __future__ import annotations

import asyncio
import json
import re

import psycopg
import pytest
from aiokafka import AIOKafkaConsumer
from support import positions, wait_until

from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.devtools.demo import caught_up, publish
from services.devtools.village import village_messages
from services.entrypoints.runtime import serve
from services.settings import Settings
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.audit.reads import record_read
from services.usecases.compliance.sweep import run_sweep, today

pytestmark = pytest.mark.e2e

# Where the docs say a person's ID number and phone may be kept (docs/audit.md).
ALLOWED_TABLES = {"dixian_events", "intake_rejected"}
ALLOWED_TOPICS = ("intake", "rejected.village_app")


def _tables_holding(url: str, needles: list[str]) -> set[str]:
    found = set()
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        for table in tables:
            rows = conn.execute(f'SELECT t::text FROM "{table}" t').fetchall()
            text = "\n".join(r[0] for r in rows)
            # bytea shows as \x…: look for the needles' bytes in hex too
            hexed = text.lower()
            if any(n in text or n.encode().hex() in hexed for n in needles):
                found.add(table)
    return found


async def _topics_holding(bootstrap: str, prefix: str, needles: list[str]) -> set[str]:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        metadata_max_age_ms=1000,
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    consumer.subscribe(pattern=f"^{re.escape(prefix)}.*")
    await consumer.start()
    found: set[str] = set()
    try:
        idle = 0
        while idle < 4:
            batches = await consumer.getmany(timeout_ms=1000)
            idle = 0 if batches else idle + 1
            for tp, records in batches.items():
                for r in records:
                    blob = (r.value or b"") + (r.key or b"")
                    text = blob.decode("utf-8", "replace")
                    # rejections carry the original bytes in base64
                    if any(n in text or _in_base64(n, text) for n in needles):
                        found.add(tp.topic)
    finally:
        await consumer.stop()
    return found


def _in_base64(needle: str, text: str) -> bool:
    import base64

    for match in re.finditer(r'"value_base64":\s*"([^"]+)"', text):
        if needle.encode() in base64.b64decode(match.group(1)):
            return True
    return False


async def test_a_members_id_number_and_phone_are_kept_only_where_the_docs_say(
    settings: Settings, kafka_bootstrap: str, tmp_path: pytest.TempPathFactory
) -> None:
    tag = settings.intake_topic.rsplit(".", 1)[1]  # topics of this test's own
    s = settings.model_copy(
        update={
            "kafka_bootstrap": kafka_bootstrap,
            "intake_topic": f"pd.{tag}.intake",
            "rejected_topic": f"pd.{tag}.rejected",
            "checkpoint_topic": f"pd.{tag}.checkpoints",
            "audit_key_file": tmp_path / "key",  # type: ignore[operator]
            "audit_checkpoint_seconds": 0.5,
            "sweep_daily": False,
        }
    )
    await ensure_topics(s, kafka_bootstrap)
    messages = village_messages("PD")
    head = json.loads(messages[0].value)["payload"]["members"][0]
    needles = [head["id_number"], head["phone"]]
    store = EventStore(s)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop))
    try:
        ends = await publish(kafka_bootstrap, s.intake_topic, messages)
        await wait_until(lambda: caught_up(store, s.intake_topic, ends), 90)
        assert all(positions(store, s.intake_topic).get(p, 0) >= e for p, e in ends.items())
        await asyncio.to_thread(run_sweep, store, today(), s.compliance_params(), "t", 1)
        await asyncio.to_thread(checkpoint_now, s, store)
        await asyncio.to_thread(
            record_read, store, "inspector-wang", "case 2026-17", head["person_id"], "test"
        )
        await wait_until(lambda: caught_up(store, s.intake_topic, ends), 60)
        await asyncio.sleep(1.5)  # a checkpoint published, the rejections out
    finally:
        stop.set()
        await services
    store.close()

    assert _tables_holding(s.pg_url or "", needles) <= ALLOWED_TABLES
    assert "dixian_events" in _tables_holding(s.pg_url or "", needles)  # the record itself
    topics = await _topics_holding(kafka_bootstrap, f"pd.{tag}.", needles)
    assert topics and {t.removeprefix(f"pd.{tag}.") for t in topics} <= set(ALLOWED_TOPICS)
