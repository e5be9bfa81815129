"""What the checks share: building a household's finding, calendar months and years."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding, village_committee


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
) -> Finding:
    return Finding(
        rule_id=rule_id,
        check=check,
        subject_type="household",
        subject=h.household_id,
        village=h.village,
        evidence=tuple(dict.fromkeys(evidence)),
        due_on=due_on,
        responsible=responsible or village_committee(h.village),
        summary=summary,
        scope=scope,
        ongoing=ongoing,
        concern=concern,
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
