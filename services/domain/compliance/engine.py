"""Evaluation as of a day: every check over every household, and the county's checks.
Deterministic: the same events and the same day give the same findings, in the same order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from services.domain.compliance.checks import FAVORITISM_CHECK, HOUSEHOLD_CHECKS
from services.domain.compliance.county import CountyAccumulator
from services.domain.compliance.facts import HouseholdFacts, RecordedEvent, digest
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams


def check_household(h: HouseholdFacts, p: ComplianceParams, as_of: date) -> list[Finding]:
    """Every household check's findings for one household (favoritism last: it reads them)."""
    found = [f for check in HOUSEHOLD_CHECKS for f in check(h, p, as_of)]
    if h.relations:
        found.extend(FAVORITISM_CHECK(h, p, as_of, found))
    return found


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: date
    findings: tuple[Finding, ...]
    coverage: dict[str, dict[str, int]]  # village → counts (county.COVERAGE)
    households: int
    events: int


def evaluate(
    histories: Iterable[Sequence[RecordedEvent]], as_of: date, p: ComplianceParams
) -> Evaluation:
    """The findings as of `as_of` from each household's stored events (in store order)."""
    county = CountyAccumulator(p, as_of)
    found: dict[str, Finding] = {}
    households = events = 0
    for history in histories:
        events += len(history)
        h = digest(history, as_of)
        if h is None:
            continue
        households += 1
        county.add(h)
        for f in check_household(h, p, as_of):
            found.setdefault(f.key, f)
    for f in county.findings():
        found.setdefault(f.key, f)
    ordered = tuple(found[k] for k in sorted(found))
    coverage = {v: county.coverage[v] for v in sorted(county.coverage)}
    return Evaluation(as_of, ordered, coverage, households, events)
