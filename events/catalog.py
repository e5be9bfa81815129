"""The catalogue of event types: name → payload model and schema version, and the parser."""

from __future__ import annotations

import json
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
    "CORRECTION_TARGET_UNKNOWN": "Correct only an accepted event of the same household.",
}


class ContractViolation(Exception):
    """A message that does not meet the contract; `code` is the stable reason code."""

    def __init__(self, code: str, detail: str) -> None:
        assert code in CONTRACT_REASONS, code
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ParsedEvent:
    """An envelope whose payload was validated against its type's model."""

    envelope: EventEnvelope
    payload: BaseModel

    def facts(self) -> dict[str, Any]:
        """The payload as plain JSON values, as the event store keeps it."""
        return self.payload.model_dump(mode="json")


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0]
    where = ".".join(str(p) for p in e["loc"]) or "(root)"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{where}: {e['msg']}{more}"


def parse_event(raw: bytes) -> ParsedEvent:
    """Parse and validate one message value, or raise ContractViolation with a reason code."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ContractViolation("NOT_JSON", f"the message is not UTF-8 JSON: {e}") from None
    if not isinstance(data, dict):
        raise ContractViolation("ENVELOPE_INVALID", "the message is JSON but not an object")
    try:
        envelope = EventEnvelope.model_validate(data)
    except ValidationError as e:
        raise ContractViolation("ENVELOPE_INVALID", _first_error(e)) from None
    entry = EVENT_TYPES.get(envelope.event_type)
    if entry is None:
        raise ContractViolation(
            "UNKNOWN_EVENT_TYPE", f"{envelope.event_type!r} is not one of {sorted(EVENT_TYPES)}"
        )
    model, version = entry
    if envelope.schema_version != version:
        raise ContractViolation(
            "UNSUPPORTED_SCHEMA_VERSION",
            f"{envelope.event_type} is at schema version {version}, got {envelope.schema_version}",
        )
    return ParsedEvent(envelope=envelope, payload=validate_payload(model, envelope.payload))


def validate_payload(model: type[BaseModel], payload: dict[str, Any]) -> BaseModel:
    """The payload as its model, or ContractViolation PAYLOAD_INVALID."""
    try:
        return model.model_validate(payload)
    except ValidationError as e:
        raise ContractViolation("PAYLOAD_INVALID", _first_error(e)) from None
