"""The rules' parameters. Every default is the seed's number or, where the seed is silent,
a stated local choice; all come from configuration (DIXIAN_COMPLIANCE_* settings)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from events.monitoring_lines import MonitoringLines

# The campaign's three phases (seed §四) and the day each ends: (month, day) of the year.
PHASES = (
    ("self-inspection (自查自纠)", (5, 31)),
    ("mechanisms (建章立制)", (11, 30)),
    ("summary (总结归纳)", (12, 31)),
)

# Close relatives (近亲属) and direct in-laws (姻亲) count for favoritism; a distant relation
# by marriage or a cousin does not, unless configured.
FAVOURED_RELATIONS = frozenset(
    {
        "spouse",
        "parent",
        "child",
        "sibling",
        "grandparent",
        "grandchild",
        "parent_in_law",
        "sibling_in_law",
        "child_in_law",
    }
)


class ComplianceParams(BaseModel):
    """Read from DIXIAN_COMPLIANCE__<NAME> (e.g. DIXIAN_COMPLIANCE__PLAN_WITHIN_DAYS=7); the
    notice minimum is DIXIAN_MIN_NOTICE_DAYS and the lines DIXIAN_MONITORING_LINES_FILE,
    shared with the intake."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    checks_from: date = date(2024, 1, 1)  # lapses before the campaign's period are not raised
    leaflet_within_days: int = 30  # R1.1, R1.2 (local choice: a month)
    awareness_threshold: float = 0.95  # R1.3: 95%
    visits_per_month: int = 1  # R2.1
    screenings_per_year: int = 1  # R2.2
    allowance_since: date = date(2024, 1, 1)  # R2.3: new 低保/特困 recipients since then
    allowance_screening_days: int = 30  # R2.3 (local choice)
    backfill_days: int = 7  # R2.4: a record later than this is back-filled (local choice)
    sync_allowance_days: int = 3  # R2.4: an app offline this long may claim an earlier time
    risk_report_days: int = 7  # R2.4: a risk seen becomes a lead within (local choice)
    max_visits_per_day: int = 20  # R2.4: more visits by one person in a day is implausible
    identical_notes_households: int = 5  # R2.4: one note copied into this many households
    identical_notes_min_chars: int = 15  # R2.4: shorter notes ("routine visit") may repeat
    alert_push_days: int = 7  # R3.1: a department pushes within (local choice)
    alert_follow_up_days: int = 15  # R3.2: an alert becomes a lead within (local choice)
    lead_to_decision_days: int = 15  # R4.1: 15 days from lead to decision
    min_notice_days: int = 5  # R4.1: the village public notice runs at least 5 days
    plan_within_days: int = 10  # R5.1: 10 days from identification to a plan
    verify_within_days: int = 60  # R5.3: a measure is verified within (local choice)
    elimination_within_days: int = 365  # R6.1: a recovered household is eliminated within
    stable_months: int = 6  # R6.1: income above the line at least six months after identifying
    mark_within_days: int = 30  # R7.1: a safety-net household is marked within (local choice)
    income_max_age_days: int = 400  # R8.1: a yearly assessment, with a month's slack
    income_tolerance_yuan: int = 1  # R8.1: rounding allowed in per-capita income
    favoured_relations: frozenset[str] = FAVOURED_RELATIONS  # F1.*
    closing_roles: frozenset[str] = frozenset({"township_official", "county_official"})  # 销号
    # the year of the three phases; None: the year of the report's day (a county's campaign
    # runs in the year it reports on, and a retrospective sweep fills its past phases)
    campaign_year: int | None = None
    # a problem counts in the phase of the day its fact fell due ("due"), or of the day a
    # sweep found it ("found")
    phase_count_by: Literal["due", "found"] = "due"
    lines: MonitoringLines = Field(default_factory=MonitoringLines, exclude=True)  # R4.2, R6.*

    def phases_on(self, as_of: date) -> tuple[tuple[str, date], ...]:
        """The three phases' names and last days for a report as of `as_of`."""
        year = self.campaign_year or as_of.year
        return tuple((name, date(year, m, d)) for name, (m, d) in PHASES)
