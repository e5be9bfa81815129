"""Builders for the unit tests: a valid payload of every event type, envelopes, and a
Household driven step by step exactly as the intake drives it (facts validated by the
payload model, then dumped as JSON values), without any store."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterable
from typing import Any

from builders import decide_raw
from eventsourcing.application import Application

from events.catalog import EVENT_TYPES
from events.identity import check_digit
from services.domain.household import Household
from services.domain.permissions import DEFAULT_PERMISSIONS
from services.domain.rules import LifecycleRules

VILLAGE = "610326101201"  # Shaanxi (61): the seed's 7,300-yuan line applies
VILLAGE_WITHOUT_LINE = "532524105201"  # Yunnan (53): no monitoring line configured
HID = "610326101201T001"
RULES = LifecycleRules()

_ids = itertools.count(1)


def new_event_id() -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-unit:{next(_ids)}"))


def id_number(seq: int) -> str:
    """A valid ID number of the village's county, born 1970-01-01."""
    first17 = f"{VILLAGE[:6]}19700101{seq:03d}"
    return first17 + check_digit(first17)


def member(pid: str, seq: int = 1, **over: Any) -> dict[str, Any]:
    return {
        "person_id": pid,
        "name": "王建国",
        "id_number": id_number(seq),
        "relation_to_head": "head",
        "labour_capacity": "ordinary",
        "health": "healthy",
        "phone": "13800000001",
    } | over


FINDINGS = {
    "compulsory_education_secure": True,
    "basic_medical_care_secure": True,
    "housing_safe": True,
    "drinking_water_safe": True,
}

# One valid payload of every event type: the defaults of the lifecycle's happy path
# (lead L1 noticed as N1 for six days, measure M1, elimination E1).
_PAYLOADS: dict[str, dict[str, Any]] = {
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
        "findings": FINDINGS,
    },
    "screening_recorded": {
        "campaign": "2025 special rectification",
        "screener_id": "cadre-li",
        "screening_date": "2025-06-20",
        "findings": FINDINGS,
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
            "findings": FINDINGS,
        },
    },
}


def payload(event_type: str, **over: Any) -> dict[str, Any]:
    """A valid payload of the type, with some fields replaced."""
    return json.loads(json.dumps(_PAYLOADS[event_type])) | over


def source_for(event_type: str) -> str:
    """A source system the default permissions allow to emit the type."""
    return next(s for s, types in DEFAULT_PERMISSIONS.items() if event_type in types)


def envelope(event_type: str, household_id: str = HID, **over: Any) -> dict[str, Any]:
    """A whole valid message of the type (as a dict), with envelope fields replaced."""
    return {
        "event_id": new_event_id(),
        "event_type": event_type,
        "schema_version": EVENT_TYPES[event_type][1] if event_type in EVENT_TYPES else 1,
        "household_id": household_id,
        "occurred_at": "2025-03-24T10:00:00+08:00",
        "recorded_at": "2025-03-24T12:00:00+08:00",
        "source_system": source_for(event_type) if event_type in EVENT_TYPES else "village_app",
        "actor": {"person_id": "cadre-li", "role": "village_cadre"},
        "payload": payload(event_type) if event_type in _PAYLOADS else {},
    } | over


def encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def meta(event_type: str, household_id: str = HID) -> dict[str, Any]:
    """The envelope's fields as the intake hands them to the aggregate."""
    return {
        "event_id": new_event_id(),
        "event_type": event_type,
        "schema_version": 1,
        "household_id": household_id,
        "occurred_at": "2025-03-24T10:00:00+08:00",
        "recorded_at": "2025-03-24T12:00:00+08:00",
        "source_system": source_for(event_type),
        "actor_id": "cadre-li",
        "actor_role": "village_cadre",
    }


def facts(event_type: str, **over: Any) -> dict[str, Any]:
    """The payload validated by its model and dumped as JSON values, as the intake does."""
    model, _ = EVENT_TYPES[event_type]
    return model.model_validate(payload(event_type, **over)).model_dump(mode="json")


def registered(household_id: str = HID, **over: Any) -> Household:
    return decide_raw(
        None,
        meta("household_registered", household_id),
        facts("household_registered", **over),
        RULES,
    )


def do(
    h: Household,
    event_type: str,
    rules: LifecycleRules = RULES,
    extra: dict[str, Any] | None = None,
    **over: Any,
) -> None:
    """Decide one event on the household; `extra` adds facts the intake resolves itself
    (a correction's target_event_type)."""
    decide_raw(
        h, meta(event_type, h.household_id), facts(event_type, **over) | (extra or {}), rules
    )


def correction(target_event_type: str, source: str = "village_app") -> dict[str, Any]:
    return {"target_event_type": target_event_type, "target_source_system": source}


def noticed(
    h: Household,
    case_id: str,
    kind: str,
    notice_id: str,
    posted_on: str,
    closed_on: str | None,
) -> None:
    """Village review and public notice of a case (closed unless closed_on is None)."""
    common = {"case_id": case_id, "case_kind": kind}
    do(h, "village_review_held", **common, held_on=posted_on)
    do(h, "public_notice_posted", **common, notice_id=notice_id, posted_on=posted_on)
    if closed_on is not None:
        do(h, "public_notice_closed", notice_id=notice_id, closed_on=closed_on)
        do(h, "township_review_done", **common, reviewed_on=closed_on)


def identified(h: Household, lead_id: str = "L1", notice_id: str = "N1") -> Household:
    """The whole identification procedure of the seed, ending in the county's decision."""
    do(h, "risk_lead_registered", lead_id=lead_id)
    do(h, "household_consent_signed", lead_id=lead_id)
    do(h, "data_comparison_requested", lead_id=lead_id)
    do(h, "data_comparison_returned", lead_id=lead_id)
    noticed(h, lead_id, "identification", notice_id, "2025-03-27", "2025-04-02")
    do(h, "identification_decided", lead_id=lead_id)
    return h


def eliminated(h: Household, elimination_id: str = "E1", notice_id: str = "N2") -> Household:
    """Elimination through its own procedure, on a monitored household."""
    do(h, "risk_elimination_proposed", elimination_id=elimination_id)
    noticed(h, elimination_id, "elimination", notice_id, "2025-11-03", "2025-11-09")
    do(h, "risk_eliminated", elimination_id=elimination_id)
    return h


def state(h: Household) -> dict[str, Any]:
    """The household's public state, with its id and version."""
    public = {k: v for k, v in vars(h).items() if not k.startswith("_")}
    return public | {"id": h.id, "version": h.version}


MAPPER = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def replayed(events: Iterable[Any]) -> Household:
    """The household rebuilt from its events, each through the stored form first."""
    h = None
    for e in events:
        h = MAPPER.to_domain_event(MAPPER.to_stored_event(e)).mutate(h)
    assert isinstance(h, Household)
    return h


def from_snapshot(h: Household) -> Household:
    """The household rebuilt from a snapshot of it, through the stored form."""
    snapshot = Household.Snapshot.take(h)
    restored = MAPPER.to_domain_event(MAPPER.to_stored_event(snapshot)).mutate(None)
    assert isinstance(restored, Household)
    return restored
