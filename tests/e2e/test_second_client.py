"""The producer contract proven with a second client: librdkafka (confluent-kafka) sends one
valid and one invalid signed event the way docs/producers.md shows (its example program,
docs/examples/python/producer.py), and reads on its own rejected topic
(dixian.rejected.SOURCE) why the second was refused. Keys come from `dixian producers
keygen`, as a department would get them."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from support import wait_until

from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.adapters.queries import household_history
from services.devtools.village import village_messages
from services.entrypoints.cli import main
from services.entrypoints.runtime import serve
from services.settings import Settings

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "python" / "producer.py"


def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("producer_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def registered(store: EventStore, household_id: str) -> bool:
    with store.connection() as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM intake_accepted WHERE household_id = %s", (household_id,)
            ).fetchone()
        )


async def test_librdkafka_sends_a_valid_and_an_invalid_event_and_reads_why_one_was_refused(
    settings: Settings,
    kafka_bootstrap: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    producer = example()
    source = "medical_insurance"
    assert main(["producers", "keygen", source, "--out", str(tmp_path)]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    keys = tmp_path / "producer-keys.json"
    keys.write_text("{" + line + "}")  # the line keygen says to add, in a file of one source
    assert list(json.loads(keys.read_text())) == [source]
    # The village's own producer (the cadres' app) registers the household first.
    first = next(m for m in village_messages("L1") if m.expect == "accepted")
    household = json.loads(first.value)["household_id"]

    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap, "producer_keys_file": None})
    await ensure_topics(s, kafka_bootstrap)
    config = {"bootstrap.servers": kafka_bootstrap}
    store = EventStore(s)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop, projections=False))
    try:
        from services.devtools.demo import publish

        await publish(kafka_bootstrap, s.intake_topic, [first])
        await wait_until(lambda: registered(store, household))
        stop.set()
        await services
        # Now with producer keys: every message must be signed by its source.
        s = s.model_copy(update={"producer_keys_file": keys})
        stop = asyncio.Event()
        services = asyncio.create_task(serve(s, kafka_bootstrap, stop, projections=False))
        key = producer.load_key(str(tmp_path / f"{source}.key"))
        valid = producer.risk_alert(household, source, "ALERT-1", "2025-04-01")
        invalid = producer.risk_alert(household, source, "ALERT-2", "2025-04-02")
        invalid["payload"]["department"] = "civil_affairs"  # not its own department
        sent = await asyncio.to_thread(
            producer.send, config, s.intake_topic, key, source, [valid, invalid]
        )
        assert len(sent) == 2
        own = s.rejected_topics()[source]
        assert own == f"{s.rejected_topic}.{source}"
        found = await asyncio.to_thread(producer.rejections, config, own, 1, 90.0)
    finally:
        stop.set()
        await services
    with store.connection() as conn:
        accepted = conn.execute(
            "SELECT event_id::text, source_system FROM intake_accepted WHERE household_id = %s "
            "AND event_type = 'department_risk_alert_pushed'",
            (household,),
        ).fetchall()
    history = {h["event_id"]: h for h in household_history(store, household)}
    store.close()
    assert history[valid["event_id"]]["attestation"] == f"signature:{source}"
    assert [(a["event_id"], a["source_system"]) for a in accepted] == [(valid["event_id"], source)]
    [rejection] = found
    assert rejection["reason_code"] == "DEPARTMENT_MISMATCH"
    assert rejection["source_system"] == source  # whose it is: the verified signer
    assert (rejection["event_id"], rejection["household_id"]) == (invalid["event_id"], household)
    assert "civil_affairs" in rejection["reason"]
