"""The five households of the demo village, one function each."""

from __future__ import annotations

from typing import Any

from services.devtools.village.script import (
    COUNTY,
    HELPER,
    TOWNSHIP,
    VillageScript,
    by,
    department,
    findings,
    member,
)


def falls_ill_is_identified_eliminated_and_reverted(s: VillageScript, h: str) -> dict[str, Any]:
    # H1: a lifted household falls ill; alert, lead, the whole identification procedure,
    # a plan and a verified measure, elimination through its own procedure, then reversal.
    first = s.register(
        h,
        "lifted",
        [
            member("P101", "王建国", "1968-04-02", 11, "head", phone="13800000001"),
            member("P102", "李秀兰", "1970-09-15", 12, "spouse", female=True),
        ],
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


def applies_and_is_dismissed(s: VillageScript, h: str) -> None:
    # H2: an ordinary household applies; the lead is dismissed with a reason.
    s.register(
        h,
        "ordinary",
        [member("P201", "张伟", "1980-01-30", 21, "head")],
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


def has_a_birth_visits_and_corrections(s: VillageScript, h: str) -> None:
    # H3: a lifted household: a birth, monthly visits, a screening, a survey; one visit was
    # recorded against the wrong day and is amended, one entered twice and is retracted.
    s.register(
        h,
        "lifted",
        [
            member(
                "P301",
                "刘强",
                "1975-07-07",
                31,
                "head",
                labour="weak",
                health="chronic_illness",
            )
        ],
    )
    s.emit(
        "member_added",
        h,
        "2025-04-01",
        {
            "reason": "birth",
            "member": member(
                "P302", "刘小雨", "2025-03-28", 32, "child", female=True, labour="none"
            ),
        },
    )
    visits = [
        s.emit(
            "visit_recorded",
            h,
            f"2025-0{m}-15",
            {
                "visitor_id": "helper-chen",
                "visit_date": f"2025-0{m}-15",
                "findings": findings(f"monthly visit {m}"),
            },
            who=HELPER,
        )
        for m in (3, 4, 5, 5)
    ]
    s.emit(
        "event_amended",
        h,
        "2025-06-01",
        {
            "target_event_id": visits[2]["event_id"],
            "reason": "the May visit was on the 16th",
            "amended_payload": visits[2]["payload"] | {"visit_date": "2025-05-16"},
        },
        who=HELPER,
    )
    s.emit(
        "event_retracted",
        h,
        "2025-06-01",
        {"target_event_id": visits[3]["event_id"], "reason": "entered twice"},
        who=HELPER,
    )
    s.emit(
        "screening_recorded",
        h,
        "2025-06-20",
        {
            "campaign": "2025 special rectification",
            "screener_id": "cadre-li",
            "screening_date": "2025-06-20",
            "findings": findings("no new risk"),
        },
    )
    s.emit(
        "awareness_survey_answered",
        h,
        "2025-06-20",
        {
            "survey_id": "S2025",
            "answered_on": "2025-06-20",
            "questions": 10,
            "correct_answers": 9,
            "aware": True,
        },
    )


def objection_then_safety_net(s: VillageScript, h: str) -> None:
    # H4: the storm damages an elderly woman's roof; an objection holds the decision until it
    # is resolved; she has no labour capacity and lives on social security: marked, and so
    # never eliminated (R7.1).
    s.register(
        h,
        "ordinary",
        [
            member(
                "P401",
                "赵敏",
                "1948-02-11",
                41,
                "head",
                female=True,
                labour="none",
                health="disabled",
                bank_account="6222020000",
            )
        ],
    )
    s.emit(
        "visit_recorded",
        h,
        "2025-07-03",
        {
            "visitor_id": "cadre-li",
            "visit_date": "2025-07-03",
            "findings": findings(
                "roof damaged by the storm", housing_safe=False, risks_found=["housing"]
            ),
        },
    )
    lead4 = s.id("L", 4)
    s.emit(
        "risk_lead_registered",
        h,
        "2025-07-03",
        {
            "lead_id": lead4,
            "channel": "cadre_visit",
            "risk_types": ["housing"],
            "reported_on": "2025-07-03",
        },
    )
    s.emit(
        "household_consent_signed",
        h,
        "2025-07-04",
        {"lead_id": lead4, "signed_on": "2025-07-04", "signed_by": "P401"},
    )
    s.emit(
        "village_review_held",
        h,
        "2025-07-06",
        {
            "case_id": lead4,
            "case_kind": "identification",
            "held_on": "2025-07-06",
            "participants": ["cadre-li", "villager rep. 1"],
            "outcome": "approved",
        },
    )
    notice4 = s.id("N", 4)
    s.emit(
        "public_notice_posted",
        h,
        "2025-07-07",
        {
            "notice_id": notice4,
            "case_id": lead4,
            "case_kind": "identification",
            "posted_on": "2025-07-07",
        },
    )
    s.emit(
        "objection_raised",
        h,
        "2025-07-09",
        {
            "notice_id": notice4,
            "objection_id": s.id("O", 4),
            "raised_on": "2025-07-09",
            "summary": "a neighbour says her son sends money",
        },
    )
    s.emit(
        "public_notice_closed", h, "2025-07-13", {"notice_id": notice4, "closed_on": "2025-07-13"}
    )
    s.emit(
        "township_review_done",
        h,
        "2025-07-14",
        {
            "case_id": lead4,
            "case_kind": "identification",
            "reviewed_on": "2025-07-14",
            "reviewer_id": "township-wu",
            "outcome": "approved",
        },
        who=TOWNSHIP,
    )
    decision4 = {
        "lead_id": lead4,
        "outcome": "identified",
        "decided_on": "2025-07-15",
        "category": "marginal_at_risk",
        "risks": ["housing"],
    }
    s.emit(
        "identification_decided", h, "2025-07-15", decision4, who=COUNTY, expect="OBJECTION_OPEN"
    )
    s.emit(
        "objection_resolved",
        h,
        "2025-07-15",
        {
            "notice_id": notice4,
            "objection_id": s.id("O", 4),
            "resolved_on": "2025-07-15",
            "upheld": False,
            "resolution": "the son has sent nothing since 2023; bank records checked",
        },
    )
    s.emit(
        "identification_decided",
        h,
        "2025-07-16",
        decision4 | {"decided_on": "2025-07-16"},
        who=COUNTY,
    )
    s.emit(
        "assistance_measure_started",
        h,
        "2025-07-20",
        {
            "measure_id": s.id("M", 4),
            "measure_type": "housing_renovation",
            "responsible_department": "housing",
            "addresses_risks": ["housing"],
            "started_on": "2025-07-20",
            "amount_yuan": "35000",
        },
        who=department("housing"),
    )
    s.emit(
        "safety_net_mark_set",
        h,
        "2025-08-01",
        {
            "marked_on": "2025-08-01",
            "evidence_refs": ["civil-affairs-tekun-2025-117"],
            "grounds": "lives alone, no labour capacity, extreme-poverty support",
        },
        who=TOWNSHIP,
    )
    s.emit(
        "risk_elimination_proposed",
        h,
        "2025-12-01",
        {
            "elimination_id": s.id("E", 4),
            "proposed_on": "2025-12-01",
            "kind": "stable",
            "grounds": "roof repaired",
        },
        expect="SAFETY_NET_MARKED",
    )
    s.emit(
        "assistance_measure_ended",
        h,
        "2025-12-05",
        {"measure_id": s.id("M", 4), "ended_on": "2025-12-05", "reason": "roof rebuilt"},
        who=department("housing"),
    )
    s.emit(
        "safety_net_mark_removed",
        h,
        "2026-02-01",
        {"removed_on": "2026-02-01", "reason": "her son came home to care for her"},
        who=TOWNSHIP,
    )


def loses_a_member_and_gets_a_notice_too_short(s: VillageScript, h: str) -> None:
    # H5: a death reported by public security, recorded by the village; a lead whose notice
    # ran three days: the county may not decide on it.
    s.register(
        h,
        "lifted",
        [
            member("P501", "陈涛", "1950-05-05", 51, "head"),
            member("P502", "陈刚", "1979-08-08", 52, "son"),
        ],
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
