"""`dixian compare national`: without importing anything, the export compared household by
household and member by member with what dixian knew as of a day; each difference an R8.1
problem in the township's 疑似问题台账 (raised, or found again; one the export no longer
shows is resolved by the facts), and the comparison's report beside the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from services.adapters.compliance_store import load_problems, save
from services.adapters.eventstore import EventStore
from services.domain.compliance.findings import Finding, township_of
from services.domain.compliance.ledger import NationalRun, Problem
from services.domain.compliance.upkeep import Upkeep
from services.domain.national.compare import CHECK_PREFIX, Summary, findings_of
from services.domain.national.differences import differences
from services.domain.national.records import View, VillageOf
from services.usecases.national.reading import (
    CHUNK,
    ExportStream,
    households_of_villages,
    known_views,
    regrouped,
)
from services.usecases.national.report import report_path, write_compare_report


@dataclass
class CompareOutcome:
    export: ExportStream
    as_of: date
    run_id: UUID
    findings: list[Finding] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    townships: dict[str, str] = field(default_factory=dict)  # code → the export's name
    raised: int = 0
    found_again: int = 0
    resolved: int = 0
    report: Path | None = None

    def place(self, township: str) -> str:
        name = self.townships.get(township)
        return f"{name}（{township}）" if name else township


def compare_national(
    store: EventStore,
    path: Path,
    as_of: date,
    village_of: VillageOf | None = None,
    progress: Any = None,
    record: bool = True,
    within: str = "",
    by: str = "operator",
    role: str = "operator",
) -> CompareOutcome:
    """Compare, land the differences in the ledger (unless `record` is off) with the record
    of the run (NationalRun: who ran it, its summary by township and field), write the
    report."""

    def attempt(grouped: bool) -> tuple[CompareOutcome, set[str], set[str]]:
        export = ExportStream(path, village_of, progress, within=within, grouped=grouped)
        outcome = CompareOutcome(export, as_of, uuid4())
        ids: set[str] = set()
        villages: set[str] = set()
        chunk: list[View] = []
        for view in export:  # a chunk of households at a time: the file is never held whole
            ids.add(view.household_id)
            villages.add(view.village_code)
            chunk.append(view)
            if len(chunk) >= CHUNK:
                _compare(store, outcome, chunk, path.name)
                chunk = []
        _compare(store, outcome, chunk, path.name)
        return outcome, ids, villages

    outcome, ids, villages = regrouped(attempt)  # nothing landed before the file is read
    export = outcome.export
    unreadable = {b.household_id for b in export.bad}  # not absent: its rows were refused
    absent = set(households_of_villages(store, villages)) - ids - unreadable
    known = known_views(store, absent, as_of)
    for hid in sorted(absent):
        k = known.get(hid)
        if k is None:
            continue  # registered later than the day compared
        found = findings_of(differences(None, k), None, k, path.name, as_of)
        outcome.summary.add(k.village_code, found)
        outcome.findings.extend(found)
    if record:
        changed = _land(store, outcome, ids | absent)
        o = outcome
        run = NationalRun.completed(
            o.run_id, kind="compare", on=as_of.isoformat(), by=by, role=role, scope=within,
            file=path.name, by_township=o.summary.record(),
            counts={
                "households": o.summary.households, "agreeing": o.summary.agreeing,
                "differences": len(o.findings), "rows_refused": len(export.bad),
                "raised": o.raised, "found_again": o.found_again, "resolved": o.resolved,
            },
        )  # fmt: skip
        save(store, [*changed, run])  # the run with what it changed, or nothing at all
    outcome.report = write_compare_report(report_path(path, "比对报告"), outcome)
    return outcome


def _compare(store: EventStore, o: CompareOutcome, views: list[View], source: str) -> None:
    known = known_views(store, (v.household_id for v in views), o.as_of)
    for view in views:
        if "township_name" in view.names:
            o.townships.setdefault(township_of(view.village_code), view.names["township_name"])
        k = known.get(view.household_id)
        found = findings_of(differences(view, k), view, k, source, o.as_of)
        o.summary.add(view.village_code, found)
        o.findings.extend(found)


def _land(store: EventStore, o: CompareOutcome, compared: set[str]) -> list[Problem]:
    """The findings into the ledger: new problems raised, resolved ones found again, and the
    comparison's earlier problems of these households that it no longer finds resolved
    (the problems changed, to be saved)."""
    problems = load_problems(store)
    upkeep = Upkeep(dict(problems), o.as_of, o.run_id)
    for f in o.findings:
        upkeep.finding(f)
    o.raised += upkeep.raised
    o.found_again += upkeep.found_again
    changed, found = upkeep.changed, upkeep.found
    for pid, p in problems.items():
        if (
            pid not in found
            and p.check.startswith(CHECK_PREFIX)
            and p.subject in compared
            and p.facts_resolved_on is None
            and p.raised_on <= o.as_of.isoformat()
        ):
            p.resolved_by_facts(o.as_of, o.run_id)
            changed[pid] = p
            o.resolved += 1
    return list(changed.values())
