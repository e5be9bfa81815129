"""H2 of the demo village: an ordinary household applies and its lead is dismissed; the
applicant is on the register of a cadre's relatives until a divorce ends the relation."""

from __future__ import annotations

from services.devtools import steps
from services.devtools.village.script import COUNTY, PLACE_NAMES, VILLAGE, VillageScript, by, member


def applies_and_is_dismissed(s: VillageScript, h: str) -> None:
    # H2: an ordinary household applies; the lead is dismissed with a reason.
    members = [member("P201", "张伟", "1980-01-30", 21, "head")]
    s.step(h, steps.household_registered("2025-03-01", VILLAGE, "ordinary", members, PLACE_NAMES))
    # the register of cadres' relatives: the applicant is the cadre's brother-in-law, and
    # the relation ends with a divorce (优亲厚友 is checked against the register)
    relative = steps.cadre_relative_registered("cadre-li", "P201", "sibling_in_law", "2025-03-10")
    s.step(h, relative, who=COUNTY)
    lead = steps.risk_lead_registered(
        s.id("L", 2), "household_application", ["income_drop"], "2025-06-02"
    )
    s.step(h, lead, who=by("village_app", "P201", "household"))
    above = "per-capita net income 11,200 yuan, above the line"
    s.step(h, steps.lead_dismissed(s.id("L", 2), "2025-06-14", above), who=COUNTY)
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
