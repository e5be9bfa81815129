"""The three ledgers of a township and the county bureau's report, as tables (lists of
rows with the same keys), from the ledger's problems and the latest sweep. Pure: the
exports and the command line print or write these."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from services.domain.compliance.county import COVERAGE
from services.domain.compliance.findings import AREAS, RULES, township_of
from services.domain.compliance.ledger import (
    CLOSED,
    MERGED,
    OCCURRED_AGAIN,
    OPEN,
    RECTIFIED,
    RECTIFYING,
    RESOLVED,
    Problem,
    Sweep,
)

Row = dict[str, Any]
LEVELS = {"county": 6, "township": 9, "village": 12}


def problem_id(p: Problem) -> str:
    """The full id in tables and files (the command line accepts its first 8+ characters)."""
    return str(p.id)


def scope_of(p: Problem) -> str:
    """What makes the problem one lapse (a month, a case, a measure…): its key's last part."""
    return str(p.key).removeprefix(f"{p.rule_id}/{p.check}/{p.subject_type}:{p.subject}/")


def state_on(p: Problem, as_of: date) -> dict[str, bool]:
    """Where the problem stood on the day, by the days its steps name: found (raised by
    then), planned, rectified (an action by then), resolved by the facts and not found
    again, closed out and not reopened, overdue (planned, past the deadline, neither
    closed nor resolved)."""
    day = as_of.isoformat()
    status = status_on(p, as_of)
    planned = p.plan is not None and p.plan["on"] <= day
    closed = status == CLOSED
    return {
        "found": p.raised_on <= day and status != MERGED,
        "planned": planned,
        "rectified": any(a["on"] <= day for a in p.actions),
        "resolved": status == RESOLVED,
        "closed": closed,
        "overdue": status not in (CLOSED, RESOLVED) and planned and p.plan["deadline"] < day,
    }


def _steps(p: Problem) -> list[tuple[str, str]]:
    """The problem's steps (what, day) in the order of their days (the order recorded
    among steps of one day)."""
    return sorted(((what, on) for what, on, *_ in p.history), key=lambda s: s[1])


def status_on(p: Problem, as_of: date) -> str:
    """The problem's status on the day, from its steps dated up to then (a plan, an action,
    a close-out or a sweep's resolution after the day has not happened yet in it): open
    when raised; rectifying once planned; rectified once an action is recorded; closed
    once closed out (until reopened or found again); resolved when a sweep found the facts
    no longer show it and it is not closed out (until found again or reopened); back to
    rectifying (or open) from rectified when the lapse occurred again after the action;
    merged once folded into its household's recurring problem (no row of its own)."""
    return _replay(_steps(p), as_of.isoformat())


def _replay(steps: Sequence[tuple[str, str]], day: str) -> str:
    status, planned, resolved = OPEN, False, False
    for what, on in steps:
        if on > day:
            break
        if what == "planned":
            planned, status = True, RECTIFYING if status == OPEN else status
        elif what == "action" and status in (OPEN, RECTIFYING):
            status = RECTIFIED
        elif what == "closed out":
            status = CLOSED
        elif what == "resolved by the facts":
            resolved = True
        elif what == "found again":
            resolved = False
            status = (RECTIFYING if planned else OPEN) if status == CLOSED else status
        elif what == "reopened":  # a person's word that it is not done, over the facts'
            status, resolved = (RECTIFYING if planned else OPEN), False
        elif what == OCCURRED_AGAIN and status == RECTIFIED:
            status = RECTIFYING if planned else OPEN
        elif what == MERGED:
            return MERGED
    return RESOLVED if resolved and status in (OPEN, RECTIFYING) else status


def status_timeline(p: Problem) -> list[tuple[str, str]]:
    """(day, status from that day) at each day a step of the problem names: what the
    problem_ledger projection keeps, so that a query as of any day reads status_on."""
    steps = _steps(p)
    days = sorted({on for _, on in steps})
    return [(d, _replay(steps, d)) for d in days]


def _closed_on(p: Problem, as_of: date) -> str:
    """The day of the close-out that stands on the day ("" if none does)."""
    if status_on(p, as_of) != CLOSED:
        return ""
    return max(on for what, on, *_ in p.history if what == "closed out" and on <= str(as_of))


def _in(p: Problem, township: str | None, favoritism: bool = True) -> bool:
    """Within the township; favoritism only when asked (the inspectors' business)."""
    return (township is None or p.village.startswith(township)) and (
        favoritism or p.concern != "favoritism"
    )


