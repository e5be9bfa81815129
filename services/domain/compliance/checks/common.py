"""What the checks share: building a household's finding, calendar months and years."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from services.domain.compliance.facts import Case, HouseholdFacts
from services.domain.compliance.findings import (
    Finding,
    Occurrence,
    township_government,
    village_committee,
)


def household_finding(
    h: HouseholdFacts,
    rule_id: str,
    check: str,
    evidence: Iterable[str],
    due_on: date,
    summary: str,
    *,
    scope: str = "",
    ongoing: bool = False,
    responsible: str | None = None,
    concern: str | None = None,
    subject: tuple[str, str] | None = None,
    occurrence: str = "",
) -> Finding:
    """A finding from one household's facts, about the household unless `subject` names
    another (subject type, id): a department that pushed late, a cadre's relative. With
    `occurrence` (a month, a year) it is one occurrence of a recurring lapse: the engine
    merges a key's occurrences into one problem."""
    subject_type, subject_id = subject or ("household", h.household_id)
    evidence = tuple(dict.fromkeys(evidence))
    return Finding(
        rule_id=rule_id,
        check=check,
        subject_type=subject_type,
        subject=subject_id,
        village=h.village,
        evidence=evidence,
        due_on=due_on,
        responsible=responsible or village_committee(h.village),
        summary=summary,
        scope=scope,
        ongoing=ongoing,
        concern=concern,
        occurrences=(Occurrence(occurrence, due_on, evidence, summary),) if occurrence else (),
    )


def month_end(d: date) -> date:
    following = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    return following - timedelta(days=1)


def months(start: date, as_of: date) -> Iterator[tuple[date, date]]:
    """(first day, last day) of each calendar month from `start`'s that ended before
    `as_of` (a month's obligations are late from the next month's first day)."""
    first = date(start.year, start.month, 1)
    while (last := month_end(first)) < as_of:
        yield first, last
        first = last + timedelta(days=1)


def decided_in_time(
    h: HouseholdFacts, c: Case, rule_id: str, days: int, as_of: date, checks: tuple[str, str]
) -> Iterator[Finding]:
    """A procedure (identification or elimination) decided within `days` of its opening:
    checks[0] if decided later, checks[1] while undecided past the day (a standing
    condition). The township answers for the procedure's pace."""
    due = c.opened_on + timedelta(days=days)
    late, undecided = checks
    if c.decided_on is not None and c.decided_on > due:
        yield household_finding(
            h,
            rule_id,
            late,
            [c.event_id, c.decision_event or ""],
            due,
            f"{c.kind} {c.case_id} decided {(c.decided_on - c.opened_on).days} days after "
            f"{c.opened_on}",
            scope=c.case_id,
            responsible=township_government(h.village),
        )
    elif c.decided_on is None and due < as_of:
        yield household_finding(
            h,
            rule_id,
            undecided,
            [c.event_id],
            due,
            f"{c.kind} {c.case_id} opened {c.opened_on}, still undecided",
            scope=c.case_id,
            ongoing=True,
            responsible=township_government(h.village),
        )
