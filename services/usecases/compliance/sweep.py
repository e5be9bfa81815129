"""The sweep: the engine over the whole store as of a day, and the ledger brought up to
date — new problems raised, those the facts no longer show marked resolved, resolved ones
found again — with a record of the sweep, all in one transaction."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

from services.adapters.compliance_store import load_problems, save
from services.adapters.eventstore import EventStore
from services.domain.compliance.engine import Evaluation
from services.domain.compliance.ledger import Sweep
from services.domain.compliance.params import ComplianceParams
from services.domain.compliance.upkeep import Upkeep
from services.domain.national.compare import CHECK_PREFIX as NATIONAL_CHECKS
from services.usecases.compliance.parallel import evaluate_store

log = logging.getLogger("dixian.compliance")
CHINA = timezone(timedelta(hours=8))


def today() -> date:
    """The day in the county (UTC+8): what "as of today" means for a sweep."""
    return datetime.now(CHINA).date()


@dataclass(frozen=True, slots=True)
class SweepOutcome:
    sweep_id: UUID
    evaluation: Evaluation
    raised: int
    resolved: int
    found_again: int


def run_sweep(
    store: EventStore,
    as_of: date,
    params: ComplianceParams,
    ran_by: str = "sweep",
    workers: int = 1,
    progress: Any = None,
) -> SweepOutcome:
    evaluation = evaluate_store(store, as_of, params, workers, progress=progress)
    sid = uuid4()  # each run is an act of its own, even of the same day
    upkeep = Upkeep(load_problems(store), as_of, sid)
    for f in evaluation.findings:
        upkeep.finding(f)
    upkeep.unfound(skip=NATIONAL_CHECKS)  # an export's: the next comparison resolves it
    changed, raised, resolved, again = (
        upkeep.changed,
        upkeep.raised,
        upkeep.resolved,
        upkeep.found_again,
    )
    by_area: dict[str, Counter[str]] = {}
    for f in evaluation.findings:
        by_area.setdefault(f.township or "(department)", Counter())[f.area] += 1
    record = Sweep.completed(
        sid,
        as_of=as_of.isoformat(),
        households=evaluation.households,
        events=evaluation.events,
        findings=len(evaluation.findings),
        raised=raised,
        resolved=resolved,
        found_again=again,
        coverage=evaluation.coverage,
        found_by_township_area={t: dict(c) for t, c in sorted(by_area.items())},
        params=params.model_dump(mode="json")
        | {"lines": [line.as_record() for line in params.lines.lines]},
        ran_by=ran_by,
    )
    save(store, [*changed.values(), record])
    log.info(
        "swept as of %s: %d findings, %d raised, %d resolved, %d found again",
        as_of,
        len(evaluation.findings),
        raised,
        resolved,
        again,
        extra={
            "as_of": as_of.isoformat(),
            "households": evaluation.households,
            "events": evaluation.events,
            "findings": len(evaluation.findings),
            "raised": raised,
            "resolved": resolved,
            "found_again": again,
            "sweep_id": str(sid),
        },
    )
    return SweepOutcome(sid, evaluation, raised, resolved, again)
