"""Publicity (seed §三(一)): R1.1 and R1.2, the policy leaflets (明白纸). R1.3, awareness per
village, is a village's check: see compliance.county."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams


def check_r1_1_application_leaflet(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R1.1: every household has the application-policy leaflet within the allowed days of
    its registration (or of the campaign's start)."""
    due = max(h.registered_on, p.checks_from) + timedelta(days=p.leaflet_within_days)
    if due < as_of and "application_policy" not in h.leaflets:
        yield household_finding(
            h,
            "R1.1",
            "application_leaflet_missing",
            [h.registered_event],
            due,
            "no application-policy leaflet delivered",
            ongoing=True,
        )


def check_r1_2_assistance_leaflet(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R1.2: a monitored household has the assistance-policy leaflet within the allowed days
    of its identification."""
    if not h.monitored or "assistance_policy" in h.leaflets:
        return
    start, _, identification = h.monitored[0]
    due = max(start, p.checks_from) + timedelta(days=p.leaflet_within_days)
    if due < as_of:
        yield household_finding(
            h,
            "R1.2",
            "assistance_leaflet_missing",
            [identification],
            due,
            "monitored, but no assistance-policy leaflet delivered",
            ongoing=True,
        )


CHECKS = (check_r1_1_application_leaflet, check_r1_2_assistance_leaflet)
