"""H2 of the demo village: an ordinary household applies and its lead is dismissed; the
applicant is on the register of a cadre's relatives until a divorce ends the relation."""

from __future__ import annotations

from services.devtools.village.script import (
    COUNTY,
    VILLAGE,
    VillageScript,
    by,
    member,
)


def applies_and_is_dismissed(s: VillageScript, h: str) -> None:
    # H2: an ordinary household applies; the lead is dismissed with a reason.
    s.emit(
        "household_registered",
        h,
        "2025-03-01",
        {
            "village_code": VILLAGE,
            "household_type": "ordinary",
            "members": [member("P201", "张伟", "1980-01-30", 21, "head")],
        },
    )
    # the register of cadres' relatives: the applicant is the cadre's brother-in-law, and
    # the relation ends with a divorce (优亲厚友 is checked against the register)
    s.emit(
        "cadre_relative_registered",
        h,
        "2025-03-10",
        {
            "cadre_id": "cadre-li",
            "cadre_role": "village_cadre",
            "relative_person_id": "P201",
            "relation": "sibling_in_law",
            "registered_on": "2025-03-10",
        },
        who=COUNTY,
    )
    s.emit(
        "risk_lead_registered",
        h,
        "2025-06-02",
        {
            "lead_id": s.id("L", 2),
            "channel": "household_application",
            "risk_types": ["income_drop"],
            "reported_on": "2025-06-02",
        },
        who=by("village_app", "P201", "household"),
    )
    s.emit(
        "identification_decided",
        h,
        "2025-06-14",
        {
            "lead_id": s.id("L", 2),
            "outcome": "dismissed",
            "decided_on": "2025-06-14",
            "dismissal_reason": "per-capita net income 11,200 yuan, above the line",
        },
        who=COUNTY,
    )
    s.emit(
        "cadre_relative_ended",
        h,
        "2025-10-08",
        {
            "cadre_id": "cadre-li",
            "relative_person_id": "P201",
            "ended_on": "2025-10-08",
            "reason": "the cadre's sister and the applicant divorced",
        },
        who=COUNTY,
    )
