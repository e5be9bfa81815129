"""`dixian sweep`, `dixian sweeps`, `dixian problems …`: the compliance engine and the
problems' ledger steps from the command line (the ledgers and the report: cli/ledgers.py)."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID

from events.codes import ActorRole
from services.adapters import queries
from services.adapters.compliance_store import load_problems, load_sweeps
from services.adapters.eventstore import EventStore
from services.adapters.exports import render
from services.adapters.intake_store import accepted_events
from services.adapters.progress import Progress
from services.domain.compliance import reports
from services.domain.compliance.ledger import LedgerViolation, Problem
from services.entrypoints.cli.common import (
    NOT_FOUND,
    CommandError,
    a_day,
    add_json,
    nulls,
    open_store,
    positive,
    print_json,
    shown,
)
from services.settings import Settings
from services.usecases.compliance.ledger import apply, find_problem
from services.usecases.compliance.sweep import run_sweep, today


@contextlib.contextmanager
def _store(settings: Settings) -> Iterator[EventStore]:
    with open_store(settings) as (_, store):
        yield store


def cmd_sweep(settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    with _store(settings) as store, Progress(f"sweep as of {as_of}", "households") as progress:
        try:
            out = run_sweep(
                store,
                as_of,
                settings.compliance_params(),
                args.by,
                settings.sweep_workers,
                progress,
            )
        except LedgerViolation as e:
            raise CommandError(e.code, e.detail) from None
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
        sweeps = load_sweeps(store)
    rows = [
        {
            "as_of": w.as_of,
            "ran_at": w.created_on if args.json else shown(w.created_on),
            "by": w.ran_by,
            "households": w.households,
            "events": w.events,
            "findings": w.findings,
            "raised": w.raised,
            "resolved": w.resolved,
            "found_again": w.found_again,
        }
        for w in sweeps
    ]
    if args.json:
        print_json(rows)
        return 0
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
            # not found, or a step the ledger refuses: a failed check either way
            raise CommandError(e.code, e.detail, NOT_FOUND) from None


def _list(store: EventStore, settings: Settings, args: argparse.Namespace) -> int:
    as_of = args.as_of or today()
    problems = [p for p in load_problems(store).values() if _matches(p, args, as_of)]
    rows = reports.problem_ledger(problems, as_of)
    if args.json:
        print_json(nulls(rows[: args.limit]))
        return 0
    shown = [r | {"problem": r["problem"][:8]} for r in rows[: args.limit]]
    shown = [r | {"periods": " ".join(r["periods"])} for r in shown]
    columns = ["problem", "rule", "check", "subject", "due_on", "status", "overdue", "summary",
               "periods"]  # fmt: skip
    print(render(shown, columns, limit=60))
    print(f"{len(rows)} problems" + (f" ({len(shown)} shown)" if len(shown) < len(rows) else ""))
    return 0


def _show(store: EventStore, settings: Settings, args: argparse.Namespace) -> int:
    p = find_problem(store, args.problem)
    if args.json:
        print_json(
            {
                "problem": str(p.id),
                "rule": p.rule_id,
                "check": p.check,
                "concern": p.concern,
                "subject_type": p.subject_type,
                "subject": p.subject,
                "village": p.village,
                "summary": p.summary,
                "due_on": p.due_on,
                "responsible": p.responsible,
                "status": p.status,
                "plan": p.plan or None,
                "history": [
                    {"what": w, "on": on, "by": by, "text": text or None, "evidence": ev}
                    for w, on, by, text, ev in p.history
                ],
                "evidence": list(p.evidence),
                "occurrences": sorted(p.occurrences.values(), key=lambda o: o["label"]),
            }
        )
        return 0
    print(f"problem {p.id}  {p.rule_id} {p.check}  ({p.concern or 'rule'})")
    print(f"  subject      {p.subject_type} {p.subject}  (village {p.village})")
    print(f"  summary      {p.summary}")
    print(f"  due on       {p.due_on}; responsible: {p.responsible}")
    print(f"  status       {p.status}" + (f"; plan: {p.plan}" if p.plan else ""))
    if p.occurrences:
        print(f"  occurrences  {len(p.occurrences)}")
    for o in sorted(p.occurrences.values(), key=lambda o: o["label"]):
        spans = ", ".join(f"{f}..{r or ''}" for f, r in o["spans"])
        print(f"    {o['label']:<10} due {o['due_on']}  found {spans}")
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


def add_compliance_parser(sub: Any) -> None:
    day = a_day
    sweep = sub.add_parser("sweep", help="run the compliance engine as of a day; raise problems")
    sweep.add_argument("--as-of", type=day, help="the day (default: today, UTC+8)")
    sweep.add_argument("--by", default="sweep", help="who runs it (recorded)")
    sweep.set_defaults(func=cmd_sweep)
    sweeps = sub.add_parser("sweeps", help="the sweeps that ran and what each did")
    add_json(sweeps)
    sweeps.set_defaults(func=cmd_sweeps)

    problems = sub.add_parser("problems", help="the suspected problems: list, show, rectify")
    steps = problems.add_subparsers(dest="what", required=True)
    listing = steps.add_parser("list", help="problems with their status")
    listing.add_argument("--as-of", type=day)
    listing.add_argument("--township", help="a township's (or village's) code prefix")
    listing.add_argument("--rule", help="e.g. R4.1")
    listing.add_argument("--subject", help="a household number, cadre, village or department")
    listing.add_argument("--concern", choices=["favoritism", "perfunctory", "paper_only"])
    listing.add_argument(
        "--status", choices=["open", "rectifying", "rectified", "resolved", "closed", "overdue"]
    )
    listing.add_argument("--limit", type=positive, default=50)
    add_json(listing)
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
            add_json(p)
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
