"""`dixian sweep`, `dixian problems …`, `dixian ledgers`, `dixian report`: the compliance
engine and the three ledgers from the command line."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from events.codes import ActorRole
from services.adapters import queries
from services.adapters.compliance_store import load_problems, load_sweeps
from services.adapters.eventstore import EventStore
from services.adapters.exports import render, write_csv, write_xlsx
from services.adapters.intake_store import accepted_events
from services.domain.compliance import reports
from services.domain.compliance.ledger import LedgerViolation, Problem, Sweep
from services.entrypoints.cli.common import open_store
from services.settings import Settings
from services.usecases.compliance.ledger import apply, find_problem
from services.usecases.compliance.sweep import run_sweep, today
from services.usecases.ledgers import sweeps


@contextlib.contextmanager
def _store(settings: Settings) -> Iterator[EventStore]:
    with open_store(settings) as (_, store):
        yield store


def latest_sweep(sweeps: list[Sweep], as_of: date) -> Sweep | None:
    done = [s for s in sweeps if s.as_of <= as_of.isoformat()]
    return done[-1] if done else None


def cmd_sweep(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    with _store(settings) as store:
        try:
            out = run_sweep(
                store, as_of, settings.compliance_params(), args.by, settings.sweep_workers
            )
        except LedgerViolation as e:
            print(f"{e.code}: {e.detail}")
            return 2
    e = out.evaluation
    print(
        f"swept {e.households} households ({e.events} events) as of {as_of}: "
        f"{len(e.findings)} suspected problems; {out.raised} new, {out.resolved} resolved by "
        f"the facts, {out.found_again} found again  [sweep {out.sweep_id}]"
    )
    counts = Counter(f.rule_id for f in e.findings)
    print(render([{"rule": r, "findings": n} for r, n in sorted(counts.items())]))
    return 0


def cmd_sweeps(settings: Settings, args: argparse.Namespace) -> int:
    """Every sweep that ran: as of which day, when, by whom, and what it did."""
    with _store(settings) as store:
        rows = [
            {k: v for k, v in r.items() if k != "sweep"} | {"ran_at": r["ran_at"][:19]}
            for r in sweeps(store)
        ]
    print(render(rows))
    return 0


def _matches(p: Problem, args: argparse.Namespace, as_of: date) -> bool:
    s = reports.state_on(p, as_of)
    status = reports.status_on(p, as_of)
    return (
        s["found"]
        and (args.township is None or p.village.startswith(args.township))
        and (args.rule is None or p.rule_id == args.rule)
        and (args.subject is None or p.subject == args.subject)
        and (args.concern is None or p.concern == args.concern)
        and (
            args.status is None
            or args.status == status
            or (args.status == "overdue" and s["overdue"])
        )
    )


def cmd_problems(settings: Settings, args: argparse.Namespace) -> int:
    with _store(settings) as store:
        try:
            return _PROBLEM_COMMANDS[args.what](store, settings, args)
        except LedgerViolation as e:
            print(f"{e.code}: {e.detail}")
            return 2


def _list(store: EventStore, settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    problems = [p for p in load_problems(store).values() if _matches(p, args, as_of)]
    rows = reports.problem_ledger(problems, as_of)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    shown = [r | {"problem": r["problem"][:8]} for r in rows[: args.limit]]
    columns = ["problem", "rule", "check", "subject", "due_on", "status", "overdue", "summary"]
    print(render(shown, columns, limit=60))
    print(f"{len(rows)} problems" + (f" ({len(shown)} shown)" if len(shown) < len(rows) else ""))
    return 0


def _show(store: EventStore, settings: Settings, args: argparse.Namespace) -> int:
    p = find_problem(store, args.problem)
    print(f"problem {p.id}  {p.rule_id} {p.check}  ({p.concern or 'rule'})")
    print(f"  subject      {p.subject_type} {p.subject}  (village {p.village})")
    print(f"  summary      {p.summary}")
    print(f"  due on       {p.due_on}; responsible: {p.responsible}")
    print(f"  status       {p.status}" + (f"; plan: {p.plan}" if p.plan else ""))
    print("  history")
    for what, on, by, text, evidence in p.history:
        print(f"    {on}  {what:<22} {by:<20} {text} {' '.join(evidence)}".rstrip())
    print("  evidence")
    for line in evidence_lines(store, p.evidence):
        print(f"    {line}")
    return 0


def evidence_lines(store: EventStore, event_ids: list[str], most: int = 25) -> list[str]:
    """The evidence events as the store holds them (personal information masked)."""
    wanted = [UUID(e) for e in event_ids[:most] if e]
    households = {s.household_id for s in accepted_events(store, wanted).values()}
    found: dict[str, str] = {}
    for hid in sorted(households):
        for position, e in queries.household_events(store, hid):
            if e.event_id in event_ids:
                facts = json.dumps(queries.mask_personal(e.facts), ensure_ascii=False)
                found[e.event_id] = (
                    f"#{position} {e.event_type} of {hid}, occurred {e.occurred_at[:10]}, "
                    f"recorded {e.recorded_at[:10]} by {e.actor_id} [{e.event_id}]\n      {facts}"
                )
    lines = [found.get(e, f"{e} (not in the store)") for e in event_ids[:most]]
    if len(event_ids) > most:
        lines.append(f"… and {len(event_ids) - most} more")
    return lines


def _ledger_step(decide: Callable[[Problem, argparse.Namespace, Settings], Any]) -> Any:
    def command(store: EventStore, settings: Settings, args: argparse.Namespace) -> int:
        p = apply(store, args.problem, lambda p: decide(p, args, settings))
        print(f"problem {str(p.id)[:8]} ({p.rule_id} {p.subject}): {p.status}")
        return 0

    return command


def _on(args: argparse.Namespace) -> date:
    return args.on or today()


_PROBLEM_COMMANDS: dict[str, Callable[[EventStore, Settings, argparse.Namespace], int]] = {
    "list": _list,
    "show": _show,
    "plan": _ledger_step(
        lambda p, a, s: p.plan_rectification(
            a.plan, a.deadline, a.responsible, a.by, a.role, _on(a)
        )
    ),
    "act": _ledger_step(
        lambda p, a, s: p.record_action(a.action, a.evidence or [], a.by, a.role, _on(a))
    ),
    "close": _ledger_step(
        lambda p, a, s: p.close_out(
            a.evidence or [], a.note, a.by, a.role, _on(a), s.compliance.closing_roles
        )
    ),
    "reopen": _ledger_step(
        lambda p, a, s: p.reopen(a.reason, a.by, a.role, _on(a), s.compliance.closing_roles)
    ),
}


def _write(sheets: dict[str, list[dict[str, Any]]], args: argparse.Namespace) -> None:
    if args.xlsx:
        print(f"wrote {write_xlsx(args.xlsx, sheets)}")
    if args.csv:
        for path in write_csv(args.csv, sheets):
            print(f"wrote {path}")


def cmd_ledgers(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    with _store(settings) as store:
        problems = list(load_problems(store).values())
        sweep = latest_sweep(load_sweeps(store), as_of)
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
    _write(sheets, args)
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    params = settings.compliance_params()
    with _store(settings) as store:
        problems = list(load_problems(store).values())
        sweep = latest_sweep(load_sweeps(store), as_of)
    sheets = {
        "by_rule": reports.by_rule(problems, as_of, args.level, args.code),
        "coverage": reports.coverage(sweep, args.level, args.code),
        "phases": reports.phases(problems, as_of, params.phases, args.code),
    }
    print(
        f"report by {args.level}{f' within {args.code}' if args.code else ''}, as of {as_of}"
        f"{f'; coverage from the sweep as of {sweep.as_of}' if sweep else '; no sweep yet'}"
    )
    for name, rows in sheets.items():
        print(f"\n== {name}")
        print(render(rows))
    _write(sheets, args)
    return 0


def add_compliance_parser(sub: Any) -> None:
    day = date.fromisoformat
    sweep = sub.add_parser("sweep", help="run the compliance engine as of a day; raise problems")
    sweep.add_argument("--as-of", type=day, help="the day (default: today, UTC+8)")
    sweep.add_argument("--by", default="sweep", help="who runs it (recorded)")
    sweep.set_defaults(func=cmd_sweep)
    sub.add_parser("sweeps", help="the sweeps that ran and what each did").set_defaults(
        func=cmd_sweeps
    )

    problems = sub.add_parser("problems", help="the suspected problems: list, show, rectify")
    steps = problems.add_subparsers(dest="what", required=True)
    listing = steps.add_parser("list", help="problems with their status")
    listing.add_argument("--as-of", type=day)
    listing.add_argument("--township", help="a township's (or village's) code prefix")
    listing.add_argument("--rule", help="e.g. R4.1")
    listing.add_argument("--subject", help="a household number, cadre, village or department")
    listing.add_argument("--concern", choices=["favoritism", "perfunctory", "paper_only"])
    listing.add_argument(
        "--status", choices=["open", "rectifying", "rectified", "closed", "overdue"]
    )
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    show = steps.add_parser("show", help="a problem, its history and its evidence events")
    for p in (
        show,
        *(
            steps.add_parser(n, help=h)
            for n, h in (
                ("plan", "a rectification plan with its deadline and responsible person"),
                ("act", "a rectification action with evidence"),
                ("close", "close out (销号): evidence, by an authorised role"),
                ("reopen", "reopen a closed-out problem"),
            )
        ),
    ):
        p.add_argument("problem", help="the problem id (or its first 8+ characters)")
        if p is show:
            continue
        p.add_argument("--by", required=True, help="who (person id)")
        p.add_argument("--role", required=True, choices=[r.value for r in ActorRole])
        p.add_argument("--on", type=day, help="the day (default: today)")
    plan, act, close, reopen = (steps.choices[n] for n in ("plan", "act", "close", "reopen"))
    plan.add_argument("--plan", required=True)
    plan.add_argument("--deadline", type=day, required=True)
    plan.add_argument("--responsible", required=True, help="the responsible person")
    act.add_argument("--action", required=True)
    for p in (act, close):
        p.add_argument("--evidence", nargs="+", help="evidence references")
    close.add_argument("--note", default="")
    reopen.add_argument("--reason", required=True)
    problems.set_defaults(func=cmd_problems)

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
        p.add_argument("--as-of", type=day)
        p.add_argument("--xlsx", type=Path, help="write an .xlsx workbook here")
        p.add_argument("--csv", type=Path, help="write one CSV per table into this directory")
    ledgers.set_defaults(func=cmd_ledgers)
    report.set_defaults(func=cmd_report)
