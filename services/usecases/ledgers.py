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
from services.adapters.workbooks import Sheet, write_csvs, write_workbook
from services.domain.compliance import reports
from services.domain.compliance.ledger import Problem, Sweep
from services.domain.compliance.params import ComplianceParams
from services.domain.roles import Principal
from services.usecases.compliance import workbooks
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
        "phases": reports.phases(
            problems, day, params.phases_on(day), place, params.phase_count_by
        ),
    }


def ledger_file(
    store: EventStore,
    who: Principal,
    places_file: Path | None,
    as_of: date | None,
    place: str | None,
    favoritism: bool,
    fmt: str,
    table: str | None = None,
) -> tuple[bytes, str, str]:
    """The three ledgers as the bureau keeps them (services.usecases.compliance.workbooks),
    for the place within the scope: (bytes, media type, file name)."""
    day, code = as_of or today(), who.narrow(place)
    problems = problems_within(store, code) if code is not None else []
    sheets = workbooks.ledger_sheets(
        problems,
        latest_sweep(store, day),
        day,
        code if code and len(code) >= 9 else None,
        workbooks.bureau_names(store, places_file, problems),
        favoritism and who.sees_favoritism,
    )
    return _file(sheets, fmt, LEDGER_TABLES, "台账", table)


def report_file(
    store: EventStore,
    who: Principal,
    params: ComplianceParams,
    places_file: Path | None,
    as_of: date | None,
    level: str,
    code: str | None,
    fmt: str,
    table: str | None = None,
) -> tuple[bytes, str, str]:
    """The report as the bureau keeps it, for the place within the scope."""
    day, place = as_of or today(), who.narrow(code)
    problems = [
        p
        for p in (problems_within(store, place) if place is not None else [])
        if who.sees_favoritism or p.concern != "favoritism"
    ]
    sheets = workbooks.report_sheets(
        problems,
        latest_sweep(store, day),
        day,
        level,
        place,
        params.phases_on(day),
        workbooks.bureau_names(store, places_file, problems),
        params.phase_count_by,
    )
    return _file(sheets, fmt, REPORT_TABLES, "报表", table)


LEDGER_TABLES = ("screening_tasks", "suspected_problems", "rectification")
REPORT_TABLES = ("by_rule", "coverage", "phases")


def _file(
    sheets: list[Sheet], fmt: str, tables: tuple[str, ...], name: str, table: str | None
) -> tuple[bytes, str, str]:
    with tempfile.TemporaryDirectory(prefix="dixian-export-") as tmp:
        if fmt == "xlsx":
            return write_workbook(Path(tmp) / "t.xlsx", sheets).read_bytes(), XLSX, f"{name}.xlsx"
        if table not in tables:
            raise NotFound("TABLE_NOT_FOUND", f"{table}: one of {', '.join(tables)}")
        one = sheets[tables.index(table)]
        (path,) = write_csvs(Path(tmp), [one])
        return path.read_bytes(), "text/csv; charset=utf-8", f"{table}.csv"


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
