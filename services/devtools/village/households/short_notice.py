"""H5 of the demo village: a death reported by public security and recorded by the village;
a notice of three days, on which the county decided all the same: the decision is recorded
with what was irregular about it, and the engine finds it (R4.1 notice_too_short)."""

from __future__ import annotations

from services.devtools import steps
from services.devtools.village.script import (
    COUNTY,
    PLACE_NAMES,
    VILLAGE,
    VillageScript,
    department,
    member,
)


def loses_a_member_and_gets_a_notice_too_short(s: VillageScript, h: str) -> None:
    # H5: a death reported by public security, recorded by the village; a lead whose notice
    # ran three days: the county decided anyway (irregular: NOTICE_TOO_SHORT, found as R4.1).
    head = member("P501", "陈涛", "1950-05-05", 51, "head")
    members = [head, member("P502", "陈刚", "1979-08-08", 52, "son")]
    s.step(h, steps.household_registered("2025-03-01", VILLAGE, "lifted", members, PLACE_NAMES))
    death = steps.department_fact_reported(
        s.id("PS", 5), "public_security", "death", "2025-09-08", "2025-09-09", person_id="P501"
    )
    s.step(h, death, who=department("public_security"))
    s.emit(
        "member_changed",
        h,
        "2025-09-10",
        {"reason": "death", "left_household": True, "member": head},
    )
    lead5 = s.id("L", 5)
    s.step(h, steps.risk_lead_registered(lead5, "cadre_visit", ["income_drop"], "2025-09-12"))
    s.notice(h, lead5, "identification", "2025-09-14", "2025-09-17", 5)
    decision = steps.identification_decided(
        lead5, "2025-09-18", "marginal_at_risk", ["income_drop"]
    )
    s.step(h, decision, who=COUNTY)
