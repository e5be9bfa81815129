"""The national system's export in the benchmark: `dixian import national` on the simulated
county's export (rows per second, reading to delivered events), the intake storing what it
published, a second run (nothing to publish), and `dixian compare national` on the later
export — the recall of the planted differences and what it found that was not planted."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from services.adapters.compliance_store import load_problems
from services.adapters.eventstore import EventStore
from services.devtools.simulate.national_export import simulate_exports
from services.domain.events import TOPIC_PREFIX
from services.settings import Settings

CLI = "services.entrypoints.cli"
COMPARE_DAY = "2026-01-05"


def _household_events(store: EventStore) -> int:
    with store.connection() as conn:
        row = conn.execute(
            f"SELECT count(*) AS n FROM {store.events_table} WHERE topic LIKE %s",
            (f"{TOPIC_PREFIX}%",),
        ).fetchone()
    return int(row["n"])


def _published(stdout: str) -> int:
    match = re.search(r"published (\d+) events", stdout)
    if match is None:
        raise RuntimeError(f"the import said no count: {stdout[-500:]}")
    return int(match[1])


def national_bench(
    s: Settings, env: dict[str, str], py: str, work: Path, size: str, seed: int, run_process: Any
) -> dict[str, Any]:
    """Run on a database and topic of its own (`s`, `env`): its households are the
    simulated county's, under the same numbers."""
    truth = simulate_exports(size, seed, work / "national")
    export = work / "national" / truth["export"]
    later = work / "national" / truth["later_export"]
    imported = run_process([py, "-m", CLI, "import", "national", str(export)], env)
    events = _published(str(imported["stdout"]))
    rate = re.search(r"rows in ([\d.]+)s", str(imported["stdout"]))
    inside = float(rate[1]) if rate else imported["seconds"]
    store = EventStore(s)
    try:
        t = time.perf_counter()
        run_process(
            [py, "-m", CLI, "run", "--no-projections"],
            env,
            until=lambda: _household_events(store) >= events,
        )
        intake_seconds = time.perf_counter() - t
        second = run_process([py, "-m", CLI, "import", "national", str(export)], env)
        again = _published(str(second["stdout"]))
        compared = run_process(
            [py, "-m", CLI, "compare", "national", str(later), "--as-of", COMPARE_DAY], env
        )
        found = {
            (p.subject, p.check.removeprefix("national_"), p.key.rsplit("/", 1)[1])
            for p in load_problems(store).values()
            if p.check.startswith("national_")
        }
    finally:
        store.close()
    planted = {(d["household_id"], d["field"], d["person_id"]) for d in truth["differences"]}
    result = {
        "rows": truth["rows"],
        "bad_rows": len(truth["bad_rows"]),
        "events": events,
        "import_seconds": imported["seconds"],
        "import_rows_per_second": truth["rows"] / inside,  # the command's work, read to sent
        "import_command_rows_per_second": truth["rows"] / imported["seconds"],  # with start-up
        "import_peak_mb": imported["peak_mb"],
        "intake_seconds": intake_seconds,
        "second_run_events": again,
        "compare_seconds": compared["seconds"],
        "compare_peak_mb": compared["peak_mb"],
        "planted": len(planted),
        "recall": len(planted & found) / max(len(planted), 1),
        "not_planted": len(found - planted),
    }
    print(
        f"national import: {result['import_rows_per_second']:,.0f} rows/s "
        f"({truth['rows']:,} rows, {events:,} events); second run {again} events; "
        f"compare recall {result['recall']:.1%} of {len(planted):,} planted, "
        f"{result['not_planted']} not planted",
        flush=True,
    )
    return result
