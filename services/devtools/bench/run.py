"""The benchmark, in one run: simulate a county, publish it, then measure the ceilings (raw
consumption, raw batched insert), the intake from Kafka to committed events, the naive
baseline, projection rebuilds and history queries, with each process's peak memory."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from services.adapters.compliance_store import load_problems
from services.adapters.eventstore import EventStore
from services.adapters.intake_store import stored_positions
from services.adapters.kafka_security import kafka_kwargs
from services.adapters.kafka_topics import ensure_topics
from services.adapters.progress import Progress
from services.adapters.queries import household_history
from services.devtools.bench.counties import rows as county_rows
from services.devtools.bench.counties import two_counties
from services.devtools.bench.http import http_latency
from services.devtools.bench.national import national_bench
from services.devtools.bench.recall import Raised, lines, score
from services.devtools.embedded import recreate_database, servers, with_database
from services.devtools.simulate.output import publish, read_messages, simulate
from services.devtools.simulate.plan import END
from services.settings import Settings

CLI, NAIVE = "services.entrypoints.cli", "services.devtools.bench.naive"


def run_process(args: list[str], env: dict[str, str], until: Any = None) -> dict[str, float]:
    """Run a child, sampling its peak memory; stop it when `until()` is true (or it exits)."""
    started = time.perf_counter()
    log = Path(env.get("DIXIAN_DATA_DIR", ".")) / "bench" / f"{args[3]}-{args[-1]}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    # Files, not pipes: a child that logs a lot must never block on a full pipe.
    out_file, err_file = log.with_suffix(".out").open("w+"), log.open("w")
    child = subprocess.Popen(args, env=env, stdout=out_file, stderr=err_file)
    peak_kb, finished_at = 0, None
    while True:
        peak_kb = max(peak_kb, _vm_hwm(child.pid))
        if child.poll() is not None:
            break
        if until is not None and finished_at is None and until():
            finished_at = time.perf_counter()
            child.terminate()
        time.sleep(0.2)
    out_file.seek(0)
    out = out_file.read()
    out_file.close()
    err_file.close()
    if child.returncode not in (0, -15) and (until is None or finished_at is None):
        raise RuntimeError(f"{' '.join(args)} failed (exit {child.returncode}): see {log}")
    elapsed = (finished_at or time.perf_counter()) - started
    return {"seconds": elapsed, "peak_mb": peak_kb / 1024, "stdout": out}  # type: ignore[dict-item]


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def raw_consume(
    bootstrap: str, topic: str, total: int, client: dict[str, Any] | None = None
) -> float:
    """The broker's ceiling: read every message with a bare consumer, no processing."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        max_partition_fetch_bytes=8 << 20,
        **(client or {}),
    )
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        if not parts:
            await consumer._client.force_metadata_update()
            parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        started, seen = time.perf_counter(), 0
        while seen < total:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            seen += sum(len(b) for b in batches.values())
        return seen / (time.perf_counter() - started)
    finally:
        await consumer.stop()