def problem_ledger(
    problems: Iterable[Problem], as_of: date, township: str | None = None, favoritism: bool = True
) -> list[Row]:
    """疑似问题台账: problem, rectification plan, deadline, responsible person, status."""
    rows = []
    for p in sorted(problems, key=lambda p: (p.village, p.rule_id, p.key)):
        s = state_on(p, as_of)
        if not _in(p, township, favoritism) or not s["found"]:
            continue
        plan = p.plan if s["planned"] else {}
        resolved = p.facts_resolved_on or ""
        periods = periods_on(p, as_of)
        rows.append(
            {
                "problem": problem_id(p),
                "rule": p.rule_id,
                "check": p.check,
                "concern": p.concern or "",
                "subject": f"{p.subject_type} {p.subject}",
                "scope": scope_of(p),
                "township": p.township,
                "village": p.village,
                "summary": p.summary,
                "evidence": " ".join(p.evidence),
                "due_on": p.due_on,
                "raised_on": p.raised_on,
                "responsible_unit": p.responsible,
                "plan": plan.get("plan", ""),
                "deadline": plan.get("deadline", ""),
                "responsible_person": plan.get("responsible_person", ""),
                "status": status_on(p, as_of),
                "overdue": "overdue" if s["overdue"] else "",
                "resolved_by_facts_on": resolved if resolved <= as_of.isoformat() else "",
                "closed_on": _closed_on(p, as_of),
                "periods": periods,
                "count": max(len(periods), 1),
            }
        )
    return rows


PERIOD = re.compile(r"[0-9]{4}(?:-[0-9]{2})?")  # a month (2025-04) or a year (2025)


def periods_on(p: Problem, as_of: date) -> list[str]:
    """The occurrences of a recurring problem standing on the day (its months, years or
    days); a problem of one period from before occurrences: that period."""
    if p.occurrences:
        return [o["label"] for o in p.occurrences_on(as_of)]
    scope = scope_of(p)
    return [scope] if PERIOD.fullmatch(scope) else []


# What the rectification ledger lists: the people's steps and the facts' verdicts on them
# (not the raise, nor the occurrences a sweep adds: the problem ledger shows those).
RECTIFICATION_STEPS = frozenset(
    {"planned", "action", "closed out", "reopened", "resolved by the facts", "found again"}
)


def rectification_ledger(
    problems: Iterable[Problem], township: str | None = None, favoritism: bool = True
) -> list[Row]:
    """整改工作台账: every action taken and every close-out or reopening, with evidence."""
    rows = []
    for p in sorted(problems, key=lambda p: (p.village, p.rule_id, p.key)):
        if not _in(p, township, favoritism):
            continue
        for what, on, by, text, evidence in p.history:
            if what not in RECTIFICATION_STEPS:
                continue
            rows.append(
                {
                    "problem": problem_id(p),
                    "rule": p.rule_id,
                    "village": p.village,
                    "subject": f"{p.subject_type} {p.subject}",
                    "step": what,
                    "on": on,
                    "by": by,
                    "what": text,
                    "evidence": " ".join(evidence),
                }
            )
    return rows


def townships(problems: Iterable[Problem], sweep: Sweep | None) -> list[str]:
    """The townships the ledgers cover: those the sweep screened, and any with problems."""
    screened = {township_of(v) for v in sweep.coverage} if sweep else set()
    return sorted(screened | {p.township for p in problems})


def screening_task_ledger(
    problems: Iterable[Problem], sweep: Sweep | None, as_of: date, township: str
) -> list[Row]:
    """排查任务台账: the eight areas of the township, each a task with its status."""
    mine = [p for p in problems if p.village.startswith(township)]
    households = 0
    found: dict[str, int] = {}
    if sweep is not None:
        households = sum(
            c["households"] for v, c in sweep.coverage.items() if v.startswith(township)
        )
        found = sweep.found_by_township_area.get(township, {})
    rows = []
    for area in AREAS:
        states = [state_on(p, as_of) for p in mine if RULES[p.rule_id][0] == area]
        states = [s for s in states if s["found"]]
        open_ = sum(not s["closed"] and not s["resolved"] for s in states)
        if sweep is None:
            status = "not screened"
        elif any(not s["closed"] and not s["resolved"] and not s["planned"] for s in states):
            status = "problems without a plan"
        elif open_:
            status = "rectifying"
        else:
            status = "done"
        rows.append(
            {
                "township": township,
                "area": area,
                "rules": " ".join(r for r, (a, _) in RULES.items() if a == area),
                "screened_on": sweep.as_of if sweep else "",
                "households": households,
                "findings_in_sweep": found.get(area, 0),
                "problems": len(states),
                "open": open_,
                "closed": sum(s["closed"] for s in states),
                "overdue": sum(s["overdue"] for s in states),
                "status": status,
            }
        )
    return rows


