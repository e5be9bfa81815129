"""An operator's view of the running services: metrics and health over HTTP, and logs that
say what happened without misleading warnings."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from support import expected_counts, wait_until

from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.adapters.metrics import REGISTRY
from services.devtools.demo import caught_up, publish
from services.devtools.village import village_messages
from services.entrypoints.cli import main
from services.entrypoints.ops_server import Health
from services.entrypoints.runtime import serve
from services.settings import Settings

pytestmark = pytest.mark.e2e


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def decided(found: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> dict[str, float]:
    """Messages counted by outcome (accepted, duplicate) or rejection code, all sources."""
    out: dict[str, float] = {}
    for (name, labels), v in found.items():
        if name == "dixian_intake_messages_total":
            d = dict(labels)
            key = d["reason_code"] or d["outcome"]
            out[key] = out.get(key, 0.0) + v
    return out


async def test_the_services_serve_their_metrics_and_health_and_count_what_they_decided(
    settings: Settings, kafka_bootstrap: str, caplog: pytest.LogCaptureFixture
) -> None:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap, "metrics_port": 0})
    await ensure_topics(s, kafka_bootstrap)
    messages = village_messages("M1")
    before = samples(generate_latest(REGISTRY).decode())
    store = EventStore(s)
    health = Health()
    stop = asyncio.Event()
    caplog.set_level(logging.DEBUG)
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop, health=health))
    try:
        ends = await publish(kafka_bootstrap, s.intake_topic, messages)
        await wait_until(lambda: caught_up(store, s.intake_topic, ends))
        assert health.port
        port = health.port
        await wait_until(lambda: get(port, "/health/ready")[0] == 200)
        status, body = await asyncio.to_thread(get, port, "/health/live")
        assert status == 200 and json.loads(body)["ok"] is True
        lag = ("dixian_projection_lag_events", (("projection", "household_state"),))
        await wait_until(lambda: samples(get(port, "/metrics")[1].decode()).get(lag) == 0.0)
        status, scraped = await asyncio.to_thread(get, port, "/metrics")
    finally:
        stop.set()
        await services
        store.close()
    assert status == 200
    found = samples(scraped.decode())
    after, earlier = decided(found), decided(before)
    counted = {k: after[k] - earlier.get(k, 0.0) for k in after if after[k] > earlier.get(k, 0)}
    # Every message, by outcome or reason code, counted by the time the store shows it.
    assert counted == {k: float(n) for k, n in expected_counts(messages).items()}
    village = ("outcome", "accepted"), ("reason_code", ""), ("source_system", "village_app")
    assert found[("dixian_intake_messages_total", village)] > 0
    assert found[("dixian_intake_batch_seconds_count", ())] > before.get(
        ("dixian_intake_batch_seconds_count", ()), 0
    )
    assert ("dixian_audit_checkpoint_age_seconds", ()) in found
    logged = [r.getMessage() for r in caplog.records]
    assert not [m for m in logged if "Auto create topics" in m]
    start = next(r for r in caplog.records if r.getMessage() == "starting")
    assert start.settings["kafka_bootstrap"] == kafka_bootstrap  # type: ignore[attr-defined]
    assert any(r.getMessage() == "batch stored" and r.levelno == logging.DEBUG
               for r in caplog.records)  # fmt: skip


async def test_projections_status_shows_the_intakes_lag_per_partition_from_kafka(
    settings: Settings,
    kafka_bootstrap: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s = settings.model_copy(update={"kafka_bootstrap": kafka_bootstrap})
    await ensure_topics(s, kafka_bootstrap)
    messages = village_messages("S1")
    ends = await publish(kafka_bootstrap, s.intake_topic, messages)  # nothing consumed yet
    for name, value in {
        "DIXIAN_PG_URL": s.pg_url or "",
        "DIXIAN_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "DIXIAN_INTAKE_TOPIC": s.intake_topic,
    }.items():
        monkeypatch.setenv(name, value)
    assert await asyncio.to_thread(main, ["projections", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    lag = {p["partition"]: p for p in status["intake"]}
    assert set(lag) == set(range(s.intake_partitions))
    # Tansu reports the start of a partition's last batch as its end: a lower bound.
    assert sum(p["lag"] for p in lag.values()) > 0
    assert all(p["stored_position"] == 0 for p in lag.values())
    assert all(lag[p]["end_offset"] <= end for p, end in ends.items())
