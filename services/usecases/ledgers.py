"""The three ledgers (台账) and the county bureau's report, for the places within the
reader's scope, as tables (JSON) or files (.xlsx, CSV); the sweeps that ran, and a sweep
started by a person (recorded as run by them)."""

from __future__ import annotations

import logging
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import Any

from services.adapters.compliance_store import load_sweeps, problems_at
from services.adapters.eventstore import EventStore
from services.adapters.exports import write_csv, write_xlsx
from services.domain.compliance import reports
from services.domain.compliance.ledger import Problem, Sweep
from services.domain.compliance.params import ComplianceParams
from services.domain.roles import Principal
from services.usecases.compliance.sweep import run_sweep, today
from services.usecases.errors import NotFound, Refused

log = logging.getLogger("dixian.compliance")
Sheets = dict[str, list[dict[str, Any]]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVERY_VERSION = 2**31 - 1


def problems_within(store: EventStore, place: str) -> list[Problem]:
    """The problems of the place, as the store holds them now (the projection says which)."""
    with store.connection() as conn:
        ids = [
            r["problem_id"]
            for r in conn.execute(
                'SELECT problem_id FROM problem_ledger WHERE village COLLATE "C" LIKE %s',
                (place + "%",),
            ).fetchall()
        ]
    return list(problems_at(store, dict.fromkeys(ids, EVERY_VERSION)).values())


def latest_sweep(store: EventStore, as_of: date) -> Sweep | None:
    done = [s for s in load_sweeps(store) if s.as_of <= as_of.isoformat()]
    return done[-1] if done else None


def ledger_sheets(
    store: EventStore, who: Principal, as_of: date | None, place: str | None, favoritism: bool
) -> Sheets:
    """The screening-task, suspected-problem and rectification ledgers of the place within
    the scope; suspicions of favoritism only for those who may see them, and when asked."""
    day = as_of or today()
    code = who.narrow(place)
    if code is None:
        return {"screening_tasks": [], "suspected_problems": [], "rectification": []}
    favoritism = favoritism and who.sees_favoritism
    problems = problems_within(store, code)
    sweep = latest_sweep(store, day)
    places = (
        [code]
        if len(code) >= 9
        else [t for t in reports.townships(problems, sweep) if t.startswith(code)]
    )
    return {
        "screening_tasks": [
            row for t in places for row in reports.screening_task_ledger(problems, sweep, day, t)
        ],
        "suspected_problems": reports.problem_ledger(problems, day, code, favoritism),
        "rectification": reports.rectification_ledger(problems, code, favoritism),
    }


def report_sheets(
    store: EventStore,
    who: Principal,
    params: ComplianceParams,
    as_of: date | None,
    level: str,
    code: str | None,
) -> Sheets:
    """Found, rectified, closed and overdue by rule; coverage; the campaign's three phases."""
    day = as_of or today()
    place = who.narrow(code)
    if place is None:
        return {"by_rule": [], "coverage": [], "phases": []}
    problems = [
        p for p in problems_within(store, place) if who.sees_favoritism or p.concern != "favoritism"
    ]
    sweep = latest_sweep(store, day)
    return {
        "by_rule": reports.by_rule(problems, day, level, place),
        "coverage": reports.coverage(sweep, level, place),
        "phases": reports.phases(problems, day, params.phases, place),
    }


def download(sheets: Sheets, fmt: str, table: str | None = None) -> tuple[bytes, str]:
    """The tables as a file, through the exports: (bytes, media type). The one place the
    HTTP API writes workbooks and CSV."""
    with tempfile.TemporaryDirectory(prefix="dixian-export-") as tmp:
        if fmt == "xlsx":
            return write_xlsx(Path(tmp) / "tables.xlsx", sheets).read_bytes(), XLSX
        if table not in sheets:
            raise NotFound("TABLE_NOT_FOUND", f"{table}: one of {', '.join(sheets)}")
        (path,) = write_csv(Path(tmp), {table: sheets[table]})
        return path.read_bytes(), "text/csv; charset=utf-8"


def sweeps(store: EventStore) -> list[dict[str, Any]]:
    """Every sweep that ran: as of which day, when, by whom, and what it did."""
    return [
        {
            "sweep": str(w.id),
            "as_of": w.as_of,
            "ran_at": w.created_on.isoformat(),
            "by": w.ran_by,
            "households": w.households,
            "events": w.events,
            "findings": w.findings,
            "raised": w.raised,
            "resolved": w.resolved,
            "found_again": w.found_again,
        }
        for w in load_sweeps(store)
    ]


class SweepRunner:
    """One sweep at a time from this process, run in a thread (a county takes a minute)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def start(
        self, store: EventStore, who: Principal, params: ComplianceParams, day: date, workers: int
    ) -> None:
        if not self._lock.acquire(blocking=False):
            raise Refused("SWEEP_RUNNING", "a sweep started here has not finished")

        def run() -> None:
            try:
                run_sweep(store, day, params, who.name, workers)
            except Exception:
                log.exception("the sweep as of %s started by %s failed", day, who.name)
            finally:
                self._lock.release()

        self.thread = threading.Thread(target=run, name="api-sweep", daemon=True)
        self.thread.start()