def by_rule(
    problems: Iterable[Problem], as_of: date, level: str, code: str | None = None
) -> list[Row]:
    """Problems found, rectified, closed, open and overdue, by unit and rule."""
    width = LEVELS[level]
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for p in problems:
        unit = p.village[:width]
        if code is not None and not unit.startswith(code):
            continue
        s = state_on(p, as_of)
        if not s["found"]:
            continue
        c = counts.setdefault(
            (unit, p.rule_id),
            dict.fromkeys(("found", "rectified", "closed", "resolved", "open", "overdue"), 0),
        )
        c["found"] += 1
        c["rectified"] += s["rectified"]
        c["closed"] += s["closed"]
        c["resolved"] += s["resolved"]
        c["open"] += not s["closed"] and not s["resolved"]
        c["overdue"] += s["overdue"]
    return [{level: u, "rule": r, "area": RULES[r][0], **c} for (u, r), c in sorted(counts.items())]


def _share(part: int, whole: int) -> float | None:
    """A share as a number (0.953), None where there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def coverage(sweep: Sweep | None, level: str, code: str | None = None) -> list[Row]:
    """Monthly visits, the year's screening, leaflets and awareness, by unit."""
    if sweep is None:
        return []
    width = LEVELS[level]
    units: dict[str, dict[str, int]] = {}
    for village, c in sweep.coverage.items():
        unit = village[:width]
        if code is None or unit.startswith(code):
            total = units.setdefault(unit, dict.fromkeys(COVERAGE, 0))
            for k in COVERAGE:
                total[k] += c[k]
    return [
        {
            level: unit,
            "as_of": sweep.as_of,
            "households": c["households"],
            "monthly_visits": _share(c["monthly_visits_done"], c["monthly_visits_due"]),
            "screened_this_year": _share(c["screened_this_year"], c["households"]),
            "application_leaflets": _share(c["application_leaflets"], c["households"]),
            "assistance_leaflets": _share(c["assistance_leaflets"], c["monitored"]),
            "awareness": _share(c["survey_aware"], c["survey_answered"]),
        }
        for unit, c in sorted(units.items())
    ]


def _counted(p: Problem, day: date, count_by: str) -> dict[str, bool]:
    s = state_on(p, day)
    if count_by == "due":
        s["found"] = p.due_on <= day.isoformat() and status_on(p, day) != MERGED
    return s


def phases(
    problems: Sequence[Problem],
    as_of: date,
    phase_ends: Sequence[tuple[str, date]],
    code: str | None = None,
    count_by: str = "due",
) -> list[Row]:
    """Progress against the campaign's three phases: what was found, rectified and closed
    by each phase's end (or by `as_of` for the phase under way). A problem is found in a
    phase by the day its fact fell due (`count_by` "due": a retrospective sweep fills the
    past phases), or by the day a sweep raised it ("found"); rectified and closed by the
    days of those steps."""
    mine = [
        p
        for p in problems
        if (code is None or p.village.startswith(code)) and p.raised_on <= as_of.isoformat()
    ]
    rows, previous = [], None
    for name, end in phase_ends:
        status = (
            "done"
            if end < as_of
            else "under way"
            if previous is None or previous < as_of
            else "ahead"
        )
        day = min(end, as_of)
        states = [_counted(p, day, count_by) for p in mine]
        rows.append(
            {
                "phase": name,
                "ends_on": end.isoformat(),
                "status": status,
                "counted_to": day.isoformat(),
                "found": sum(s["found"] for s in states),
                "rectified": sum(s["found"] and s["rectified"] for s in states),
                "closed": sum(s["found"] and s["closed"] for s in states),
                "resolved": sum(s["found"] and s["resolved"] for s in states),
                "open": sum(s["found"] and not s["closed"] and not s["resolved"] for s in states),
                "overdue": sum(s["found"] and s["overdue"] for s in states),
            }
        )
        previous = end
    return rows
