"""The sweep's recall and precision at any size, without Kafka or PostgreSQL: the simulated
county's messages, sorted by household on disk, go one household at a time through the
intake's own processing (the checks, the aggregate, the irregularities it records), are
encoded as the store encodes them and decoded as the sweep reads them, and the engine
evaluates them as of the bench's sweep day. Memory stays one household's and the county's
tallies. What it leaves out: Kafka, the store's transaction, and the ledger (a sweep's
findings are scored, not the problems a database holds).

    python -m services.devtools.bench.in_memory [size] [seed]

(`BENCH_WORK` the folder, `.dixian/recall-SIZE-SEED` by default; `BENCH_REUSE=1` reads the
county it simulated and sorted there before.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)

from services.adapters.eventstore import fast_stored
from services.devtools.bench.recall import Raised, lines, score
from services.devtools.simulate.output import simulate
from services.devtools.simulate.plan import END
from services.domain.compliance.engine import conclude, evaluate_share
from services.domain.compliance.facts import RecordedEvent
from services.domain.compliance.params import ComplianceParams
from services.domain.household import Household
from services.usecases.intake.batch import IntakeProcessor
from services.usecases.intake.unit_of_work import IntakeRecord, RawMessage, Seen

SWEEP_DAY = "2026-01-31"  # the bench's (run.SWEEP_DAY)


class _OneHousehold:
    """The intake's unit of work for one household's messages in one batch, in memory."""

    def __init__(self) -> None:
        self.stored: list[Any] = []
        self.rejected: list[str] = []
        self._record: IntakeRecord | None = None

    def seen(self, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
        return {}

    def households(self, household_ids: Iterable[str]) -> dict[str, Household]:
        return {}

    def forget(self, household_ids: Iterable[str]) -> None:
        pass

    def record(self, record: IntakeRecord) -> None:
        self._record = record

    def commit(self) -> None:
        record, self._record = self._record, None
        if record is None:
            return
        self.rejected += [r.code for r in record.rejected]
        for h in record.households:
            self.stored.extend(h.collect_events())


def _mapper() -> Mapper[Any]:
    transcoder = JSONTranscoder()
    for t in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(t)
    return Mapper(transcoder=transcoder)


def _simulated(work: Path, size: str, seed: int) -> bool:
    """`BENCH_REUSE=1`: the county simulated and sorted in `work` before, of this size and
    seed (deterministic by them)."""
    try:
        county = json.loads((work / "county.json").read_text())
    except (OSError, ValueError):
        return False
    return (county.get("size"), county.get("seed")) == (size, seed) and (
        work / "events.by-household.tsv"
    ).exists()


def _sorted_by_household(events: Path) -> Path:
    """The messages (key TAB value) sorted by household, each household's in their order."""
    out = events.with_suffix(".by-household.tsv")
    subprocess.run(
        ["sort", "-s", "-t", "\t", "-k1,1", "-S", "256M", "-o", str(out), str(events)],
        check=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    return out


def households(sorted_events: Path, rejected: list[str]) -> Iterator[list[RecordedEvent]]:
    """Each household's events as the sweep reads them from the store."""
    mapper = _mapper()

    def one(messages: list[RawMessage]) -> list[RecordedEvent]:
        uow = _OneHousehold()
        IntakeProcessor(uow, historical_imports=frozenset({"*"})).process(messages)
        rejected.extend(uow.rejected)
        stored = [fast_stored(e) or mapper.to_stored_event(e) for e in uow.stored]
        return [RecordedEvent.from_state(orjson.loads(s.state)) for s in stored]

    batch: list[RawMessage] = []
    owner = None
    with sorted_events.open("rb") as f:
        for offset, line in enumerate(f):
            key, value = line.rstrip(b"\n").split(b"\t", 1)
            if key != owner and batch:
                yield one(batch)
                batch = []
            owner = key
            batch.append(RawMessage("in-memory", 0, offset, key, value))
    if batch:
        yield one(batch)


def measure(size: str, seed: int, work: Path) -> dict[str, Any]:
    t = time.perf_counter()
    by_household, truth_path = work / "events.by-household.tsv", work / "truth.json"
    if not (os.environ.get("BENCH_REUSE") and _simulated(work, size, seed)):
        events, truth_path, _ = simulate(size, seed, 0.02, work, kcat=True)
        by_household = _sorted_by_household(events)
        events.unlink()  # sorted, it is no longer needed
    with by_household.open("rb") as f:
        total = sum(1 for _ in f)
    simulated = time.perf_counter() - t
    rejected: list[str] = []
    t = time.perf_counter()
    part = evaluate_share(
        households(by_household, rejected), date.fromisoformat(SWEEP_DAY), ComplianceParams()
    )
    evaluation = conclude(part, date.fromisoformat(SWEEP_DAY))
    raised = [
        Raised(f.rule_id, f.subject, f.check, f.concern, f.due_on.isoformat(), f.occurrence_dues)
        for f in evaluation.findings
    ]
    scored = score(raised, json.loads(truth_path.read_text()), SWEEP_DAY, END.isoformat())
    return {
        "size": size,
        "seed": seed,
        "events": total,
        "households": evaluation.households,
        "findings": len(evaluation.findings),
        "rejected": len(rejected),
        "simulate_seconds": round(simulated),
        "evaluate_seconds": round(time.perf_counter() - t),
        **scored,
    }


def main() -> int:
    size = sys.argv[1] if len(sys.argv) > 1 else "large"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    work = Path(os.environ.get("BENCH_WORK", f".dixian/recall-{size}-{seed}"))
    result = measure(size, seed, work)
    (work / "recall.json").write_text(json.dumps(result, indent=1))
    print(
        f"{result['events']:,} events, {result['households']:,} households, "
        f"{result['findings']:,} findings in {result['evaluate_seconds']}s"
    )
    print("\n".join(lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
