"""Evaluation as of a day: every check over every household, and the county's checks.
Deterministic: the same events and the same day give the same findings, in the same order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from services.domain.compliance.checks import FAVORITISM_CHECK, HOUSEHOLD_CHECKS
from services.domain.compliance.county import CountyAccumulator
from services.domain.compliance.digest import digest
from services.domain.compliance.facts import HouseholdFacts, RecordedEvent
from services.domain.compliance.findings import Finding, merged
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


@dataclass(slots=True)
class Partial:
    """What a share of the county's households gave: their findings and the county-wide
    tallies. Partials of disjoint shares merge in any order to the same evaluation."""

    county: CountyAccumulator
    found: dict[str, Finding] = field(default_factory=dict)
    households: int = 0
    events: int = 0

    def merge(self, other: Partial) -> None:
        self.county.merge(other.county)
        for key, f in other.found.items():
            self.found[key] = merged(self.found[key], f) if key in self.found else f
        self.households += other.households
        self.events += other.events


def evaluate_share(
    histories: Iterable[Sequence[RecordedEvent]], as_of: date, p: ComplianceParams
) -> Partial:
    """The households' own findings and their part of the county's tallies."""
    part = Partial(CountyAccumulator(p, as_of))
    for history in histories:
        part.events += len(history)
        h = digest(history, as_of)
        if h is None:
            continue
        part.households += 1
        part.county.add(h)
        for f in check_household(h, p, as_of):
            _add(part.found, f)
    return part


def _add(found: dict[str, Finding], f: Finding) -> None:
    """A finding under its key; a recurring lapse's occurrences merged into one."""
    found[f.key] = merged(found[f.key], f) if f.key in found else f


def conclude(part: Partial, as_of: date) -> Evaluation:
    """The county's own checks on the merged tallies, and every finding in key order."""
    found = dict(part.found)
    for f in part.county.findings():
        _add(found, f)
    ordered = tuple(found[k] for k in sorted(found))
    coverage = {v: part.county.coverage[v] for v in sorted(part.county.coverage)}
    return Evaluation(as_of, ordered, coverage, part.households, part.events)


def evaluate(
    histories: Iterable[Sequence[RecordedEvent]], as_of: date, p: ComplianceParams
) -> Evaluation:
    """The findings as of `as_of` from each household's stored events (in store order)."""
    return conclude(evaluate_share(histories, as_of, p), as_of)
