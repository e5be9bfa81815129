"""H5 of the demo village: a death reported by public security and recorded by the village;
a notice of three days, on which the county may not decide."""

from __future__ import annotations

from services.devtools.village.script import (
    COUNTY,
    VILLAGE,
    VillageScript,
    department,
    member,
)


def loses_a_member_and_gets_a_notice_too_short(s: VillageScript, h: str) -> None:
    # H5: a death reported by public security, recorded by the village; a lead whose notice
    # ran three days: the county may not decide on it.
    s.emit(
        "household_registered",
        h,
        "2025-03-01",
        {
            "village_code": VILLAGE,
            "household_type": "lifted",
            "members": [
                member("P501", "陈涛", "1950-05-05", 51, "head"),
                member("P502", "陈刚", "1979-08-08", 52, "son"),
            ],
        },
    )
    s.emit(
        "department_fact_reported",
        h,
        "2025-09-09",
        {
            "fact_id": s.id("PS", 5),
            "department": "public_security",
            "kind": "death",
            "effective_on": "2025-09-08",
            "person_id": "P501",
        },
        who=department("public_security"),
    )
    s.emit(
        "member_changed",
        h,
        "2025-09-10",
        {
            "reason": "death",
            "left_household": True,
            "member": member("P501", "陈涛", "1950-05-05", 51, "head"),
        },
    )
    lead5 = s.id("L", 5)
    s.emit(
        "risk_lead_registered",
        h,
        "2025-09-12",
        {
            "lead_id": lead5,
            "channel": "cadre_visit",
            "risk_types": ["income_drop"],
            "reported_on": "2025-09-12",
        },
    )
    s.notice(h, lead5, "identification", "2025-09-14", "2025-09-17", 5)
    s.emit(
        "identification_decided",
        h,
        "2025-09-18",
        {
            "lead_id": lead5,
            "outcome": "identified",
            "decided_on": "2025-09-18",
            "category": "marginal_at_risk",
            "risks": ["income_drop"],
        },
        who=COUNTY,
        expect="NOTICE_TOO_SHORT",
    )
