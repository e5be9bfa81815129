"""The naive baseline: an eventsourcing Application that loads, applies and saves one event
at a time, one transaction per event, for one household in twenty across the whole stream
(so that it loads histories as the real intake does). Run as its own process:

    python -m services.devtools.bench.naive EVENTS.jsonl LIMIT SECONDS

It prints a JSON line: events, seconds, events_per_second.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from eventsourcing.application import AggregateNotFoundError, Application

from services.domain.household import household_uuid
from services.domain.permissions import Permissions
from services.domain.registry import decide
from services.settings import Settings
from services.usecases.intake.message import check_message, envelope_meta
from services.usecases.intake.unit_of_work import RawMessage


class NaiveStore(Application):
    name = "naive"


def main(path: str, limit: int, seconds: float) -> dict[str, float]:
    settings = Settings()
    app = NaiveStore(env=settings.eventsourcing_env())
    permissions, rules = Permissions(), settings.lifecycle_rules()
    done, started = 0, time.perf_counter()
    with Path(path).open(encoding="utf-8") as f:
        for offset, line in enumerate(f):
            row = json.loads(line)
            if int(row["key"][-4:]) % 20:  # one household in twenty, through the two years
                continue
            value = json.dumps(row["value"]).encode()
            parsed, _ = check_message(  # the simulated years: a declared historical import
                RawMessage("t", 0, offset, row["key"].encode(), value),
                permissions,
                historical_imports=settings.historical_imports,
            )
            meta = envelope_meta(parsed)
            try:
                h = app.repository.get(household_uuid(parsed.envelope.household_id))
            except AggregateNotFoundError:
                h = None
            h = decide(h, parsed.payload, meta, rules)
            app.save(h)
            done += 1
            if done >= limit or time.perf_counter() - started > seconds:
                break
    elapsed = time.perf_counter() - started
    return {"events": done, "seconds": elapsed, "events_per_second": done / elapsed}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))))
