"""Attribution from the system: the source is the producer whose key signed the bytes."""

import json

import pytest

from events.catalog import ContractViolation
from services.adapters.attestation import SIGNATURE_HEADER, ProducerKeyring, ProducerKeys
from services.devtools.village import village_messages
from services.domain.permissions import Permissions
from services.usecases.intake.message import check_message
from services.usecases.intake.unit_of_work import RawMessage

RING = ProducerKeyring(["village_app", "civil_affairs", "medical_insurance"])
KEYS = ProducerKeys(RING.public_keys())
MESSAGES = [m for m in village_messages("S1") if m.expect == "accepted"]

ANY = frozenset({"*"})  # the demo village is a declared historical import


def alert() -> bytes:
    return next(m.value for m in MESSAGES if b"department_risk_alert_pushed" in m.value)


def message(value: bytes, headers: list[tuple[str, bytes]]) -> RawMessage:
    key = json.loads(value)["household_id"].encode()
    return RawMessage("t", 0, 0, key, value, tuple(headers))


def code_of(m: RawMessage) -> str:
    with pytest.raises(ContractViolation) as e:
        check_message(m, Permissions(), KEYS, historical_imports=ANY)
    return e.value.code


def test_a_message_signed_by_its_source_is_attested_as_that_source() -> None:
    value = alert()
    _, attestation = check_message(
        message(value, RING.headers(value)), Permissions(), KEYS, historical_imports=ANY
    )
    assert attestation == "signature:medical_insurance"


def test_a_producer_cannot_claim_to_be_another() -> None:
    value = alert()  # claims medical_insurance
    assert code_of(message(value, RING.headers(value, "civil_affairs"))) == "SOURCE_MISMATCH"


def test_unsigned_tampered_and_unknown_signers_are_refused() -> None:
    value = alert()
    assert code_of(message(value, [])) == "SIGNATURE_MISSING"
    edited = value.replace(b"illness", b"housing")
    assert code_of(message(edited, RING.headers(value))) == "SIGNATURE_INVALID"
    garbled = [(k, b"!!" if k == SIGNATURE_HEADER else v) for k, v in RING.headers(value)]
    assert code_of(message(value, garbled)) == "SIGNATURE_INVALID"
    stranger = ProducerKeyring(["water"]).headers(value, "water")
    assert code_of(message(value, stranger)) == "SOURCE_UNKNOWN"


def test_without_producer_keys_the_source_is_recorded_as_unverified() -> None:
    value = alert()
    _, attestation = check_message(message(value, []), Permissions(), historical_imports=ANY)
    assert attestation == "unverified"
