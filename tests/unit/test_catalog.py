"""The contract: every way a message can fail has its own stable reason code."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from builders import HID, encoded, envelope, member, payload
from fakes import FakeIntakeUnitOfWork
from household_steps import registered

from events.catalog import (
    CONTRACT_REASONS,
    EVENT_TYPES,
    ContractViolation,
    ParsedEvent,
)
from events.common import Member
from events.household import HouseholdRegistered
from events.identification import IdentificationDecided
from services.domain.permissions import Permissions
from services.usecases.intake.batch import IntakeProcessor
from services.usecases.intake.edge import parse_message
from services.usecases.intake.message import check_message, envelope_meta
from services.usecases.intake.unit_of_work import RawMessage, Seen

OTHER = "610326101201T002"


def code_of(raw: bytes) -> str:
    with pytest.raises(ContractViolation) as e:
        parse_message(raw)
    assert e.value.code in CONTRACT_REASONS
    return e.value.code


def raw(body: dict[str, Any] | bytes | None, key: bytes | None = HID.encode()) -> RawMessage:
    value = body if isinstance(body, bytes) or body is None else encoded(body)
    return RawMessage("dixian.events", 0, 0, key, value)


def intake(message: RawMessage, targets: dict[UUID, Seen] | None = None) -> FakeIntakeUnitOfWork:
    """What the intake does with one message for two registered households, in memory."""
    uow = FakeIntakeUnitOfWork.holding([registered(), registered(OTHER)], targets)
    IntakeProcessor(uow).process([message])
    return uow


VISIT = UUID("00000000-0000-5000-8000-000000000001")
VISIT_OF_OTHER = UUID("00000000-0000-5000-8000-000000000002")
TARGETS = {
    VISIT: Seen(HID, "visit_recorded", "village_app", None),
    VISIT_OF_OTHER: Seen(OTHER, "visit_recorded", "village_app", None),
}


def amendment(**over: Any) -> dict[str, Any]:
    return envelope("event_amended", payload=payload("event_amended", **over))


@dataclass(frozen=True)
class Broken:
    sentence: str
    code: str
    message: RawMessage


def with_payload(event_type: str, **over: Any) -> dict[str, Any]:
    return envelope(event_type, payload=payload(event_type, **over))


def deep(levels: int) -> dict[str, Any]:
    """A value nested `levels` deep."""
    value: dict[str, Any] = {}
    for _ in range(levels):
        value = {"x": value}
    return value


def without(field: str) -> dict[str, Any]:
    body = envelope("visit_recorded")
    del body[field]
    return body


BROKEN = [
    Broken("bytes that are not UTF-8", "NOT_JSON", raw(b"\xff\xfe")),
    Broken("broken JSON", "NOT_JSON", raw(b"{not json")),
    Broken("an empty value", "NOT_JSON", raw(b"")),
    Broken("a tombstone without a value", "NOT_JSON", raw(None)),
    Broken("a JSON array", "ENVELOPE_INVALID", raw(b"[1, 2]")),
    Broken("a JSON string", "ENVELOPE_INVALID", raw(b'"visit"')),
    Broken("JSON null", "ENVELOPE_INVALID", raw(b"null")),
    Broken("an event id that is no UUID", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", event_id="nope"))),
    Broken("a time without its offset", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", occurred_at="2025-03-24T10:00:00"))),
    Broken("an unknown envelope field", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", extra=1))),
    Broken("a missing actor", "ENVELOPE_INVALID", raw(without("actor"))),
    Broken("a missing payload", "ENVELOPE_INVALID", raw(without("payload"))),
    Broken("an actor role that does not exist", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", actor={"person_id": "x", "role": "mayor"}))),
    Broken("a household number with a space", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", household_id="6103 2610"), key=b"6103 2610")),
    Broken("a schema version 0", "ENVELOPE_INVALID",
           raw(envelope("visit_recorded", schema_version=0))),
    Broken("an event type nobody knows", "UNKNOWN_EVENT_TYPE",
           raw(envelope("visit_recorded") | {"event_type": "lottery_won"})),
    Broken("a future schema version", "UNSUPPORTED_SCHEMA_VERSION",
           raw(envelope("visit_recorded", schema_version=2))),
    Broken("a payload missing its fields", "PAYLOAD_INVALID",
           raw(envelope("risk_lead_registered", payload={"lead_id": "L1"}))),
    Broken("a payload with an unknown field", "PAYLOAD_INVALID",
           raw(with_payload("visit_recorded", mood="happy"))),
    Broken("a negative income", "PAYLOAD_INVALID",
           raw(with_payload("income_assessed", per_capita_net_income_yuan="-1"))),
    Broken("a village code of eleven digits", "PAYLOAD_INVALID",
           raw(with_payload("household_registered", village_code="61032610120"))),
    Broken("a registration without members", "PAYLOAD_INVALID",
           raw(with_payload("household_registered", members=[]))),
    Broken("a member with an ID number of 17 characters", "PAYLOAD_INVALID",
           raw(with_payload("member_added", member=member("P2") | {
               "id_number": "11010519491231002"}))),
    Broken("a member whose ID number is not a string", "PAYLOAD_INVALID",
           raw(with_payload("member_added", member=member("P2") | {
               "id_number": 110105194912310021}))),
    Broken("an identification without risks", "PAYLOAD_INVALID",
           raw(with_payload("identification_decided", risks=[]))),
    Broken("an amended payload that does not fit its target", "PAYLOAD_INVALID",
           raw(amendment(target_event_id=str(VISIT), amended_payload={"visit_date": "x"}))),
    Broken("a key that is another household", "KEY_MISMATCH",
           raw(envelope("visit_recorded"), key=OTHER.encode())),
    Broken("no key at all", "KEY_MISMATCH", raw(envelope("visit_recorded"), key=None)),
    Broken("a producer nobody registered", "SOURCE_UNKNOWN",
           raw(envelope("visit_recorded", source_system="lottery_bureau"))),
    Broken("civil affairs deciding an identification", "PRODUCER_NOT_PERMITTED",
           raw(envelope("identification_decided", source_system="civil_affairs"))),
    Broken("a village deciding an elimination", "PRODUCER_NOT_PERMITTED",
           raw(envelope("risk_eliminated", source_system="village_app"))),
    Broken("medical insurance reporting a fact as civil affairs", "DEPARTMENT_MISMATCH",
           raw(envelope("department_fact_reported", source_system="medical_insurance",
                        payload=payload("department_fact_reported",
                                        department="civil_affairs")))),
    Broken("a correction of an event never accepted", "CORRECTION_TARGET_UNKNOWN",
           raw(envelope("event_retracted"))),
    Broken("a correction of another household's event", "CORRECTION_TARGET_UNKNOWN",
           raw(with_payload("event_retracted", target_event_id=str(VISIT_OF_OTHER)))),
    Broken("a historical import nobody declared", "HISTORICAL_IMPORT_NOT_PERMITTED",
           raw(envelope("visit_recorded", import_batch="my-own-history"))),
    # the edge's limits (services/intake/edge.py)
    Broken("a message of more than a mebibyte", "MESSAGE_TOO_LARGE",
           raw(with_payload("visit_recorded", team="x" * (1024 * 1024)))),
    Broken("JSON nested a thousand levels deep", "JSON_TOO_DEEP",
           raw(b'{"a":' * 1000 + b"1" + b"}" * 1000)),
    Broken("JSON nested a hundred levels deep", "JSON_TOO_DEEP",
           raw(b"[" * 100 + b"]" * 100)),
    Broken("a payload nested past the limit under a known key", "JSON_TOO_DEEP",
           raw(with_payload("visit_recorded", findings=deep(80)))),
    Broken("a note of fifty thousand characters", "TEXT_TOO_LONG",
           raw(with_payload("visit_recorded", visitor_id="长" * 50_000))),
    Broken("a registration of five hundred members", "TOO_MANY_MEMBERS",
           raw(with_payload("household_registered",
                            members=[member(f"P{i}", i) for i in range(500)]))),
    Broken("a NUL in a person id", "TEXT_NOT_STORABLE",
           raw(with_payload("member_changed", member=member("ghost\u0000x")))),
    Broken("a NUL in the actor", "TEXT_NOT_STORABLE",
           raw(envelope("visit_recorded",
                        actor={"person_id": "li\u0000", "role": "village_cadre"}))),
    Broken("a NUL in a key of the payload", "TEXT_NOT_STORABLE",
           raw(envelope("visit_recorded", payload={"no\u0000te": 1}))),
    Broken("an unpaired surrogate in a note", "TEXT_NOT_STORABLE",
           raw(encoded(with_payload("visit_recorded")).replace(b'"cadre-li"', b'"li\\udc00"', 1))),
    Broken("a visit on the last day of 9999", "OCCURRED_IN_FUTURE",
           raw(with_payload("visit_recorded", visit_date="9999-12-31"))),
    Broken("an event that occurs at the end of time", "OCCURRED_IN_FUTURE",
           raw(envelope("visit_recorded", occurred_at="9999-12-31T23:59:59+08:00"))),
    Broken("an event recorded tomorrow", "OCCURRED_IN_FUTURE",
           raw(envelope("visit_recorded", recorded_at=(datetime.now(UTC) + timedelta(days=1))
                        .isoformat()))),
    Broken("a plan whose measures are fine but its day is next year", "OCCURRED_IN_FUTURE",
           raw(with_payload("assistance_plan_adopted",
                            adopted_on=(date.today() + timedelta(days=400)).isoformat()))),
    Broken("an amendment that moves a visit into the future", "OCCURRED_IN_FUTURE",
           raw(amendment(target_event_id=str(VISIT), amended_payload=payload(
               "visit_recorded", visit_date=(date.today() + timedelta(days=3)).isoformat())))),
]  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=[b.sentence for b in BROKEN])
def test_each_contract_failure_has_its_reason_code(case: Broken) -> None:
    uow = intake(case.message, TARGETS)
    assert uow.codes() == [case.code]
    assert uow.rejected[0].reason and uow.rejected[0].message == case.message


SIGNED_ONLY = {"SIGNATURE_MISSING", "SIGNATURE_INVALID", "SOURCE_MISMATCH"}  # test_attestation
# Codes of the batch, not of one message alone (test_intake_batch, test_intake_store).
OF_THE_BATCH = {"EVENT_ID_REUSED", "INTERNAL_ERROR", "STORE_REFUSED"}


def test_every_contract_reason_code_has_a_failing_example() -> None:
    assert {b.code for b in BROKEN} | SIGNED_ONLY | OF_THE_BATCH == set(CONTRACT_REASONS)


def test_a_violation_with_a_code_that_is_not_in_the_contract_cannot_be_raised() -> None:
    with pytest.raises(ValueError):
        ContractViolation("NO_SUCH_CODE", "x")


def test_a_valid_message_parses_into_its_payload_model() -> None:
    parsed = parse_message(encoded(envelope("risk_lead_registered")))
    assert parsed.payload.lead_id == "L1"  # type: ignore[attr-defined]
    assert parsed.facts()["risk_types"] == ["illness"]
    assert parsed.facts()["reported_on"] == "2025-03-24"


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_has_a_valid_message_whose_facts_are_plain_json(
    event_type: str,
) -> None:
    parsed = parse_message(encoded(envelope(event_type)))
    assert isinstance(parsed, ParsedEvent)
    model, _ = EVENT_TYPES[event_type]
    assert isinstance(parsed.payload, model)
    facts = parsed.facts()
    assert json.loads(json.dumps(facts)) == facts
    assert model.model_validate(facts) == parsed.payload


def test_the_envelope_becomes_the_stored_events_who_when_and_where_from() -> None:
    body = envelope("visit_recorded")
    meta = envelope_meta(parse_message(encoded(body)))
    assert meta.as_fields() == {
        "event_id": body["event_id"],
        "event_type": "visit_recorded",
        "schema_version": 1,
        "household_id": HID,
        "occurred_at": "2025-03-24T10:00:00+08:00",
        "recorded_at": "2025-03-24T12:00:00+08:00",
        "source_system": "village_app",
        "actor_id": "cadre-li",
        "actor_role": "village_cadre",
        "attestation": "unverified",
        "import_batch": None,
    }


def test_the_error_detail_names_the_field_that_is_wrong() -> None:
    body = with_payload("member_added", member=member("P2") | {"id_number": "1"})
    with pytest.raises(ContractViolation) as e:
        parse_message(encoded(body))
    assert e.value.detail.startswith("member.id_number:")


def test_a_message_whose_key_is_its_household_and_whose_producer_may_send_it_passes() -> None:
    body = envelope("identification_decided", source_system="county_system")
    parsed, _ = check_message(raw(body), Permissions())
    assert parsed.envelope.event_id == uuid.UUID(body["event_id"])


def test_an_accepted_correction_learns_its_targets_type_and_source() -> None:
    body = with_payload("event_retracted", target_event_id=str(VISIT))
    event = intake(raw(body), TARGETS).last_event(HID)
    assert event.facts["target_event_type"] == "visit_recorded"  # type: ignore[attr-defined]
    assert event.facts["target_source_system"] == "village_app"  # type: ignore[attr-defined]


def test_an_amended_payload_is_validated_and_normalised_by_its_targets_model() -> None:
    visit = payload("visit_recorded", visit_date="2025-03-11")
    uow = intake(raw(amendment(target_event_id=str(VISIT), amended_payload=visit)), TARGETS)
    amended = uow.last_event(HID).facts["amended_payload"]
    assert amended["visit_date"] == "2025-03-11"
    assert amended["findings"]["risks_found"] == []  # the model's default, filled in


# --- payload rules --------------------------------------------------------------------


def test_an_identification_needs_a_category_and_risks_and_a_dismissal_needs_a_reason() -> None:
    base = {"lead_id": "L1", "decided_on": "2025-04-07"}
    with pytest.raises(ValueError, match="category"):
        IdentificationDecided.model_validate(base | {"outcome": "identified"})
    with pytest.raises(ValueError, match="category"):
        IdentificationDecided.model_validate(
            base | {"outcome": "identified", "category": "sudden_hardship"}
        )
    with pytest.raises(ValueError, match="category"):
        IdentificationDecided.model_validate(base | {"outcome": "identified", "risks": ["illness"]})
    with pytest.raises(ValueError, match="reason"):
        IdentificationDecided.model_validate(base | {"outcome": "dismissed"})
    with pytest.raises(ValueError, match="reason"):
        IdentificationDecided.model_validate(
            base | {"outcome": "dismissed", "dismissal_reason": ""}
        )
    IdentificationDecided.model_validate(
        base | {"outcome": "identified", "category": "sudden_hardship", "risks": ["illness"]}
    )
    IdentificationDecided.model_validate(
        base | {"outcome": "dismissed", "dismissal_reason": "above the line"}
    )


def test_a_member_id_number_is_kept_upper_case() -> None:
    m = Member.model_validate(member("P1") | {"id_number": "11010519491231002x"})
    assert m.id_number == "11010519491231002X"


def test_a_member_with_a_wrong_id_check_digit_is_accepted_for_r8_1_to_find() -> None:
    m = Member.model_validate(member("P1") | {"id_number": "110105194912310021"})
    assert m.id_number == "110105194912310021"


@pytest.mark.parametrize("bad", ["11010519491231002", "1101051949123100211", "11010519491231002Y",
                                 "１１０１０５１９４９１２３１００２X"])  # fmt: skip
def test_a_member_id_number_malformed_beyond_use_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="18-character"):
        Member.model_validate(member("P1") | {"id_number": bad})


def test_payload_models_are_frozen() -> None:
    registered_ = HouseholdRegistered.model_validate(payload("household_registered"))
    with pytest.raises(ValueError):
        registered_.village_code = "610326101202"  # type: ignore[misc]


def test_every_event_type_names_a_payload_model_and_a_version() -> None:
    for name, (model, version) in EVENT_TYPES.items():
        assert model.model_json_schema()["properties"], name
        assert version >= 1


def test_a_village_code_in_full_width_digits_is_refused() -> None:
    body = with_payload("household_registered", village_code="６１０３２６１０１２０１")
    assert code_of(encoded(body)) == "PAYLOAD_INVALID"


def test_a_rejection_names_the_event_type_household_and_source_the_envelope_gave() -> None:
    body = with_payload("visit_recorded", mood="happy")
    rejected = intake(raw(body)).rejected[0]
    assert rejected.code == "PAYLOAD_INVALID"
    assert (rejected.event_id, rejected.event_type, rejected.household_id) == (
        UUID(body["event_id"]),
        "visit_recorded",
        HID,
    )
    assert rejected.source_system == "village_app"


def test_a_department_reporting_its_own_fact_passes_the_department_check() -> None:
    body = envelope(
        "department_fact_reported",
        source_system="civil_affairs",
        payload=payload("department_fact_reported", department="civil_affairs"),
    )
    parsed, _ = check_message(raw(body), Permissions())
    assert parsed.payload.department == "civil_affairs"  # type: ignore[attr-defined]
