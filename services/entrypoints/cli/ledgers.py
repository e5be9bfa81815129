"""`dixian ledgers`, `dixian report`: the three ledgers (台账) and the county bureau's report,
on screen, as JSON, and as the bureau's workbooks and CSV files (in Chinese)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from services.adapters.compliance_store import load_problems, load_sweeps
from services.adapters.eventstore import EventStore
from services.adapters.exports import render
from services.adapters.workbooks import Sheet, write_csvs, write_workbook
from services.domain.compliance import reports
from services.domain.compliance.ledger import Problem, Sweep
from services.entrypoints.cli.common import a_day, add_json, nulls, open_store, print_json
from services.settings import Settings
from services.usecases.compliance.sweep import today
from services.usecases.compliance.workbooks import (
    Names,
    bureau_names,
    ledger_sheets,
    report_sheets,
)


def latest_sweep(sweeps: list[Sweep], as_of: date) -> Sweep | None:
    done = [s for s in sweeps if s.as_of <= as_of.isoformat()]
    return done[-1] if done else None


def _write(
    store: EventStore,
    settings: Settings,
    args: argparse.Namespace,
    problems: list[Problem],
    build: Callable[[Names], list[Sheet]],
) -> None:
    """The workbook and the CSV files, in Chinese, with the places' and heads' names (what
    was written said on stderr under --json, which keeps stdout for the JSON)."""
    if not (args.xlsx or args.csv):
        return
    sheets = build(bureau_names(store, settings.places_file, problems))
    said = sys.stderr if args.json else sys.stdout
    if args.xlsx:
        print(f"wrote {write_workbook(args.xlsx, sheets)}", file=said)
    if args.csv:
        for path in write_csvs(args.csv, sheets):
            print(f"wrote {path}", file=said)


def cmd_ledgers(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    with open_store(settings) as (_, store):
        problems = list(load_problems(store).values())
        sweep = latest_sweep(load_sweeps(store), as_of)
        _write(
            store,
            settings,
            args,
            problems,
            lambda names: ledger_sheets(
                problems, sweep, as_of, args.township, names, args.with_favoritism
            ),
        )
    townships = [args.township] if args.township else reports.townships(problems, sweep)
    sheets = {
        "screening_tasks": [
            row
            for township in townships
            for row in reports.screening_task_ledger(problems, sweep, as_of, township)
        ],
        "suspected_problems": reports.problem_ledger(
            problems, as_of, args.township, args.with_favoritism
        ),
        "rectification": reports.rectification_ledger(
            problems, args.township, args.with_favoritism
        ),
    }
    if args.json:
        print_json({name: nulls(rows) for name, rows in sheets.items()})
        return 0
    print(f"{f'township {args.township}' if args.township else 'every township'}, as of {as_of}")
    print("\n== screening-task ledger (排查任务台账)")
    print(render(sheets["screening_tasks"]))
    print(f"\n== suspected-problem ledger (疑似问题台账): {len(sheets['suspected_problems'])} rows")
    print(
        render(
            [r | {"problem": r["problem"][:8]} for r in sheets["suspected_problems"][:20]],
            ["problem", "rule", "subject", "deadline", "responsible_person", "status", "overdue"],
        )
    )
    print(f"\n== rectification ledger (整改工作台账): {len(sheets['rectification'])} rows")
    print(render(sheets["rectification"][:20]))
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    params = settings.compliance_params()
    with open_store(settings) as (_, store):
        problems = list(load_problems(store).values())
        sweep = latest_sweep(load_sweeps(store), as_of)
        _write(
            store,
            settings,
            args,
            problems,
            lambda names: report_sheets(
                problems,
                sweep,
                as_of,
                args.level,
                args.code,
                params.phases_on(as_of),
                names,
                params.phase_count_by,
            ),
        )
    sheets = {
        "by_rule": reports.by_rule(problems, as_of, args.level, args.code),
        "coverage": reports.coverage(sweep, args.level, args.code),
        "phases": reports.phases(
            problems, as_of, params.phases_on(as_of), args.code, params.phase_count_by
        ),
    }
    if args.json:
        print_json({name: nulls(rows) for name, rows in sheets.items()})
        return 0
    print(
        f"report by {args.level}{f' within {args.code}' if args.code else ''}, as of {as_of}"
        f"{f'; coverage from the sweep as of {sweep.as_of}' if sweep else '; no sweep yet'}"
    )
    for name, rows in sheets.items():
        print(f"\n== {name}")
        print(render([{k: _percent(v) for k, v in r.items()} for r in rows]))
    return 0


def _percent(value: Any) -> Any:
    return f"{value:.1%}" if isinstance(value, float) else "" if value is None else value


def add_ledgers_parsers(sub: Any) -> None:
    day = a_day
    ledgers = sub.add_parser("ledgers", help="a township's three ledgers, on screen and as files")
    ledgers.add_argument("--township", help="9-digit township code (default: every township)")
    ledgers.add_argument(
        "--with-favoritism",
        action="store_true",
        help="include the suspicions of favoritism (the inspectors' copy; left out of the "
        "township's own)",
    )
    report = sub.add_parser("report", help="the county bureau's report by village/township/county")
    report.add_argument("--level", choices=list(reports.LEVELS), default="township")
    report.add_argument("--code", help="only units within this code")
    for p in (ledgers, report):
        add_json(p)
        p.add_argument("--as-of", type=day)
        p.add_argument("--xlsx", type=Path, help="write the .xlsx workbook (in Chinese) here")
        p.add_argument(
            "--csv", type=Path, help="write one CSV per sheet (Chinese headers) into this directory"
        )
    ledgers.set_defaults(func=cmd_ledgers)
    report.set_defaults(func=cmd_report)
