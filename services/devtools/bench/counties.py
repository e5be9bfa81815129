"""`BENCH_COUNTIES=2`: two counties, each into its own database (a store per county, as
docs/scaling.md divides a province), each on its own topic with its own intake worker,
both at once on this machine. It reports each worker's rate and the total beside the
one-worker figure of the same run.

A topic per county, not one shared topic: the intake's positions and exactly-once are per
store, so a worker reading a shared topic would read (and have to pass over) every other
county's messages; routed by region code at the producers, each store's workers read only
their own county."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from services.adapters.eventstore import EventStore
from services.adapters.intake_store import stored_positions
from services.adapters.kafka_security import kafka_kwargs
from services.adapters.kafka_topics import ensure_topics
from services.devtools.embedded import recreate_database, with_database
from services.devtools.simulate.output import publish, read_messages, simulate
from services.settings import Settings

Runner = Callable[..., dict[str, Any]]


def two_counties(
    s: Settings,
    size: str,
    seed: int,
    first_events: Path,
    first_total: int,
    work: Path,
    run_process: Runner,
    env_of: Callable[[Settings], dict[str, str]],
    command: list[str],
) -> dict[str, Any]:
    """Both counties' intakes at once: per-worker and total events/s, and peak memory."""
    second_events, _, second_total = simulate(size, seed + 1, 0.02, work / "county-b")
    assert s.pg_url
    counties = []
    for name, events, total in (
        ("a", first_events, first_total),
        ("b", second_events, second_total),
    ):
        tag = f"{format(int(time.time()), 'x')}.{name}"
        url = recreate_database(with_database(s.pg_url, "postgres"), f"dixian_bench_{name}")
        c = s.model_copy(
            update={
                "pg_url": url,
                "intake_topic": f"bench.county.{tag}",
                "rejected_topic": f"bench.county-rejected.{tag}",
                "intake_group": f"bench-county-{tag}",
                "data_dir": work / f"county-{name}",  # its own logs and files
            }
        )
        assert c.kafka_bootstrap
        asyncio.run(ensure_topics(c, c.kafka_bootstrap))
        asyncio.run(
            publish(read_messages(events), c.kafka_bootstrap, c.intake_topic, kafka_kwargs(c))
        )
        counties.append((name, c, total))

    results: dict[str, Any] = {}
    firsts: dict[str, float] = {}
    lasts: dict[str, float] = {}

    def intake(name: str, c: Settings, total: int) -> None:
        store = EventStore(c)
        first: list[tuple[float, int]] = []

        def done() -> bool:
            n = sum(stored_positions(store, c.intake_topic).values())
            if n and not first:
                first.append((time.perf_counter(), n))
            return n >= total

        try:
            r = run_process(command, env_of(c), until=done)
        finally:
            store.close()
        t0, n0 = first[0] if first else (time.perf_counter() - r["seconds"], 0)
        firsts[name], lasts[name] = t0, time.perf_counter()
        results[name] = {
            "events": total,
            "eps": (total - n0) / max(lasts[name] - t0, 1e-6),
            "peak_mb": r["peak_mb"],
        }

    threads = [threading.Thread(target=intake, args=county) for county in counties]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    span = max(lasts.values()) - min(firsts.values())
    total = sum(r["events"] for r in results.values())
    return {"workers": results, "total_eps": total / max(span, 1e-6)}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The two-county lines of the bench's table."""
    if "counties" not in r:
        return []
    c = r["counties"]
    one = r["intake"]["eps"]
    lines = [
        (
            f"two counties: intake worker {name} (own store)",
            f"{w['eps']:,.0f} ev/s",
            f"{w['eps'] / one:.2f}× one worker alone",
            f"{w['peak_mb']:.0f} MB",
        )
        for name, w in sorted(c["workers"].items())
    ]
    lines.append(
        ("two counties: total", f"{c['total_eps']:,.0f} ev/s", f"{c['total_eps'] / one:.2f}×", "")
    )
    return lines
