"""The catalogue of event types: name → payload model and schema version, and the parser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from events import (
    assistance,
    cadres,
    corrections,
    departments,
    elimination,
    household,
    identification,
    visits,
)
from events.envelope import EventEnvelope
from events.reasons import ReasonCoded

# event_type → (payload model, current schema version). The name is the stable contract.
EVENT_TYPES: dict[str, tuple[type[BaseModel], int]] = {
    # who the household is
    "household_registered": (household.HouseholdRegistered, 1),
    "member_added": (household.MemberAdded, 1),
    "member_changed": (household.MemberChanged, 1),
    "income_assessed": (household.IncomeAssessed, 1),
    # visits, screenings, publicity
    "visit_recorded": (visits.VisitRecorded, 1),
    "screening_recorded": (visits.ScreeningRecorded, 1),
    "policy_leaflet_delivered": (visits.PolicyLeafletDelivered, 1),
    "awareness_survey_answered": (visits.AwarenessSurveyAnswered, 1),
    # departments
    "department_risk_alert_pushed": (departments.DepartmentRiskAlertPushed, 1),
    "department_fact_reported": (departments.DepartmentFactReported, 1),
    # identification, and the review and notice steps shared with elimination
    "risk_lead_registered": (identification.RiskLeadRegistered, 1),
    "household_consent_signed": (identification.HouseholdConsentSigned, 1),
    "data_comparison_requested": (identification.DataComparisonRequested, 1),
    "data_comparison_returned": (identification.DataComparisonReturned, 1),
    "village_review_held": (identification.VillageReviewHeld, 1),
    "public_notice_posted": (identification.PublicNoticePosted, 1),
    "objection_raised": (identification.ObjectionRaised, 1),
    "objection_resolved": (identification.ObjectionResolved, 1),
    "public_notice_closed": (identification.PublicNoticeClosed, 1),
    "township_review_done": (identification.TownshipReviewDone, 1),
    "identification_decided": (identification.IdentificationDecided, 1),
    "national_system_entry_recorded": (identification.NationalSystemEntryRecorded, 1),
    # assistance
    "assistance_plan_adopted": (assistance.AssistancePlanAdopted, 1),
    "assistance_measure_started": (assistance.AssistanceMeasureStarted, 1),
    "assistance_measure_verified": (assistance.AssistanceMeasureVerified, 1),
    "assistance_measure_ended": (assistance.AssistanceMeasureEnded, 1),
    # elimination and the safety net
    "risk_elimination_proposed": (elimination.RiskEliminationProposed, 1),
    "risk_eliminated": (elimination.RiskEliminated, 1),
    "risk_elimination_reverted": (elimination.RiskEliminationReverted, 1),
    "safety_net_mark_set": (elimination.SafetyNetMarkSet, 1),
    "safety_net_mark_removed": (elimination.SafetyNetMarkRemoved, 1),
    # the register of cadres and their relatives
    "cadre_relative_registered": (cadres.CadreRelativeRegistered, 1),
    "cadre_relative_ended": (cadres.CadreRelativeEnded, 1),
    # corrections
    "event_retracted": (corrections.EventRetracted, 1),
    "event_amended": (corrections.EventAmended, 1),
}


# Stable reason codes of the contract, with what the producer should do about each.
CONTRACT_REASONS: dict[str, str] = {
    "NOT_JSON": "Send the event as a UTF-8 JSON object.",
    "ENVELOPE_INVALID": "Fill every envelope field as envelope.json describes.",
    "UNKNOWN_EVENT_TYPE": "Use one of the event types of the schemas directory.",
    "UNSUPPORTED_SCHEMA_VERSION": "Send the schema version the type's schema names.",
    "PAYLOAD_INVALID": "Make the payload match the event type's JSON Schema.",
    "KEY_MISMATCH": "Use the household_id as the Kafka message key.",
    "SOURCE_UNKNOWN": "Register the producing system in the permissions matrix.",
    "PRODUCER_NOT_PERMITTED": "This source may not emit this event type; the owner of the "
    "step must send it.",
    "SIGNATURE_MISSING": "Sign the message with the producer's key (dixian-producer and "
    "dixian-signature headers).",
    "SIGNATURE_INVALID": "Sign exactly the bytes sent, with the producer's own key.",
    "SOURCE_MISMATCH": "source_system must be the producer whose key signed the message.",
    "DEPARTMENT_MISMATCH": "A department reports only as itself: the payload's department "
    "must be the source_system that sends it.",
    "CORRECTION_TARGET_UNKNOWN": "Correct only an accepted event of the same household.",
    "MESSAGE_TOO_LARGE": "Send one event per message, within the size limit (1 MiB by "
    "default); put documents in the evidence store, not in the event.",
    "JSON_TOO_DEEP": "Send the envelope and payload as their schemas nest them (a few levels).",
    "TEXT_TOO_LONG": "Keep each text within the limit (10,000 characters by default); "
    "attach long documents as evidence.",
    "TOO_MANY_MEMBERS": "A household has at most the configured number of members (100 by "
    "default): check the registration for a list that was joined by mistake.",
    "TEXT_NOT_STORABLE": "Remove NUL characters and unpaired surrogates from the text: no "
    "name, note or id contains one.",
    "OCCURRED_IN_FUTURE": "Send what has happened, with its real date and time; check the "
    "producing system's clock and time zone.",
    "EVENT_ID_REUSED": "Give every event its own id; resend an event only with the very "
    "bytes first sent, and send a correction (event_amended) to change one.",
    "HISTORICAL_IMPORT_NOT_PERMITTED": "Send live events without import_batch; a migration "
    "of past records is declared to the county's operators first, who permit its batch id.",
    "INTERNAL_ERROR": "Nothing the producer can fix alone: the intake failed on this message "
    "(the class of the error is in the reason). Report it with the rejection id; the "
    "message is kept and can be sent again once it is fixed.",
    "STORE_REFUSED": "The event store refused this message's data (the reason names why); "
    "fix the field it names and send it again under a new event id.",
}


class ContractViolation(ReasonCoded):
    """A message that does not meet the contract; `code` is the stable reason code."""

    reasons = CONTRACT_REASONS


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """An envelope whose payload was validated against its type's model."""

    envelope: EventEnvelope
    payload: BaseModel

    def facts(self) -> dict[str, Any]:
        """The payload as plain JSON values, as the event store keeps it."""
        return self.payload.model_dump(mode="json")


def first_error(err: ValidationError, most: int = 10) -> str:
    """Every error of a validation (the first `most`), each with its field path."""
    parts = []
    for e in err.errors(include_url=False, include_input=False)[:most]:
        where = ".".join(str(p) for p in e["loc"]) or "(root)"
        parts.append(f"{where}: {e['msg']}")
    more = f"; and {err.error_count() - most} more" if err.error_count() > most else ""
    return "; ".join(parts) + more


def validate_payload(model: type[BaseModel], payload: dict[str, Any]) -> BaseModel:
    """The payload as its model, or ContractViolation PAYLOAD_INVALID."""
    try:
        return model.model_validate(payload)
    except ValidationError as e:
        raise ContractViolation("PAYLOAD_INVALID", first_error(e)) from None
