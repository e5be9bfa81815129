"""The contract: every way a message can fail has its own stable reason code."""

import json
import uuid
from typing import Any

import pytest

from events.catalog import CONTRACT_REASONS, EVENT_TYPES, ContractViolation, parse_event
from events.identification import IdentificationDecided


def envelope(**over: Any) -> dict[str, Any]:
    base = {
        "event_id": str(uuid.uuid4()),
        "event_type": "risk_lead_registered",
        "schema_version": 1,
        "household_id": "532524105201001",
        "occurred_at": "2025-03-24T10:00:00+08:00",
        "recorded_at": "2025-03-24T12:00:00+08:00",
        "source_system": "village_app",
        "actor": {"person_id": "cadre-li", "role": "village_cadre"},
        "payload": {
            "lead_id": "L1",
            "channel": "cadre_visit",
            "risk_types": ["illness"],
            "reported_on": "2025-03-24",
        },
    }
    return base | over


def code_of(raw: bytes) -> str:
    with pytest.raises(ContractViolation) as e:
        parse_event(raw)
    assert e.value.code in CONTRACT_REASONS
    return e.value.code


def test_a_valid_message_parses_into_its_payload_model() -> None:
    parsed = parse_event(json.dumps(envelope()).encode())
    assert parsed.payload.lead_id == "L1"  # type: ignore[attr-defined]
    assert parsed.facts()["risk_types"] == ["illness"]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\xff\xfe", "NOT_JSON"),
        (b"{not json", "NOT_JSON"),
        (b"[1, 2]", "ENVELOPE_INVALID"),
        (json.dumps(envelope(event_id="nope")).encode(), "ENVELOPE_INVALID"),
        (json.dumps(envelope(occurred_at="2025-03-24T10:00:00")).encode(), "ENVELOPE_INVALID"),
        (json.dumps(envelope(extra=1)).encode(), "ENVELOPE_INVALID"),
        (json.dumps(envelope(event_type="lottery_won")).encode(), "UNKNOWN_EVENT_TYPE"),
        (json.dumps(envelope(schema_version=2)).encode(), "UNSUPPORTED_SCHEMA_VERSION"),
        (json.dumps(envelope(payload={"lead_id": "L1"})).encode(), "PAYLOAD_INVALID"),
    ],
    ids=[
        "bytes",
        "broken",
        "array",
        "event-id",
        "naive-time",
        "extra-field",
        "type",
        "version",
        "payload",
    ],
)
def test_each_contract_failure_has_its_reason_code(raw: bytes, code: str) -> None:
    assert code_of(raw) == code


def test_an_identification_needs_a_category_and_risks_and_a_dismissal_needs_a_reason() -> None:
    base = {"lead_id": "L1", "decided_on": "2025-04-07"}
    with pytest.raises(ValueError, match="category"):
        IdentificationDecided.model_validate(base | {"outcome": "identified"})
    with pytest.raises(ValueError, match="reason"):
        IdentificationDecided.model_validate(base | {"outcome": "dismissed"})


def test_a_member_with_a_wrong_id_check_digit_is_refused() -> None:
    member = {
        "person_id": "P1",
        "name": "张三",
        "id_number": "110105194912310021",
        "relation_to_head": "head",
        "labour_capacity": "ordinary",
        "health": "healthy",
    }
    payload = {"member": member, "reason": "return"}
    raw = json.dumps(envelope(event_type="member_added", payload=payload)).encode()
    assert code_of(raw) == "PAYLOAD_INVALID"


def test_every_event_type_names_a_payload_model_and_a_version() -> None:
    for name, (model, version) in EVENT_TYPES.items():
        assert model.model_json_schema()["properties"], name
        assert version >= 1
