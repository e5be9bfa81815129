"""The three ledgers (排查任务台账, 疑似问题台账, 整改工作台账) and the report as the bureau
reads them: in Chinese, with names instead of codes (places from the code table, the head of
household masked), statuses and rules in words, and a household's lapses month after month
in one row. Built from the domain's tables; written by services.adapters.workbooks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from services.adapters import queries
from services.adapters.eventstore import EventStore
from services.adapters.places import load_places
from services.adapters.workbooks import Column, Sheet
from services.domain.compliance import reports
from services.domain.compliance.checks.favoritism import DISCIPLINE_INSPECTION
from services.domain.compliance.findings import RULES
from services.domain.compliance.ledger import Problem, Sweep
from services.domain.places import Places
from services.i18n import label, t
from services.i18n.summaries import periods_label, summarise


@dataclass(frozen=True, slots=True)
class Names:
    """What the ledgers name things by: the places' names, the heads' masked names."""

    places: Places = field(default_factory=Places)
    heads: Mapping[str, str] = field(default_factory=dict)  # household number → 张*明


def households_of(problems: Iterable[Problem]) -> set[str]:
    """The household numbers the ledgers name a head for."""
    return {str(p.subject) for p in problems if p.subject_type == "household"}


def _col(key: str, kind: Any = "text", width: int = 40) -> Column:
    return Column(t(f"column.{key}"), kind, width)


def title(what: str, unit: str, names: Names, as_of: date, extra: str = "") -> str:
    """县乡 + what + (as of): e.g. 示范县青山镇疑似问题台账（截至2026-03-01）."""
    where = names.places.county(unit) + (names.places.township(unit) if len(unit) >= 9 else "")
    day = t("title.as_of", day=as_of.isoformat())
    return f"{where}{what}（{extra + '，' if extra else ''}{day}）"


# --- the three ledgers ----------------------------------------------------------------------
# Each column's kind and widest width (text wraps beyond it): narrow enough that a ledger
# printed one A4 page wide stays legible.
WIDTHS: dict[str, tuple[Any, int]] = {
    "township": ("text", 10), "village": ("text", 10), "subject": ("text", 24),
    "head": ("text", 6), "rule": ("text", 6), "check": ("text", 12), "concern": ("text", 8),
    "summary": ("text", 28), "periods": ("text", 16), "count": ("int", 6),
    "due_on": ("date", 11), "raised_on": ("date", 11), "responsible_unit": ("text", 14),
    "plan": ("text", 18), "deadline": ("date", 11), "responsible_person": ("text", 10),
    "status": ("text", 8), "is_overdue": ("text", 8), "closed_on": ("date", 11),
    "resolved_by_facts_on": ("date", 11), "problem": ("text", 20), "step": ("text", 12),
    "on": ("date", 11), "by": ("text", 12), "what": ("text", 30), "evidence": ("text", 18),
    "area": ("text", 16), "rules": ("text", 18), "screened_on": ("date", 11),
    "households": ("int", 8), "findings_in_sweep": ("int", 8), "problems": ("int", 8),
    "open": ("int", 8), "closed": ("int", 8), "overdue": ("int", 8), "task_status": ("text", 14),
}  # fmt: skip
SCREENING = ("township", "area", "rules", "screened_on", "households", "findings_in_sweep",
             "problems", "open", "closed", "overdue", "task_status")  # fmt: skip
SUSPECTED = ("township", "village", "subject", "head", "rule", "check", "concern", "summary",
             "periods", "count", "due_on", "raised_on", "responsible_unit", "plan", "deadline",
             "responsible_person", "status", "is_overdue", "closed_on", "resolved_by_facts_on",
             "problem")  # fmt: skip
RECTIFICATION = ("township", "village", "subject", "head", "rule", "check", "step", "on", "by",
                 "what", "evidence", "problem")  # fmt: skip


def _sheet(name: str, heading: str, keys: Sequence[str], rows: Iterable[dict[str, Any]]) -> Sheet:
    """A sheet of the columns `keys`, from rows keyed by them."""
    columns = [Column(_header(k), *WIDTHS[k]) for k in keys]
    return Sheet(name, heading, columns, [[r.get(k) for k in keys] for r in rows])


def _header(key: str) -> str:
    return t("column.status") if key == "task_status" else t(f"column.{key}")


def ledger_sheets(
    problems: Sequence[Problem],
    sweep: Sweep | None,
    as_of: date,
    township: str | None,
    names: Names,
    favoritism: bool = False,
) -> list[Sheet]:
    """A township's three ledgers (every township's, with `township` None: then a column
    names each row's township; a township's own names it in the title)."""
    unit = township or _county(problems, sweep)
    scope = "" if township else t("title.whole_county")
    townships = [township] if township else reports.townships(problems, sweep)
    tasks = [
        row
        for code in townships
        for row in reports.screening_task_ledger(problems, sweep, as_of, code)
    ]
    found = reports.problem_ledger(problems, as_of, township, favoritism)
    by_id = {reports.problem_id(p): p for p in problems}
    short = abbreviated(by_id)
    steps = reports.rectification_ledger(problems, township, favoritism)
    mine = [k for k in SUSPECTED if k != "township" or not township]
    acts = [k for k in RECTIFICATION if k != "township" or not township]

    def sheet(name: str, keys: Sequence[str], rows: Iterable[dict[str, Any]]) -> Sheet:
        return _sheet(t(f"sheet.{name}"), title(t(f"sheet.{name}"), unit, names, as_of, scope),
                      keys, rows)  # fmt: skip

    return [
        sheet("screening_tasks", SCREENING, (_task(r, names) for r in tasks)),
        sheet(
            "suspected_problems",
            mine,
            (_problem(r, by_id[r["problem"]], names, short) for r in found),
        ),
        sheet(
            "rectification",
            acts,
            (
                _step(r, by_id[r["problem"]], names) | {"problem": short[r["problem"]]}
                for r in steps
                if r["on"] <= as_of.isoformat()
            ),
        ),
    ]


def _county(problems: Sequence[Problem], sweep: Sweep | None) -> str:
    villages = [str(p.village) for p in problems if p.village] + list(
        sweep.coverage if sweep else []
    )
    return min(villages)[:6] if villages else ""


def _task(r: Mapping[str, Any], names: Names) -> dict[str, Any]:
    return r | {
        "township": names.places.township(r["township"]),
        "area": label("area", r["area"]),
        "rules": t("word.and").join(r["rules"].split()),
        "task_status": label("task_status", r["status"]),
    }


def _where(p: Problem, names: Names) -> dict[str, Any]:
    """Where a problem is, and about whom: township, village, subject, the head's name."""
    household = p.subject_type == "household"
    return {
        "township": names.places.township(p.township),
        "village": names.places.village(str(p.village)) if p.village else "",
        "subject": subject(p, names),
        "head": names.heads.get(str(p.subject), "") if household else "",
        "check": label("check", p.check),
    }


