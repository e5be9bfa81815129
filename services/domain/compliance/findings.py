"""A finding is a suspected problem (疑似问题): which rule, about whom, on what evidence, due
when, and whose job it was. Its key names it across sweeps, so the same lapse found again
is the same problem. A lapse that recurs (R2.1's months without a visit, R2.2's years
without a screening, a helper's days of implausibly many visits) is one problem per
subject, rule and cause, its occurrences inside it: the checks find each occurrence, the
engine merges those of one key (`merged`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

# Rule id → (area of the seed's §三, what the rule asks). The areas are the screening-task
# ledger's eight lines; favoritism (F1.*) is what the campaign is after beyond them.
RULES: dict[str, tuple[str, str]] = {
    "R1.1": ("publicity", "every household receives the application-policy leaflet"),
    "R1.2": ("publicity", "every monitored household receives the assistance-policy leaflet"),
    "R1.3": ("publicity", "policy awareness of at least 95% per village"),
    "R2.1": ("visits", "lifted and monitored households visited every calendar month"),
    "R2.2": ("visits", "every household screened every calendar year"),
    "R2.3": ("visits", "new allowance recipients since 2024-01-01 screened, never refused"),
    "R2.4": ("visits", "visits recorded truthfully and in time; risks seen become leads"),
    "R3.1": ("alerts", "departments push risk alerts within their time limit"),
    "R3.2": ("alerts", "every pushed alert is followed up"),
    "R4.1": ("inclusion", "lead to decision within 15 days, notice at least 5 days"),
    "R4.2": ("inclusion", "a household that meets the criteria is identified"),
    "R5.1": ("assistance", "a plan with measures within 10 days of identification"),
    "R5.2": ("assistance", "measures match the risks and the labour capacity"),
    "R5.3": ("assistance", "every measure carried out and verified (no 数字帮扶)"),
    "R6.1": ("elimination", "a household that meets the criteria is eliminated"),
    "R6.2": ("elimination", "no household eliminated without meeting the criteria"),
    "R7.1": ("safety net", "a whole household without labour capacity is marked, not eliminated"),
    "R8.1": ("data", "household, income and assistance data complete, consistent, current"),
    "F1.1": ("favoritism", "a cadre's relative identified as monitored"),
    "F1.2": ("favoritism", "a cadre's relative given assistance"),
    "F1.3": ("favoritism", "a cadre's relative kept on or spared elimination"),
    "F1.4": ("favoritism", "a cadre verified, reviewed or decided a relative's case"),
}
AREAS = (
    "publicity",
    "visits",
    "alerts",
    "inclusion",
    "assistance",
    "elimination",
    "safety net",
    "data",
)

# What the campaign targets beyond a rule's letter, for the inspector's filter.
CONCERNS = ("favoritism", "perfunctory", "paper_only")

_PROBLEM_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:problem")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time a recurring lapse happened: its period or day (2025-04, 2025, 2025-04-03),
    when it fell due, its evidence and what the check said of it."""

    label: str
    due_on: date
    evidence: tuple[str, ...]
    summary: str

    def as_record(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "due_on": self.due_on.isoformat(),
            "evidence": list(self.evidence),
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str  # R1.1 … R8.1, F1.1 … F1.4
    check: str  # the named check within the rule, e.g. "notice_too_short"
    subject_type: str  # household | village | township | cadre | department
    subject: str
    village: str  # the village code the finding belongs to ("" for a department)
    evidence: tuple[str, ...]  # event ids
    due_on: date  # when it fell due
    responsible: str  # the unit or person whose job it was
    summary: str
    scope: str = ""  # what makes it one lapse: a month, a case, a measure…
    ongoing: bool = False  # a standing condition the facts can still resolve
    concern: str | None = None  # favoritism | perfunctory | paper_only
    occurrences: tuple[Occurrence, ...] = ()  # a recurring lapse's, by label

    @property
    def occurrence_dues(self) -> tuple[str, ...]:
        """The days its occurrences fell due (ISO), for scoring against planted truth."""
        return tuple(o.due_on.isoformat() for o in self.occurrences)

    @property
    def key(self) -> str:
        return f"{self.rule_id}/{self.check}/{self.subject_type}:{self.subject}/{self.scope}"

    @property
    def problem_id(self) -> UUID:
        return problem_id(self.key)

    @property
    def township(self) -> str:
        return township_of(self.village)

    @property
    def area(self) -> str:
        return RULES[self.rule_id][0]


def problem_id(key: str) -> UUID:
    return uuid5(_PROBLEM_NAMESPACE, key)


def round_key(key: str, n: int) -> str:
    """The key of a recurring problem's n-th round: a new occurrence after the problem was
    closed out (销号) is a new problem that follows it (docs/compliance.md)."""
    return key if n == 1 else f"{key}#{n}"


def merged(a: Finding, b: Finding) -> Finding:
    """Two findings of one key as one: occurrences by label, evidence of both, due when
    the first fell due, the summary of the latest occurrence."""
    if not a.occurrences or not b.occurrences:
        return a  # one lapse found twice: the first stands
    occurrences = tuple(
        sorted({o.label: o for o in (*a.occurrences, *b.occurrences)}.values(),
               key=lambda o: o.label)
    )  # fmt: skip
    return replace(
        a,
        occurrences=occurrences,
        evidence=tuple(dict.fromkeys((*a.evidence, *b.evidence))),
        due_on=min(a.due_on, b.due_on),
        summary=occurrences[-1].summary,
    )


def township_of(village: str) -> str:
    """A village's township: the first 9 of its 12 region-code digits."""
    return village[:9]


def village_committee(village: str) -> str:
    return f"village committee {village}"


def township_government(village: str) -> str:
    return f"township {township_of(village)}"
