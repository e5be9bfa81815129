"""A valid payload of every event type, as a producer sends it, and its parts: ID numbers,
members and a visit's findings. The defaults are the lifecycle's happy path: lead L1
noticed as N1 for six days, measure M1, elimination E1."""

from __future__ import annotations

import json
from typing import Any

from events.catalog import EVENT_TYPES
from events.identity import check_digit
from services.devtools.steps import findings  # what a visit found, as the tools write it

VILLAGE = "610326101201"  # Shaanxi (61): the seed's 7,300-yuan line applies
VILLAGE_WITHOUT_LINE = "532524105201"  # Yunnan (53): no monitoring line configured


def id_number(seq: int = 1, born: str = "19700101", region: str = VILLAGE) -> str:
    """A valid ID number of the region's county (check digit and all)."""
    first17 = f"{region[:6]}{born}{seq:03d}"
    return first17 + check_digit(first17)


def member(pid: str = "P1", seq: int = 1, **over: Any) -> dict[str, Any]:
    """A member as a registration or a member change names them; `seq` makes the ID number."""
    return {
        "person_id": pid,
        "name": "王建国",
        "id_number": id_number(seq),
        "relation_to_head": "head",
        "labour_capacity": "ordinary",
        "health": "healthy",
        "phone": "13800000001",
    } | over