def abbreviated(ids: Iterable[str], least: int = 8) -> dict[str, str]:
    """Each problem id by its first characters, as many for all (at least `least`) as make
    every one of them unique, as git abbreviates: what `dixian problems show` takes."""
    ordered = sorted(set(ids))
    n = least
    while len({i[:n] for i in ordered}) < len(ordered):
        n += 1
    return {i: i[:n] for i in ordered}


def _problem(
    r: Mapping[str, Any], p: Problem, names: Names, short: Mapping[str, str]
) -> dict[str, Any]:
    summary = summarise(str(p.check), str(r["summary"]))
    text = summary.text
    if r["count"] > 1:  # the periods are listed beside it
        text = t("ledger_text.repeated", check=label("check", p.check), count=r["count"])
    elif summary.detail:  # a summary no template reads: the stored text as it is
        text = t("ledger_text.detail", text=text, detail=summary.detail)
    return (
        r
        | _where(p, names)
        | {
            "concern": label("concern", r["concern"]),
            "summary": text,
            "periods": periods_label(r["periods"]),
            "responsible_unit": responsible(str(r["responsible_unit"]), names),
            "status": label("status", r["status"]),
            "is_overdue": t("word.yes") if r["overdue"] else "",
            "problem": short[r["problem"]],
        }
    )


def _step(r: Mapping[str, Any], p: Problem, names: Names) -> dict[str, Any]:
    return (
        r
        | _where(p, names)
        | {
            "step": label("ledger_step", r["step"]),
            "by": t("ledger_text.system") if r["by"] == "sweep" else r["by"],
            "what": step_text(r["step"], r["what"], str(p.check)),
        }
    )


_PLANNED = re.compile(r"^(?P<plan>.*) by (?P<deadline>[0-9]{4}-[0-9]{2}-[0-9]{2})$", re.DOTALL)


