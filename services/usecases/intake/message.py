"""One message at the intake: its checks (the edge, the key, the producer's signature and
permissions), what a refused one is recorded as, and how a correction finds its target."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import cast
from uuid import UUID

import orjson

from events.catalog import EVENT_TYPES, ContractViolation, ParsedEvent, validate_payload
from events.codes import Department
from events.corrections import EventAmended, EventRetracted
from services.adapters.attestation import UNVERIFIED, ProducerKeys
from services.domain.household import CorrectionOf, Meta
from services.domain.permissions import Permissions
from services.usecases.intake.edge import (
    EdgeLimits,
    check_not_in_future,
    field_names,
    parse_message,
)
from services.usecases.intake.unit_of_work import RawMessage, Rejection, Seen


def envelope_meta(parsed: ParsedEvent, attestation: str = UNVERIFIED) -> Meta:
    """The envelope's fields as every stored domain event carries them."""
    e = parsed.envelope
    actor = e.actor
    return Meta(  # (positional: a named tuple's keywords cost a third of making it)
        str(e.event_id),
        e.event_type,
        e.schema_version,
        e.household_id,
        e.occurred_at.isoformat(),
        e.recorded_at.isoformat(),
        e.source_system,
        actor.person_id,
        actor.role._value_,  # (the enum's `value` is a slow descriptor)
        attestation,
        e.import_batch,
    )


def check_message(
    m: RawMessage,
    permissions: Permissions,
    keys: ProducerKeys | None = None,
    limits: EdgeLimits | None = None,
    now: datetime | None = None,
    historical_imports: frozenset[str] = frozenset(),
) -> tuple[ParsedEvent, str]:
    """Parse one message, check its key, its producer's signature and permissions; return it
    with its attestation, or raise ContractViolation."""
    if m.value is None:
        raise ContractViolation("NOT_JSON", "the message has no value (a tombstone)")
    limits = limits or EdgeLimits()
    if len(m.value) > limits.max_message_bytes:  # before a signature is computed over it
        raise ContractViolation(
            "MESSAGE_TOO_LARGE",
            f"the message has {len(m.value)} bytes, more than {limits.max_message_bytes}",
        )
    producer = keys.attest(m.value, m.headers) if keys else None
    parsed = parse_message(m.value, limits, now or datetime.now(UTC))
    env = parsed.envelope
    if producer is not None and producer != env.source_system:
        raise ContractViolation(
            "SOURCE_MISMATCH", f"signed by {producer}, claims to be {env.source_system}"
        )
    key = m.key.decode("utf-8", "replace") if m.key is not None else None
    if key != env.household_id:
        # The key decides the partition, so it must be the household: that keeps its order.
        raise ContractViolation(
            "KEY_MISMATCH",
            f"the message key must equal household_id {env.household_id}; it is "
            + ("missing" if key is None else f"'{key}'"),
        )
    refusal = permissions.refusal(env.source_system, env.event_type)
    if refusal:
        raise ContractViolation(*refusal)
    check_department(parsed)
    if env.import_batch is not None and not (
        "*" in historical_imports or env.import_batch in historical_imports
    ):
        raise ContractViolation(
            "HISTORICAL_IMPORT_NOT_PERMITTED",
            f"import batch {env.import_batch} is not a declared historical import",
        )
    return parsed, f"signature:{producer}" if producer else UNVERIFIED


DEPARTMENTS = frozenset(d.value for d in Department)


def check_department(parsed: ParsedEvent) -> None:
    """A department's system speaks only for itself: the department a payload names as its
    author (who pushed the alert, reported the fact, answered the comparison) must be the
    source that sends it. The system's word, not the payload's."""
    if "department" not in field_names(type(parsed.payload)):
        return  # (a missing attribute costs pydantic an exception: asked of the class)
    source = parsed.envelope.source_system
    named = getattr(parsed.payload, "department", None)
    if named is not None and source in DEPARTMENTS and named != source:
        raise ContractViolation(
            "DEPARTMENT_MISMATCH",
            f"{source} sent a payload whose department is {named}; a department reports "
            "only as itself",
        )


def readable_identity(value: bytes | None) -> tuple[UUID | None, str | None, str | None]:
    """The event id, type and household of a refused message, as far as they can be read
    (so that its producer can match the rejection to what it sent)."""
    try:
        data = orjson.loads(value or b"")
    except Exception:  # whatever it is, it has no readable identity
        return None, None, None
    if not isinstance(data, dict):
        return None, None, None

    def text(name: str) -> str | None:
        v = data.get(name)
        return v[:64] if isinstance(v, str) else None

    try:
        event_id = UUID(str(data.get("event_id")))
    except ValueError:
        event_id = None
    return event_id, text("event_type"), text("household_id")


def rejection(m: RawMessage, code: str, detail: str, source: str | None = None) -> Rejection:
    return Rejection(m, code, detail, *readable_identity(m.value), source)


def attributed(m: RawMessage, keys: ProducerKeys | None, permissions: Permissions) -> str | None:
    """Whose rejection it is, so that it goes back to that producer only: the producer
    whose key verifies the bytes; with no keys configured, the known source the envelope
    names (its word: configure producer keys for rejections Kafka's ACLs can rely on);
    otherwise nobody's (the unattributed topic, for the operators)."""
    if keys is not None:
        try:
            return keys.attest(m.value or b"", m.headers)
        except ContractViolation:
            return None
    try:
        claimed = orjson.loads(m.value or b"").get("source_system")
    except Exception:  # not JSON, not an object: nobody's
        return None
    return claimed if isinstance(claimed, str) and claimed in permissions.matrix else None


def digest(value: bytes | None) -> bytes:
    return hashlib.sha256(value or b"").digest()


def resolve_correction(
    parsed: ParsedEvent, targets: dict[UUID, Seen], limits: EdgeLimits, now: datetime
) -> CorrectionOf:
    """The correction with what its target is; an amended payload validated by the
    target type's model (and no later than the clock allows)."""
    correction = cast(EventRetracted | EventAmended, parsed.payload)
    target = targets.get(correction.target_event_id)
    if target is None or target.household_id != parsed.envelope.household_id:
        raise ContractViolation(
            "CORRECTION_TARGET_UNKNOWN",
            f"no accepted event {correction.target_event_id} of {parsed.envelope.household_id}",
        )
    amended = None
    if isinstance(correction, EventAmended):
        model, _ = EVENT_TYPES[target.event_type]
        amended_model = validate_payload(model, correction.amended_payload)
        check_not_in_future(None, amended_model, limits, now)
        amended = amended_model.model_dump(mode="json")
    return CorrectionOf(correction, target.event_type, target.source_system, amended)
