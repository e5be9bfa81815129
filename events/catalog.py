"""The catalogue of event types: name → payload model and schema version, and the parser."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from events import payloads
from events.envelope import EventEnvelope

# event_type → (payload model, current schema version)
EVENT_TYPES: dict[str, tuple[type[BaseModel], int]] = {
    "household_registered": (payloads.HouseholdRegistered, 1),
    "member_added": (payloads.MemberAdded, 1),
    "member_changed": (payloads.MemberChanged, 1),
    "visit_recorded": (payloads.VisitRecorded, 1),
    "department_risk_alert_pushed": (payloads.DepartmentRiskAlertPushed, 1),
    "risk_lead_registered": (payloads.RiskLeadRegistered, 1),
    "identification_decided": (payloads.IdentificationDecided, 1),
    "assistance_measure_recorded": (payloads.AssistanceMeasureRecorded, 1),
    "risk_eliminated": (payloads.RiskEliminated, 1),
}


# Stable reason codes of the contract, with what the producer should do about each.
CONTRACT_REASONS: dict[str, str] = {
    "NOT_JSON": "Send the event as a UTF-8 JSON object.",
    "ENVELOPE_INVALID": "Fill every envelope field as envelope.json describes.",
    "UNKNOWN_EVENT_TYPE": "Use one of the event types of the schemas directory.",
    "UNSUPPORTED_SCHEMA_VERSION": "Send the schema version the type's schema names.",
    "PAYLOAD_INVALID": "Make the payload match the event type's JSON Schema.",
    "KEY_MISMATCH": "Use the household_id as the Kafka message key.",
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
    try:
        payload = model.model_validate(envelope.payload)
    except ValidationError as e:
        raise ContractViolation("PAYLOAD_INVALID", _first_error(e)) from None
    return ParsedEvent(envelope=envelope, payload=payload)
