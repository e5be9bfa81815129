"""The steps of the lifecycle as the development tools send them: one builder per event
type, giving its day, its type and a payload the contract accepts. The demo village and the
simulator both write their households with these."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple


class Step(NamedTuple):
    """One event to send: on which day (a date for the simulator, text for the village
    script), of which type, with which payload."""

    day: Any
    event_type: str
    payload: dict[str, Any]


def _on(day: date | str) -> str:
    return str(day)  # a date's str is its ISO form


def findings(notes: str = "", risks: Sequence[str] = (), **over: Any) -> dict[str, Any]:
    """What a visit or a screening found: the three guarantees and drinking water secure
    unless a risk of theirs was seen."""
    return {
        "compulsory_education_secure": "education" not in risks,
        "basic_medical_care_secure": "illness" not in risks,
        "housing_safe": "housing" not in risks,
        "drinking_water_safe": "drinking_water" not in risks,
        "risks_found": list(risks),
        "notes": notes,
    } | over


# --- the household and what was seen of it ------------------------------------------------
def household_registered(
    day: date | str,
    village: str,
    household_type: str,
    members: list[dict[str, Any]],
    names: dict[str, str] | None = None,
) -> Step:
    """A registration; `names` are the place names it carries (county, township, village)."""
    payload = {
        "village_code": village,
        **(names or {}),
        "household_type": household_type,
        "members": members,
    }
    return Step(day, "household_registered", payload)


def policy_leaflet_delivered(leaflet: str, day: date | str, received_by: str) -> Step:
    payload = {"leaflet": leaflet, "delivered_on": _on(day), "received_by": received_by}
    return Step(day, "policy_leaflet_delivered", payload)


def visit_recorded(visitor: str, day: date | str, found: dict[str, Any]) -> Step:
    payload = {"visitor_id": visitor, "visit_date": _on(day), "findings": found}
    return Step(day, "visit_recorded", payload)


def screening_recorded(
    campaign: str, screener: str, day: date | str, found: dict[str, Any]
) -> Step:
    payload = {
        "campaign": campaign,
        "screener_id": screener,
        "screening_date": _on(day),
        "findings": found,
    }
    return Step(day, "screening_recorded", payload)


def awareness_survey_answered(survey_id: str, day: date | str, correct: int, aware: bool) -> Step:
    payload = {
        "survey_id": survey_id,
        "answered_on": _on(day),
        "questions": 10,
        "correct_answers": correct,
        "aware": aware,
    }
    return Step(day, "awareness_survey_answered", payload)


def income_assessed(
    day: date | str,
    year: int,
    components: dict[str, str],
    members: int,
    per_capita: int | str,
    production_costs: str | None = None,
) -> Step:
    costs = {} if production_costs is None else {"production_costs": production_costs}
    payload = {
        "assessed_on": _on(day),
        "year": year,
        "components": components,
        **costs,
        "members_counted": members,
        "per_capita_net_income_yuan": str(per_capita),
    }
    return Step(day, "income_assessed", payload)


def department_risk_alert_pushed(
    alert_id: str, department: str, risk: str, arose: date | str, pushed: date | str, **more: Any
) -> Step:
    payload = {
        "alert_id": alert_id,
        "department": department,
        "risk_type": risk,
        "risk_arose_on": _on(arose),
        "pushed_on": _on(pushed),
        **more,
    }
    return Step(pushed, "department_risk_alert_pushed", payload)


def department_fact_reported(
    fact_id: str,
    department: str,
    kind: str,
    effective: date | str,
    reported: date | str | None = None,
    **more: Any,
) -> Step:
    """A fact effective on a day, reported then or (`reported`) later."""
    payload = {
        "fact_id": fact_id,
        "department": department,
        "kind": kind,
        "effective_on": _on(effective),
        **more,
    }
    return Step(reported or effective, "department_fact_reported", payload)


def cadre_relative_registered(cadre: str, relative: str, relation: str, day: date | str) -> Step:
    payload = {
        "cadre_id": cadre,
        "cadre_role": "village_cadre",
        "relative_person_id": relative,
        "relation": relation,
        "registered_on": _on(day),
    }
    return Step(day, "cadre_relative_registered", payload)


# --- identification, and the review and notice steps shared with elimination ---------------
def risk_lead_registered(
    lead_id: str, channel: str, risks: list[str], day: date | str, alert_id: str | None = None
) -> Step:
    payload: dict[str, Any] = {
        "lead_id": lead_id,
        "channel": channel,
        "risk_types": risks,
        "reported_on": _on(day),
    }
    if alert_id:
        payload["alert_id"] = alert_id
    return Step(day, "risk_lead_registered", payload)


def household_consent_signed(lead_id: str, day: date | str, signed_by: str) -> Step:
    payload = {"lead_id": lead_id, "signed_on": _on(day), "signed_by": signed_by}
    return Step(day, "household_consent_signed", payload)


def data_comparison_requested(lead_id: str, day: date | str, departments: list[str]) -> Step:
    payload = {"lead_id": lead_id, "requested_on": _on(day), "departments": departments}
    return Step(day, "data_comparison_requested", payload)


def data_comparison_returned(lead_id: str, day: date | str, department: str, found: str) -> Step:
    payload = {
        "lead_id": lead_id,
        "returned_on": _on(day),
        "department": department,
        "findings": found,
    }
    return Step(day, "data_comparison_returned", payload)


def village_review_held(
    case_id: str, kind: str, day: date | str, participants: list[str], **more: Any
) -> Step:
    payload = {
        "case_id": case_id,
        "case_kind": kind,
        "held_on": _on(day),
        "participants": participants,
        "outcome": "approved",
        **more,
    }
    return Step(day, "village_review_held", payload)


def public_notice_posted(notice_id: str, case_id: str, kind: str, day: date | str) -> Step:
    payload = {"notice_id": notice_id, "case_id": case_id, "case_kind": kind, "posted_on": _on(day)}
    return Step(day, "public_notice_posted", payload)


def objection_raised(notice_id: str, objection_id: str, day: date | str, summary: str) -> Step:
    payload = {
        "notice_id": notice_id,
        "objection_id": objection_id,
        "raised_on": _on(day),
        "summary": summary,
    }
    return Step(day, "objection_raised", payload)


def objection_resolved(notice_id: str, objection_id: str, day: date | str, resolution: str) -> Step:
    payload = {
        "notice_id": notice_id,
        "objection_id": objection_id,
        "resolved_on": _on(day),
        "upheld": False,
        "resolution": resolution,
    }
    return Step(day, "objection_resolved", payload)


def public_notice_closed(notice_id: str, day: date | str) -> Step:
    return Step(day, "public_notice_closed", {"notice_id": notice_id, "closed_on": _on(day)})


def township_review_done(case_id: str, kind: str, day: date | str, reviewer: str) -> Step:
    payload = {
        "case_id": case_id,
        "case_kind": kind,
        "reviewed_on": _on(day),
        "reviewer_id": reviewer,
        "outcome": "approved",
    }
    return Step(day, "township_review_done", payload)


def identification_decided(
    lead_id: str, day: date | str, category: str, risks: list[str], **more: Any
) -> Step:
    payload = {
        "lead_id": lead_id,
        "outcome": "identified",
        "decided_on": _on(day),
        "category": category,
        "risks": risks,
        **more,
    }
    return Step(day, "identification_decided", payload)


def lead_dismissed(lead_id: str, day: date | str, reason: str) -> Step:
    payload = {
        "lead_id": lead_id,
        "outcome": "dismissed",
        "decided_on": _on(day),
        "dismissal_reason": reason,
    }
    return Step(day, "identification_decided", payload)


def national_system_entry_recorded(case_id: str, day: date | str, record_id: str) -> Step:
    payload = {"case_id": case_id, "entered_on": _on(day), "system_record_id": record_id}
    return Step(day, "national_system_entry_recorded", payload)


# --- assistance ----------------------------------------------------------------------------
def assistance_plan_adopted(
    plan_id: str, day: date | str, measure_type: str, risk: str, department: str
) -> Step:
    """A plan of one measure, answering one risk."""
    measure = {
        "measure_type": measure_type,
        "addresses_risks": [risk],
        "responsible_department": department,
    }
    payload = {"plan_id": plan_id, "adopted_on": _on(day), "measures": [measure]}
    return Step(day, "assistance_plan_adopted", payload)


def assistance_measure_started(
    measure_id: str,
    measure_type: str,
    department: str,
    risk: str,
    day: date | str,
    amount: int | str | None = None,
) -> Step:
    payload = {
        "measure_id": measure_id,
        "measure_type": measure_type,
        "responsible_department": department,
        "addresses_risks": [risk],
        "started_on": _on(day),
    }
    if amount is not None:
        payload["amount_yuan"] = str(amount)
    return Step(day, "assistance_measure_started", payload)


def assistance_measure_verified(
    measure_id: str, day: date | str, verifier: str, evidence: list[str], **more: Any
) -> Step:
    payload = {
        "measure_id": measure_id,
        "verified_on": _on(day),
        "verifier_id": verifier,
        "evidence_refs": evidence,
        **more,
    }
    return Step(day, "assistance_measure_verified", payload)


def assistance_measure_ended(measure_id: str, day: date | str, reason: str) -> Step:
    payload = {"measure_id": measure_id, "ended_on": _on(day), "reason": reason}
    return Step(day, "assistance_measure_ended", payload)


# --- elimination and the safety net ----------------------------------------------------------
def risk_elimination_proposed(
    elimination_id: str, day: date | str, grounds: str, income: int | str | None = None
) -> Step:
    payload = {"elimination_id": elimination_id, "proposed_on": _on(day), "kind": "stable"}
    if income is not None:
        payload["per_capita_net_income_yuan"] = str(income)
    payload["grounds"] = grounds
    return Step(day, "risk_elimination_proposed", payload)


def risk_eliminated(elimination_id: str, day: date | str, income: str | None = None) -> Step:
    payload = {"elimination_id": elimination_id, "kind": "stable", "decided_on": _on(day)}
    if income is not None:
        payload["per_capita_net_income_yuan"] = income
    return Step(day, "risk_eliminated", payload)


def risk_elimination_reverted(elimination_id: str, day: date | str, reason: str) -> Step:
    payload = {"elimination_id": elimination_id, "reverted_on": _on(day), "reason": reason}
    return Step(day, "risk_elimination_reverted", payload)


def safety_net_mark_set(day: date | str, evidence: list[str], grounds: str) -> Step:
    payload = {"marked_on": _on(day), "evidence_refs": evidence, "grounds": grounds}
    return Step(day, "safety_net_mark_set", payload)


def safety_net_mark_removed(day: date | str, reason: str) -> Step:
    return Step(day, "safety_net_mark_removed", {"removed_on": _on(day), "reason": reason})