PAYLOADS: dict[str, dict[str, Any]] = {
    "household_registered": {
        "village_code": VILLAGE,
        "household_type": "lifted",
        "members": [member("P1")],
    },
    "member_added": {"member": member("P2", 2, relation_to_head="child"), "reason": "birth"},
    "member_changed": {"member": member("P1"), "reason": "update"},
    "income_assessed": {
        "assessed_on": "2025-03-26",
        "year": 2024,
        "components": {"wages": "12000", "minimum_living_allowance": "1200"},
        "production_costs": "1200",
        "members_counted": 2,
        "per_capita_net_income_yuan": "6000",
    },
    "visit_recorded": {
        "visitor_id": "helper-chen",
        "visit_date": "2025-03-10",
        "findings": findings(),
    },
    "screening_recorded": {
        "campaign": "2025 special rectification",
        "screener_id": "cadre-li",
        "screening_date": "2025-06-20",
        "findings": findings(),
    },
    "policy_leaflet_delivered": {
        "leaflet": "application_policy",
        "delivered_on": "2025-03-01",
        "received_by": "P1",
    },
    "awareness_survey_answered": {
        "survey_id": "S2025",
        "answered_on": "2025-06-20",
        "questions": 10,
        "correct_answers": 9,
        "aware": True,
    },
    "department_risk_alert_pushed": {
        "alert_id": "MI-1",
        "department": "medical_insurance",
        "risk_type": "illness",
        "risk_arose_on": "2025-03-20",
        "pushed_on": "2025-03-23",
    },
    "department_fact_reported": {
        "fact_id": "PS-1",
        "department": "public_security",
        "kind": "death",
        "effective_on": "2025-09-08",
        "person_id": "P1",
    },
    "cadre_relative_registered": {
        "cadre_id": "cadre-li",
        "cadre_role": "village_cadre",
        "relative_person_id": "P1",
        "relation": "sibling_in_law",
        "registered_on": "2025-01-10",
    },
    "cadre_relative_ended": {
        "cadre_id": "cadre-li",
        "relative_person_id": "P1",
        "ended_on": "2025-12-01",
        "reason": "divorce",
    },
    "risk_lead_registered": {
        "lead_id": "L1",
        "channel": "cadre_visit",
        "risk_types": ["illness"],
        "reported_on": "2025-03-24",
    },
    "household_consent_signed": {"lead_id": "L1", "signed_on": "2025-03-25", "signed_by": "P1"},
    "data_comparison_requested": {
        "lead_id": "L1",
        "requested_on": "2025-03-25",
        "departments": ["medical_insurance", "civil_affairs"],
    },
    "data_comparison_returned": {
        "lead_id": "L1",
        "returned_on": "2025-03-26",
        "department": "medical_insurance",
        "findings": "inpatient costs 48,000 yuan",
    },
    "village_review_held": {
        "case_id": "L1",
        "case_kind": "identification",
        "held_on": "2025-03-27",
        "participants": ["cadre-li", "villager rep."],
        "outcome": "approved",
    },
    "public_notice_posted": {
        "notice_id": "N1",
        "case_id": "L1",
        "case_kind": "identification",
        "posted_on": "2025-03-27",
    },
    "objection_raised": {
        "notice_id": "N1",
        "objection_id": "O1",
        "raised_on": "2025-03-29",
        "summary": "a neighbour says her son sends money",
    },
    "objection_resolved": {
        "notice_id": "N1",
        "objection_id": "O1",
        "resolved_on": "2025-03-31",
        "upheld": False,
        "resolution": "bank records checked",
    },
    "public_notice_closed": {"notice_id": "N1", "closed_on": "2025-04-02"},
    "township_review_done": {
        "case_id": "L1",
        "case_kind": "identification",
        "reviewed_on": "2025-04-03",
        "reviewer_id": "township-wu",
        "outcome": "approved",
    },
    "identification_decided": {
        "lead_id": "L1",
        "outcome": "identified",
        "decided_on": "2025-04-07",
        "category": "sudden_hardship",
        "risks": ["illness"],
        "per_capita_net_income_yuan": "6000",
    },
    "national_system_entry_recorded": {
        "case_id": "L1",
        "entered_on": "2025-04-08",
        "system_record_id": "NS-1",
    },
    "assistance_plan_adopted": {
        "plan_id": "PL-1",
        "adopted_on": "2025-04-10",
        "measures": [
            {
                "measure_type": "medical_aid",
                "addresses_risks": ["illness"],
                "responsible_department": "medical_insurance",
            }
        ],
    },
    "assistance_measure_started": {
        "measure_id": "M1",
        "measure_type": "medical_aid",
        "responsible_department": "medical_insurance",
        "addresses_risks": ["illness"],
        "started_on": "2025-04-12",
        "amount_yuan": "12000",
    },
    "assistance_measure_verified": {
        "measure_id": "M1",
        "verified_on": "2025-05-06",
        "verifier_id": "helper-chen",
        "evidence_refs": ["receipt-0412"],
    },
    "assistance_measure_ended": {
        "measure_id": "M1",
        "ended_on": "2025-10-01",
        "reason": "treatment finished",
    },
    "risk_elimination_proposed": {
        "elimination_id": "E1",
        "proposed_on": "2025-11-01",
        "kind": "stable",
        "per_capita_net_income_yuan": "9100",
        "grounds": "wages above the line for eight months",
    },
    "risk_eliminated": {
        "elimination_id": "E1",
        "kind": "stable",
        "decided_on": "2025-11-20",
        "per_capita_net_income_yuan": "9100",
    },
    "risk_elimination_reverted": {
        "elimination_id": "E1",
        "reverted_on": "2026-01-15",
        "reason": "hospitalised again",
    },
    "safety_net_mark_set": {
        "marked_on": "2025-08-01",
        "evidence_refs": ["tekun-2025-117"],
        "grounds": "no labour capacity, extreme-poverty support",
    },
    "safety_net_mark_removed": {"removed_on": "2025-09-01", "reason": "a son came back"},
    "event_retracted": {
        "target_event_id": "00000000-0000-5000-8000-0000000000ff",
        "reason": "entered twice",
    },
    "event_amended": {
        "target_event_id": "00000000-0000-5000-8000-0000000000ff",
        "reason": "the visit was on the 11th",
        "amended_payload": {
            "visitor_id": "helper-chen",
            "visit_date": "2025-03-11",
            "findings": findings(),
        },
    },
}


def payload(event_type: str, **over: Any) -> dict[str, Any]:
    """A valid payload of the type, with some fields replaced."""
    return json.loads(json.dumps(PAYLOADS[event_type])) | over


def facts(event_type: str, **over: Any) -> dict[str, Any]:
    """The payload validated by its model and dumped as JSON values, as the intake does."""
    return valid(event_type, payload(event_type, **over))


def valid(event_type: str, given: dict[str, Any]) -> dict[str, Any]:
    """Facts written out in full, validated and dumped the same way."""
    model, _ = EVENT_TYPES[event_type]
    return model.model_validate(given).model_dump(mode="json")
