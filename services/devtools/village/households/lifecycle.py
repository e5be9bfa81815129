"""H1 of the demo village: the whole lifecycle — an illness, the department's alert, the
identification procedure, assistance verified, elimination by its own procedure, reversal."""

from __future__ import annotations

from typing import Any

from services.devtools import steps
from services.devtools.steps import findings
from services.devtools.village.script import (
    COUNTY,
    HELPER,
    PLACE_NAMES,
    VILLAGE,
    VillageScript,
    department,
    member,
)


def falls_ill_is_identified_eliminated_and_reverted(s: VillageScript, h: str) -> dict[str, Any]:
    # H1: a lifted household falls ill; alert, lead, the whole identification procedure,
    # a plan and a verified measure, elimination through its own procedure, then reversal.
    members = [
        member("P101", "王建国", "1968-04-02", 11, "head", phone="13800000001"),
        member("P102", "李秀兰", "1970-09-15", 12, "spouse", female=True),
    ]
    first = s.step(
        h, steps.household_registered("2025-03-01", VILLAGE, "lifted", members, PLACE_NAMES)
    )
    s.step(h, steps.policy_leaflet_delivered("application_policy", "2025-03-01", "P101"))
    s.step(
        h, steps.visit_recorded("helper-chen", "2025-03-10", findings("income stable")), who=HELPER
    )
    lead, alert = s.id("L", 1), s.id("MI", 1)
    insurance = department("medical_insurance")
    s.step(
        h,
        steps.department_risk_alert_pushed(
            alert,
            "medical_insurance",
            "illness",
            "2025-03-20",
            "2025-03-23",
            details="out-of-pocket medical costs above the threshold",
        ),
        who=insurance,
    )
    s.step(
        h, steps.risk_lead_registered(lead, "department_alert", ["illness"], "2025-03-24", alert)
    )
    s.step(h, steps.household_consent_signed(lead, "2025-03-25", "P101"))
    asked = ["medical_insurance", "civil_affairs"]
    s.step(h, steps.data_comparison_requested(lead, "2025-03-25", asked))
    costs = "inpatient costs 48,000 yuan, 31,000 reimbursed"
    s.step(
        h,
        steps.data_comparison_returned(lead, "2025-03-26", "medical_insurance", costs),
        who=insurance,
    )
    income = {"wages": "21000", "production_and_business": "6000"}
    s.step(h, steps.income_assessed("2025-03-26", 2024, income, 2, "6100", production_costs="2000"))
    s.notice(h, lead, "identification", "2025-03-27", "2025-04-02", 1)
    decision = steps.identification_decided(
        lead, "2025-04-07", "sudden_hardship", ["illness"], per_capita_net_income_yuan="6100"
    )
    s.step(h, decision, who=COUNTY)
    s.step(h, steps.national_system_entry_recorded(lead, "2025-04-08", s.id("NS", 1)), who=COUNTY)
    plan = steps.assistance_plan_adopted(
        s.id("PL", 1), "2025-04-10", "medical_aid", "illness", "medical_insurance"
    )
    s.step(h, plan)
    measure = s.id("M", 1)
    started = steps.assistance_measure_started(
        measure, "medical_aid", "medical_insurance", "illness", "2025-04-12", "12000"
    )
    s.step(h, started, who=insurance)
    verified = steps.assistance_measure_verified(
        measure,
        "2025-05-06",
        "helper-chen",
        ["receipt-2025-0412", "photo-0506"],
        amount_received_yuan="12000",
    )
    s.step(h, verified, who=HELPER)
    s.step(h, steps.policy_leaflet_delivered("assistance_policy", "2025-05-06", "P102"))
    elimination = s.id("E", 1)
    grounds = "recovered; wages above the line for eight months"
    s.step(h, steps.risk_elimination_proposed(elimination, "2025-11-01", grounds, "9100"))
    s.notice(h, elimination, "elimination", "2025-11-03", "2025-11-09", 2)
    s.step(h, steps.risk_eliminated(elimination, "2025-11-20", "9100"), who=COUNTY)
    relapse = "relapse: hospitalised again in January"
    s.step(h, steps.risk_elimination_reverted(elimination, "2026-01-15", relapse), who=COUNTY)

    return first
