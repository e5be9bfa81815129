"""H1 of the demo village: the whole lifecycle — an illness, the department's alert, the
identification procedure, assistance verified, elimination by its own procedure, reversal."""

from __future__ import annotations

from typing import Any

from services.devtools.village.script import (
    COUNTY,
    HELPER,
    VILLAGE,
    VillageScript,
    department,
    findings,
    member,
)


def falls_ill_is_identified_eliminated_and_reverted(s: VillageScript, h: str) -> dict[str, Any]:
    # H1: a lifted household falls ill; alert, lead, the whole identification procedure,
    # a plan and a verified measure, elimination through its own procedure, then reversal.
    first = s.emit(
        "household_registered",
        h,
        "2025-03-01",
        {
            "village_code": VILLAGE,
            "household_type": "lifted",
            "members": [
                member("P101", "王建国", "1968-04-02", 11, "head", phone="13800000001"),
                member("P102", "李秀兰", "1970-09-15", 12, "spouse", female=True),
            ],
        },
    )
    s.emit(
        "policy_leaflet_delivered",
        h,
        "2025-03-01",
        {"leaflet": "application_policy", "delivered_on": "2025-03-01", "received_by": "P101"},
    )
    s.emit(
        "visit_recorded",
        h,
        "2025-03-10",
        {
            "visitor_id": "helper-chen",
            "visit_date": "2025-03-10",
            "findings": findings("income stable"),
        },
        who=HELPER,
    )
    lead, alert = s.id("L", 1), s.id("MI", 1)
    s.emit(
        "department_risk_alert_pushed",
        h,
        "2025-03-23",
        {
            "alert_id": alert,
            "department": "medical_insurance",
            "risk_type": "illness",
            "risk_arose_on": "2025-03-20",
            "pushed_on": "2025-03-23",
            "details": "out-of-pocket medical costs above the threshold",
        },
        who=department("medical_insurance"),
    )
    s.emit(
        "risk_lead_registered",
        h,
        "2025-03-24",
        {
            "lead_id": lead,
            "channel": "department_alert",
            "risk_types": ["illness"],
            "reported_on": "2025-03-24",
            "alert_id": alert,
        },
    )
    s.emit(
        "household_consent_signed",
        h,
        "2025-03-25",
        {"lead_id": lead, "signed_on": "2025-03-25", "signed_by": "P101"},
    )
    s.emit(
        "data_comparison_requested",
        h,
        "2025-03-25",
        {
            "lead_id": lead,
            "requested_on": "2025-03-25",
            "departments": ["medical_insurance", "civil_affairs"],
        },
    )
    s.emit(
        "data_comparison_returned",
        h,
        "2025-03-26",
        {
            "lead_id": lead,
            "returned_on": "2025-03-26",
            "department": "medical_insurance",
            "findings": "inpatient costs 48,000 yuan, 31,000 reimbursed",
        },
        who=department("medical_insurance"),
    )
    s.emit(
        "income_assessed",
        h,
        "2025-03-26",
        {
            "assessed_on": "2025-03-26",
            "year": 2024,
            "components": {"wages": "21000", "production_and_business": "6000"},
            "production_costs": "2000",
            "members_counted": 2,
            "per_capita_net_income_yuan": "6100",
        },
    )
    s.notice(h, lead, "identification", "2025-03-27", "2025-04-02", 1)
    s.emit(
        "identification_decided",
        h,
        "2025-04-07",
        {
            "lead_id": lead,
            "outcome": "identified",
            "decided_on": "2025-04-07",
            "category": "sudden_hardship",
            "risks": ["illness"],
            "per_capita_net_income_yuan": "6100",
        },
        who=COUNTY,
    )
    s.emit(
        "national_system_entry_recorded",
        h,
        "2025-04-08",
        {"case_id": lead, "entered_on": "2025-04-08", "system_record_id": s.id("NS", 1)},
        who=COUNTY,
    )
    s.emit(
        "assistance_plan_adopted",
        h,
        "2025-04-10",
        {
            "plan_id": s.id("PL", 1),
            "adopted_on": "2025-04-10",
            "measures": [
                {
                    "measure_type": "medical_aid",
                    "addresses_risks": ["illness"],
                    "responsible_department": "medical_insurance",
                }
            ],
        },
    )
    measure = s.id("M", 1)
    s.emit(
        "assistance_measure_started",
        h,
        "2025-04-12",
        {
            "measure_id": measure,
            "measure_type": "medical_aid",
            "responsible_department": "medical_insurance",
            "addresses_risks": ["illness"],
            "started_on": "2025-04-12",
            "amount_yuan": "12000",
        },
        who=department("medical_insurance"),
    )
    s.emit(
        "assistance_measure_verified",
        h,
        "2025-05-06",
        {
            "measure_id": measure,
            "verified_on": "2025-05-06",
            "verifier_id": "helper-chen",
            "evidence_refs": ["receipt-2025-0412", "photo-0506"],
            "amount_received_yuan": "12000",
        },
        who=HELPER,
    )
    s.emit(
        "policy_leaflet_delivered",
        h,
        "2025-05-06",
        {"leaflet": "assistance_policy", "delivered_on": "2025-05-06", "received_by": "P102"},
    )
    elimination = s.id("E", 1)
    s.emit(
        "risk_elimination_proposed",
        h,
        "2025-11-01",
        {
            "elimination_id": elimination,
            "proposed_on": "2025-11-01",
            "kind": "stable",
            "per_capita_net_income_yuan": "9100",
            "grounds": "recovered; wages above the line for eight months",
        },
    )
    s.notice(h, elimination, "elimination", "2025-11-03", "2025-11-09", 2)
    s.emit(
        "risk_eliminated",
        h,
        "2025-11-20",
        {
            "elimination_id": elimination,
            "kind": "stable",
            "decided_on": "2025-11-20",
            "per_capita_net_income_yuan": "9100",
        },
        who=COUNTY,
    )
    s.emit(
        "risk_elimination_reverted",
        h,
        "2026-01-15",
        {
            "elimination_id": elimination,
            "reverted_on": "2026-01-15",
            "reason": "relapse: hospitalised again in January",
        },
        who=COUNTY,
    )

    return first
