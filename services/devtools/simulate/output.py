"""Where a simulation goes: JSON lines (for any Kafka client) or straight to the topic."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer

from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import generate


def write_jsonl(
    events: Iterable[tuple[str, dict[str, Any]]],
    path: Path,
    kcat: bool,
    progress: Any = None,
) -> int:
    """One line per message: {"key", "value"} or, for kcat -K'\t', KEY<TAB>VALUE
    (`progress` hears the count every 10,000)."""
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for key, env in events:
            value = json.dumps(env, ensure_ascii=False, separators=(",", ":"))
            f.write(
                f"{key}\t{value}\n"
                if kcat
                else json.dumps(
                    {"key": key, "value": env}, ensure_ascii=False, separators=(",", ":")
                )
                + "\n"
            )
            n += 1
            if progress is not None and n % 10_000 == 0:
                progress.update(n)
    return n


async def publish(
    events: Iterable[tuple[str, bytes]],
    bootstrap: str,
    topic: str,
    client: dict[str, Any] | None = None,
    progress: Any = None,
    total: int | None = None,
) -> int:
    """Produce with keys, many in flight (the producer batches them); return how many.
    `client`: security and timeouts (services.adapters.kafka_security); `progress` hears
    the count sent and `total`."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        linger_ms=20,
        max_batch_size=1 << 20,
        **(client or {}),
    )
    n = 0
    try:
        await producer.start()
        pending = []
        for key, value in events:
            pending.append(await producer.send(topic, value, key=key.encode()))
            n += 1
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
                if progress is not None:
                    progress.update(n, total)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return n


def simulate(
    size: str, seed: int, rate: float, out: Path, kcat: bool = False, progress: Any = None
) -> tuple[Path, Path, int]:
    """Write the county, its events and the truth into `out`; return the paths and count."""
    out.mkdir(parents=True, exist_ok=True)
    county = build_county(size, seed)
    truth: list[dict[str, Any]] = []
    events_path = out / ("events.tsv" if kcat else "events.jsonl")
    n = write_jsonl(generate(county, seed, rate, truth), events_path, kcat, progress)
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    (out / "county.json").write_text(
        json.dumps(
            {
                "townships": county.townships,
                "villages": county.villages,
                "places": county.names,
                "households": len(county.households),
                "cadres": county.cadres,
                "relatives": county.relatives,
                "seed": seed,
                "size": size,
                "violation_rate": rate,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return events_path, out / "truth.json", n


def read_messages(path: Path) -> Iterable[tuple[str, bytes]]:
    """The messages of a JSON-lines file, as key and value bytes."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if path.suffix == ".tsv":
                key, value = line.rstrip("\n").split("\t", 1)
                yield key, value.encode()
                continue
            row = json.loads(line)
            yield row["key"], json.dumps(row["value"], ensure_ascii=False).encode()
