"""Department alerts (seed §三(三)): R3.1 pushed in time, R3.2 followed up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams


def check_r3_1_alert_pushed_in_time(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R3.1: a department pushes its alert within `alert_push_days` of the risk arising.
    The subject is the department: its lateness, not the village's."""
    for a in h.alerts:
        arose, pushed = date.fromisoformat(a["risk_arose_on"]), date.fromisoformat(a["pushed_on"])
        if (pushed - arose).days > p.alert_push_days:
            yield household_finding(
                h,
                "R3.1",
                "alert_pushed_late",
                [a["event_id"]],
                arose + timedelta(days=p.alert_push_days),
                f"alert {a['alert_id']} ({a['risk_type']}) of household {h.household_id} pushed "
                f"{(pushed - arose).days} days after the risk arose",
                scope=a["alert_id"],
                responsible=f"department {a['department']}",
                subject=("department", a["department"]),
            )


def check_r3_2_alert_followed_up(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R3.2: within `alert_follow_up_days` of its push (the 15th day is in time) an alert
    has become a lead (one that names it, or any lead since the risk arose), unless the
    household was already monitored or under a case. A lead after that is late — a
    finding even once the lead exists; none is a standing condition."""
    for a in h.alerts:
        arose, pushed = date.fromisoformat(a["risk_arose_on"]), date.fromisoformat(a["pushed_on"])
        due = pushed + timedelta(days=p.alert_follow_up_days)
        if h.monitored_on(pushed) or h.case_open_on(pushed):
            continue
        leads = sorted(
            (c.opened_on, c.event_id)
            for c in h.cases.values()
            if c.kind == "identification" and (c.alert_id == a["alert_id"] or arose <= c.opened_on)
        )
        if any(on <= due for on, _ in leads):
            continue
        if leads:
            yield household_finding(
                h,
                "R3.2",
                "alert_followed_up_late",
                [a["event_id"], leads[0][1]],
                due,
                f"alert {a['alert_id']} of {a['department']} ({a['risk_type']}) pushed "
                f"{pushed}, became a lead on {leads[0][0]}",
                scope=a["alert_id"],
            )
        elif due < as_of:
            yield household_finding(
                h,
                "R3.2",
                "alert_not_followed_up",
                [a["event_id"]],
                due,
                f"alert {a['alert_id']} of {a['department']} ({a['risk_type']}) pushed "
                f"{pushed}, never became a lead",
                scope=a["alert_id"],
                ongoing=True,
            )


CHECKS = (check_r3_1_alert_pushed_in_time, check_r3_2_alert_followed_up)