def raw_insert(store: EventStore, events: Path, total: int) -> float:
    """PostgreSQL's ceiling: COPY the messages' bytes in batches, one transaction each."""
    with store.connection() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (key text, value bytea)")
        batch: list[tuple[str, bytes]] = []
        started = time.perf_counter()

        def flush() -> None:
            with (
                conn.transaction(),
                conn.cursor() as cur,
                cur.copy("COPY bench_raw (key, value) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
            batch.clear()

        for key, value in read_messages(events):
            batch.append((key, value))
            if len(batch) >= 2000:
                flush()
        flush()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw")
    return total / elapsed


def history_latency(store: EventStore, households: list[str], n: int = 500) -> dict[str, float]:
    sample = random.Random(1).sample(households, min(n, len(households)))
    times = []
    for hid in sample:
        t = time.perf_counter()
        household_history(store, hid)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[int(len(times) * 0.95) - 1]}


def bench(settings: Settings, size: str, seed: int, out: Path) -> dict[str, Any]:
    results: dict[str, Any] = {
        "size": size,
        "seed": seed,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
    }
    work = settings.data_dir / "bench"
    with servers(settings, kafka=True) as s:
        assert s.pg_url and s.kafka_bootstrap
        # BENCH_DATABASE: a database of its own, where several checkouts bench on one server
        name = os.environ.get("BENCH_DATABASE", "dixian_bench")
        url = recreate_database(with_database(s.pg_url, "postgres"), name)
        tag = format(int(time.time()), "x")
        s = s.model_copy(
            update={
                "pg_url": url,
                "intake_topic": f"bench.events.{tag}",
                "rejected_topic": f"bench.rejected.{tag}",
                "intake_group": f"bench-{tag}",
            }
        )
        t = time.perf_counter()
        reused = _simulated(work, size, seed) if os.environ.get("BENCH_REUSE") else None
        if reused is not None:  # the same county simulated before (deterministic by seed)
            events, truth_path, total = reused
        else:
            with Progress(f"simulate a {size} county", "events") as progress:
                events, truth_path, total = simulate(size, seed, 0.02, work, progress=progress)
        results["simulate"] = {"events": total, "seconds": time.perf_counter() - t}
        print(f"simulated {total} events in {results['simulate']['seconds']:.0f}s", flush=True)
        asyncio.run(ensure_topics(s, s.kafka_bootstrap))
        t = time.perf_counter()
        with Progress(f"publish to {s.intake_topic}", "messages") as progress:
            asyncio.run(
                publish(
                    read_messages(events),
                    s.kafka_bootstrap,
                    s.intake_topic,
                    kafka_kwargs(s),
                    progress,
                    total,
                )
            )
        results["publish_eps"] = total / (time.perf_counter() - t)
        print(f"published at {results['publish_eps']:.0f}/s", flush=True)
        results["raw_consume_eps"] = asyncio.run(
            raw_consume(s.kafka_bootstrap, s.intake_topic, total, kafka_kwargs(s))
        )
        store = EventStore(s)
        try:
            results["raw_insert_eps"] = raw_insert(store, events, total)
            print(
                f"ceilings: consume {results['raw_consume_eps']:.0f}/s, "
                f"insert {results['raw_insert_eps']:.0f}/s",
                flush=True,
            )
            env = {**os.environ, **_env(s)}
            py = sys.executable

            first: list[tuple[float, int]] = []  # when the first batch was committed

            def intake_done() -> bool:
                done = sum(stored_positions(store, s.intake_topic).values())
                if done and not first:
                    first.append((time.perf_counter(), done))
                return done >= total

            run = run_process([py, "-m", CLI, "run", "--no-projections"], env, until=intake_done)
            # The rate from the first committed batch on: start-up and the consumer group's
            # join (seconds, on any broker) are not throughput.
            t0, n0 = first[0] if first else (time.perf_counter() - run["seconds"], 0)
            results["intake"] = {
                "eps": (total - n0) / max(time.perf_counter() - t0, 1e-6),
                "seconds": run["seconds"],
                "peak_mb": run["peak_mb"],
            }
            print(
                f"intake: {results['intake']['eps']:.0f}/s, peak {run['peak_mb']:.0f} MB",
                flush=True,
            )
            naive = run_process([py, "-m", NAIVE, str(events), "20000", "60"], env)
            results["naive"] = json.loads(str(naive["stdout"]).strip().splitlines()[-1]) | {
                "peak_mb": naive["peak_mb"]
            }
            stored = store.recorder.max_notification_id() or 0
            results["rebuild"] = {}
            for name in ("household_state", "audit_trail", "audit_log"):
                r = run_process([py, "-m", CLI, "projections", "rebuild", name], env)
                results["rebuild"][name] = {
                    "eps": stored / r["seconds"],
                    "seconds": r["seconds"],
                    "peak_mb": r["peak_mb"],
                }
                print(f"rebuild {name}: {results['rebuild'][name]['eps']:.0f}/s", flush=True)
            with store.connection() as conn:
                hids = [
                    r["household_id"]
                    for r in conn.execute("SELECT household_id FROM household_state").fetchall()
                ]
            results["history_query"] = history_latency(store, hids) | {"events": stored}
            results["compliance_sweep"] = sweep(py, env, store, truth_path, stored, len(hids))
            run_process([py, "-m", CLI, "projections", "rebuild", "problem_ledger"], env)
            results["http"] = http_latency(store, env, hids, work / "http")
            print(
                f"HTTP, 20 clients: history p95 {results['http']['history']['p95_ms']:.1f} ms, "
                f"problem page p95 {results['http']['problem_page']['p95_ms']:.1f} ms",
                flush=True,
            )
            if os.environ.get("BENCH_COUNTIES", "1") == "2":
                results["counties"] = two_counties(
                    s,
                    size,
                    seed,
                    events,
                    total,
                    work,
                    run_process,
                    _env,
                    [py, "-m", CLI, "run", "--no-projections"],
                )
                print(f"two counties: {results['counties']['total_eps']:.0f}/s", flush=True)
        finally:
            store.close()
        ns = s.model_copy(
            update={
                "pg_url": recreate_database(
                    with_database(url, "postgres"), "dixian_bench_national"
                ),
                "intake_topic": f"bench.national.{tag}",
                "rejected_topic": f"bench.national-rejected.{tag}",
                "intake_group": f"bench-national-{tag}",
            }
        )
        asyncio.run(ensure_topics(ns, ns.kafka_bootstrap or ""))
        env = {**os.environ, **_env(ns)}
        results["national"] = national_bench(ns, env, sys.executable, work, size, seed, run_process)
    results["bench_peak_mb"] = _vm_hwm(os.getpid()) / 1024
    out.write_text(json.dumps(results, indent=2, default=str))
    return results


def _simulated(work: Path, size: str, seed: int) -> tuple[Path, Path, int] | None:
    """`BENCH_REUSE=1`: the county simulated in `work` before, if of this size and seed."""
    try:
        county = json.loads((work / "county.json").read_text())
    except (OSError, ValueError):
        return None
    if (county.get("size"), county.get("seed")) != (size, seed):
        return None
    events = work / "events.jsonl"
    with events.open("rb") as f:
        total = sum(1 for _ in f)
    return events, work / "truth.json", total


SWEEP_DAY = "2026-01-31"  # a month after the simulated two years


def sweep(
    py: str, env: dict[str, str], store: EventStore, truth: Path, events: int, households: int
) -> dict[str, Any]:
    """`dixian sweep` over the whole store (a process of its own, for its memory), then how
    much of what the simulation planted it found, per rule and per concern, and how much of
    what it raised was planted (services.devtools.bench.recall)."""
    r = run_process([py, "-m", "services.entrypoints.cli", "sweep", "--as-of", SWEEP_DAY], env)
    problems = load_problems(store).values()
    raised = [Raised.of_problem(p) for p in problems]
    scored = score(raised, json.loads(truth.read_text()), SWEEP_DAY, END.isoformat())
    result = {
        "eps": events / r["seconds"],
        "households_per_second": households / r["seconds"],
        "seconds": r["seconds"],
        "peak_mb": r["peak_mb"],
        "problems": len(problems),
        **scored,
    }
    print(f"compliance sweep: {result['eps']:.0f} ev/s", flush=True)
    print("\n".join(lines(scored)), flush=True)
    return result


def _env(s: Settings) -> dict[str, str]:
    return {
        "DIXIAN_PG_URL": s.pg_url or "",
        "DIXIAN_KAFKA_BOOTSTRAP": s.kafka_bootstrap or "",
        "DIXIAN_INTAKE_TOPIC": s.intake_topic,
        "DIXIAN_REJECTED_TOPIC": s.rejected_topic,
        "DIXIAN_INTAKE_GROUP": s.intake_group,
        "DIXIAN_DATA_DIR": str(s.data_dir),
        "DIXIAN_HISTORICAL_IMPORTS": '["*"]',  # the simulated years are a declared import
    }


def table(r: dict[str, Any]) -> str:
    naive = r["naive"]["events_per_second"]
    copy = r["raw_insert_eps"]
    rows = [
        (
            "intake, Kafka → committed events",
            f"{r['intake']['eps']:,.0f} ev/s",
            f"{r['intake']['eps'] / naive:.1f}× naive, {r['intake']['eps'] / copy:.2f} of COPY",
            f"{r['intake']['peak_mb']:.0f} MB",
        ),
        *county_rows(r),
        (
            "naive baseline (load, apply, save per event)",
            f"{naive:,.0f} ev/s",
            "1.0×",
            f"{r['naive']['peak_mb']:.0f} MB",
        ),
        ("ceiling: raw consumption", f"{r['raw_consume_eps']:,.0f} ev/s", "", ""),
        ("ceiling: raw batched insert (COPY)", f"{r['raw_insert_eps']:,.0f} ev/s", "", ""),
        *[
            (
                f"rebuild {k}",
                f"{v['eps']:,.0f} ev/s",
                f"{v['eps'] / copy:.2f} of COPY",
                f"{v['peak_mb']:.0f} MB",
            )
            for k, v in r["rebuild"].items()
        ],
        (
            f"household history query ({r['history_query']['events']:,} events)",
            f"p50 {r['history_query']['p50_ms']:.1f} ms",
            f"p95 {r['history_query']['p95_ms']:.1f} ms",
            "",
        ),
        (
            f"compliance sweep ({r['compliance_sweep']['problems']:,} problems)",
            f"{r['compliance_sweep']['eps']:,.0f} ev/s",
            f"recall {r['compliance_sweep']['recall']:.1%}, precision "
            f"{r['compliance_sweep']['precision']:.1%}",
            f"{r['compliance_sweep']['peak_mb']:.0f} MB",
        ),
        *[
            (
                f"national export import ({n['rows']:,} rows)",
                f"{n['import_rows_per_second']:,.0f} rows/s",
                f"compare recall {n['recall']:.1%} of {n['planted']:,}",
                f"{n['import_peak_mb']:.0f} MB",
            )
            for n in [r["national"]]
            if "national" in r
        ],
        *[
            (
                f"HTTP {what} ({r['http']['clients']} clients)",
                f"p50 {r['http'][key]['p50_ms']:.1f} ms",
                f"p95 {r['http'][key]['p95_ms']:.1f} ms",
                "",
            )
            for key, what in (("history", "household history"), ("problem_page", "problem page"))
            if "http" in r
        ],
    ]
    width = max(len(x[0]) for x in rows)
    lines = [f"{'measure':<{width}}  {'rate':>16}  {'ratio / p95':<28} peak memory"]
    lines += [f"{a:<{width}}  {b:>16}  {c:<28} {d}" for a, b, c, d in rows]
    return "\n".join(lines)


def main() -> int:
    size = os.environ.get("BENCH_SIZE", "large")
    out = Path(os.environ.get("BENCH_OUT", "bench-results.json"))
    results = bench(Settings(), size, int(os.environ.get("BENCH_SEED", "1")), out)
    print()
    print(table(results))
    print("\n".join(lines(results["compliance_sweep"])))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
