"""The three ledgers (排查任务台账, 疑似问题台账, 整改工作台账) and the report as the bureau
reads them: in Chinese, with names instead of codes (places from the code table, the head of
household masked), statuses and rules in words, and a household's lapses month after month
in one row. Built from the domain's tables; written by services.adapters.workbooks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.adapters.workbooks import Column, Sheet
from services.domain.compliance import reports
from services.domain.compliance.checks.favoritism import DISCIPLINE_INSPECTION
from services.domain.compliance.findings import RULES
from services.domain.compliance.ledger import Problem, Sweep
from services.domain.places import Places
from services.i18n import label, t
from services.i18n.summaries import month_label, summarise


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
SCREENING_COLUMNS = (
    _col("township"), _col("area"), _col("rules"), _col("screened_on", "date"),
    _col("households", "int"), _col("findings_in_sweep", "int"), _col("problems", "int"),
    _col("open", "int"), _col("closed", "int"), _col("overdue", "int"), _col("status"),
)  # fmt: skip
PROBLEM_COLUMNS = (
    _col("township", width=12), _col("village", width=12), _col("subject", width=26),
    _col("head", width=8), _col("rule", width=6), _col("check", width=16),
    _col("concern", width=8), _col("summary", width=44), _col("periods", width=30),
    _col("count", "int"), _col("due_on", "date"), _col("raised_on", "date"),
    _col("responsible_unit", width=20), _col("plan", width=30), _col("deadline", "date"),
    _col("responsible_person", width=12), _col("status", width=8), _col("is_overdue", width=6),
    _col("closed_on", "date"), _col("resolved_by_facts_on", "date"), _col("problem", width=38),
    _col("detail", width=40),
)  # fmt: skip
RECTIFICATION_COLUMNS = (
    _col("township", width=12), _col("village", width=12), _col("subject", width=26),
    _col("head", width=8), _col("rule", width=6), _col("check", width=16),
    _col("step", width=12), _col("on", "date"), _col("by", width=16), _col("what", width=44),
    _col("evidence", width=30), _col("problem", width=38),
)  # fmt: skip


def ledger_sheets(
    problems: Sequence[Problem],
    sweep: Sweep | None,
    as_of: date,
    township: str | None,
    names: Names,
    favoritism: bool = False,
) -> list[Sheet]:
    """A township's three ledgers (every township's, with `township` None)."""
    unit = township or _county(problems, sweep)
    scope = "" if township else t("title.whole_county")
    townships = [township] if township else reports.townships(problems, sweep)
    tasks = [
        row
        for code in townships
        for row in reports.screening_task_ledger(problems, sweep, as_of, code)
    ]
    found = reports.group_lapses(reports.problem_ledger(problems, as_of, township, favoritism))
    by_id = {reports.problem_id(p): p for p in problems}
    steps = reports.rectification_ledger(problems, township, favoritism)
    return [
        Sheet(
            t("sheet.screening_tasks"),
            title(t("sheet.screening_tasks"), unit, names, as_of, scope),
            SCREENING_COLUMNS,
            [_task(r, names) for r in tasks],
        ),
        Sheet(
            t("sheet.suspected_problems"),
            title(t("sheet.suspected_problems"), unit, names, as_of, scope),
            PROBLEM_COLUMNS,
            [_problem(r, by_id[r["problem"]], names) for r in found],
        ),
        Sheet(
            t("sheet.rectification"),
            title(t("sheet.rectification"), unit, names, as_of, scope),
            RECTIFICATION_COLUMNS,
            [_step(r, by_id[r["problem"]], names) for r in steps if r["on"] <= as_of.isoformat()],
        ),
    ]


def _county(problems: Sequence[Problem], sweep: Sweep | None) -> str:
    villages = [str(p.village) for p in problems if p.village] + list(
        sweep.coverage if sweep else []
    )
    return min(villages)[:6] if villages else ""


def _task(r: Mapping[str, Any], names: Names) -> list[Any]:
    return [
        names.places.township(r["township"]),
        label("area", r["area"]),
        t("word.and").join(r["rules"].split()),
        r["screened_on"],
        r["households"],
        r["findings_in_sweep"],
        r["problems"],
        r["open"],
        r["closed"],
        r["overdue"],
        label("task_status", r["status"]),
    ]


def _problem(r: Mapping[str, Any], p: Problem, names: Names) -> list[Any]:
    summary = summarise(str(p.check), str(r["summary"]))
    periods = [month_label(x) for x in r["periods"]]
    text = (
        summary.text
        if r["count"] == 1
        else f"{label('check', p.check)}：{t('word.and').join(periods)}"
    )
    return [
        names.places.township(r["township"]),
        names.places.village(r["village"]) if r["village"] else "",
        subject(p, names),
        names.heads.get(str(p.subject), "") if p.subject_type == "household" else "",
        r["rule"],
        label("check", r["check"]),
        label("concern", r["concern"]),
        text,
        t("word.and").join(periods),
        r["count"],
        r["due_on"],
        r["raised_on"],
        responsible(str(r["responsible_unit"]), names),
        r["plan"],
        r["deadline"],
        r["responsible_person"],
        label("status", r["status"]),
        t("word.yes") if r["overdue"] else "",
        r["closed_on"],
        r["resolved_by_facts_on"],
        " ".join(r["problems"]),
        summary.detail if r["count"] == 1 else "",
    ]


def _step(r: Mapping[str, Any], p: Problem, names: Names) -> list[Any]:
    return [
        names.places.township(p.township),
        names.places.village(str(p.village)) if p.village else "",
        subject(p, names),
        names.heads.get(str(p.subject), "") if p.subject_type == "household" else "",
        r["rule"],
        label("check", p.check),
        label("ledger_step", r["step"]),
        r["on"],
        t("ledger_text.system") if r["by"] == "sweep" else r["by"],
        _step_text(r["step"], r["what"], p),
        r["evidence"],
        r["problem"],
    ]


_PLANNED = re.compile(r"^(?P<plan>.*) by (?P<deadline>[0-9]{4}-[0-9]{2}-[0-9]{2})$", re.DOTALL)


def _step_text(step: str, text: str, p: Problem) -> str:
    """What a step did, in words: a plan with its deadline, a summary found again in Chinese."""
    if step == "planned" and (m := _PLANNED.match(text)):
        return t("ledger_text.planned", plan=m["plan"], deadline=m["deadline"])
    if step == "found again":
        return summarise(str(p.check), text).text
    return text


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
) -> list[Sheet]:
    """The county bureau's report: problems by unit and rule, coverage, the three phases."""
    unit = code or _county(problems, sweep)
    by = t(f"title.by_{level}")
    rows = reports.by_rule(problems, as_of, level, code)
    cover = reports.coverage(sweep, level, code)
    stages = reports.phases(problems, as_of, phase_ends, code)
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