def step_text(step: str, text: str, check: str) -> str:
    """What a step did, in words: a plan with its deadline, a summary found (again) in
    Chinese (the ledgers' and the problem page's)."""
    if step == "planned" and (m := _PLANNED.match(text)):
        return t("ledger_text.planned", plan=m["plan"], deadline=m["deadline"])
    if step in ("raised", "found again"):
        return summarise(check, text).text
    if step in OCCURRENCE_STEPS:  # the labels of the months, years or days
        return periods_label(text.split())
    if step == "merged":
        return t("ledger_text.merged", problem=text[:8])
    return text


OCCURRENCE_STEPS = ("occurrences found", "occurrences resolved", "occurred again")


def subject(p: Problem, names: Names) -> str:
    """Whom a problem is about: a household's number, or a cadre, village or department."""
    kind, who = str(p.subject_type), str(p.subject)
    if kind == "household":
        return who
    if kind == "village":
        who = names.places.full(who)
    elif kind == "township":
        who = names.places.township(who)
    elif kind == "department":
        who = label("code.Department", who)
    return f"{label('subject_type', kind)}：{who}"


def responsible(unit: str, names: Names) -> str:
    """The unit responsible, by its name: 柳湾村村民委员会, 青山镇人民政府, 民政局."""
    if unit == DISCIPLINE_INSPECTION:
        return t("responsible.discipline_inspection")
    for prefix, key, words in (
        ("village committee ", "village_committee", "village"),
        ("township ", "township_government", "township"),
    ):
        if unit.startswith(prefix):
            code = unit.removeprefix(prefix)
            place = (
                names.places.village(code) if words == "village" else names.places.township(code)
            )
            return t(f"responsible.{key}", **{words: place})
    if unit.startswith("department "):
        return label("code.Department", unit.removeprefix("department "))
    return unit


# --- the report -----------------------------------------------------------------------------
def report_sheets(
    problems: Sequence[Problem],
    sweep: Sweep | None,
    as_of: date,
    level: str,
    code: str | None,
    phase_ends: Sequence[tuple[str, date]],
    names: Names,
    count_by: str = "due",
) -> list[Sheet]:
    """The county bureau's report: problems by unit and rule, coverage, the three phases."""
    unit = code or _county(problems, sweep)
    by = t(f"title.by_{level}")
    rows = reports.by_rule(problems, as_of, level, code)
    cover = reports.coverage(sweep, level, code)
    stages = reports.phases(problems, as_of, phase_ends, code, count_by)
    counts = ("found", "rectified", "closed", "open", "overdue")
    shares = (
        "monthly_visits",
        "screened_this_year",
        "application_leaflets",
        "assistance_leaflets",
        "awareness",
    )
    return [
        Sheet(
            t("sheet.by_rule"),
            title(t("sheet.by_rule"), unit, names, as_of, by),
            (
                _col("unit", width=24),
                _col("unit_code", width=14),
                _col("rule", width=6),
                _col("rule_name", width=44),
                _col("area", width=16),
                *(_col(c, "int") for c in counts),
            ),
            [
                [
                    _unit(r[level], names),
                    r[level],
                    r["rule"],
                    label("rule", r["rule"]),
                    label("area", RULES[r["rule"]][0]),
                    *(r[c] for c in counts),
                ]
                for r in rows
            ],
        ),
        Sheet(
            t("sheet.coverage"),
            title(t("sheet.coverage"), unit, names, as_of, by),
            (
                _col("unit", width=24),
                _col("unit_code", width=14),
                _col("as_of", "date"),
                _col("households", "int"),
                *(_col(c, "percent") for c in shares),
            ),
            [
                [_unit(r[level], names), r[level], r["as_of"], r["households"]]
                + [r[c] for c in shares]
                for r in cover
            ],
        ),
        Sheet(
            t("sheet.phases"),
            title(t("sheet.phases"), unit, names, as_of),
            (
                _col("phase", width=30),
                _col("ends_on", "date"),
                _col("status", width=8),
                _col("counted_to", "date"),
                *(_col(c, "int") for c in counts),
            ),
            [
                [
                    t(f"phase.{n}"),
                    r["ends_on"],
                    label("phase_status", r["status"]),
                    r["counted_to"],
                    *(r[c] for c in counts),
                ]
                for n, r in enumerate(stages, start=1)
            ],
        ),
    ]


def _unit(code: str, names: Names) -> str:
    return names.places.county(code) if len(code) == 6 else names.places.full(code)


def bureau_names(store: EventStore, places_file: Path | None, problems: Iterable[Problem]) -> Names:
    """The county's place names over the registrations', and the heads' masked names of
    the households the problems are about (one query)."""
    return Names(
        load_places(places_file, store), queries.household_heads(store, households_of(problems))
    )
