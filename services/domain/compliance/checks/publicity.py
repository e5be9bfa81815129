"""Publicity (seed §三(一)): R1.1 and R1.2, the policy leaflets (明白纸). R1.3, awareness per
village, is a village's check: see compliance.county."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams


def _leaflet_in_time(
    h: HouseholdFacts,
    as_of: date,
    rule_id: str,
    checks: tuple[str, str],
    *,
    leaflet: str,
    due: date,
    evidence: str,
    what: str,
) -> Iterator[Finding]:
    """A leaflet due by `due`: delivered later is late (checks[0], a lapse of history, even
    once it is delivered); not delivered by the day after is missing (checks[1], a standing
    condition)."""
    delivered = h.leaflets.get(leaflet)
    late, missing = checks
    if delivered is not None and delivered[0] > due:
        yield household_finding(
            h,
            rule_id,
            late,
            [evidence, delivered[1]],
            due,
            f"{what}-policy leaflet delivered on {delivered[0]}, due by {due}",
        )
    elif delivered is None and due < as_of:
        yield household_finding(
            h,
            rule_id,
            missing,
            [evidence],
            due,
            f"no {what}-policy leaflet delivered"
            if rule_id == "R1.1"
            else f"monitored, but no {what}-policy leaflet delivered",
            ongoing=True,
        )


def check_r1_1_application_leaflet(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R1.1: every household has the application-policy leaflet within `leaflet_within_days`
    of its registration (or of the campaign's start): the 30th day is in time, the 31st
    late."""
    due = max(h.registered_on, p.checks_from) + timedelta(days=p.leaflet_within_days)
    yield from _leaflet_in_time(
        h,
        as_of,
        "R1.1",
        ("application_leaflet_late", "application_leaflet_missing"),
        leaflet="application_policy",
        due=due,
        evidence=h.registered_event,
        what="application",
    )


def check_r1_2_assistance_leaflet(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R1.2: a monitored household has the assistance-policy leaflet within
    `leaflet_within_days` of its (first) identification: the 30th day is in time."""
    if not h.monitored:
        return
    start, _, identification = h.monitored[0]
    due = max(start, p.checks_from) + timedelta(days=p.leaflet_within_days)
    yield from _leaflet_in_time(
        h,
        as_of,
        "R1.2",
        ("assistance_leaflet_late", "assistance_leaflet_missing"),
        leaflet="assistance_policy",
        due=due,
        evidence=identification,
        what="assistance",
    )


CHECKS = (check_r1_1_application_leaflet, check_r1_2_assistance_leaflet)
