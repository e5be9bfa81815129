"""One batch of intake messages: parse, check the producer, absorb repeats, resolve
corrections, decide on the aggregates, save once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from events.catalog import (
    EVENT_TYPES,
    ContractViolation,
    ParsedEvent,
    parse_event,
    validate_payload,
)
from services.attestation import UNVERIFIED, ProducerKeys
from services.domain.corrections import CORRECTIONS
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.domain.rules import LifecycleRules
from services.intake.cache import HouseholdCache
from services.permissions import Permissions
from services.store import Accepted, EventStore, IntakeWrite, RawMessage, Rejection


@dataclass(slots=True)
class BatchOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)


def envelope_meta(parsed: ParsedEvent, attestation: str = UNVERIFIED) -> dict[str, Any]:
    """The envelope's fields as every stored domain event carries them."""
    e = parsed.envelope
    return {
        "event_id": str(e.event_id),
        "event_type": e.event_type,
        "schema_version": e.schema_version,
        "household_id": e.household_id,
        "occurred_at": e.occurred_at.isoformat(),
        "recorded_at": e.recorded_at.isoformat(),
        "source_system": e.source_system,
        "actor_id": e.actor.person_id,
        "actor_role": e.actor.role.value,
        "attestation": attestation,
    }


def check_message(
    m: RawMessage, permissions: Permissions, keys: ProducerKeys | None = None
) -> tuple[ParsedEvent, str]:
    """Parse one message, check its key, its producer's signature and permissions; return it
    with its attestation, or raise ContractViolation."""
    if m.value is None:
        raise ContractViolation("NOT_JSON", "the message has no value (a tombstone)")
    producer = keys.attest(m.value, m.headers) if keys else None
    parsed = parse_event(m.value)
    env = parsed.envelope
    if producer is not None and producer != env.source_system:
        raise ContractViolation(
            "SOURCE_MISMATCH", f"signed by {producer}, claims to be {env.source_system}"
        )
    key = m.key.decode("utf-8", "replace") if m.key is not None else None
    if key != env.household_id:
        # The key decides the partition, so it must be the household: that keeps its order.
        raise ContractViolation(
            "KEY_MISMATCH", f"the message key {key!r} must equal household_id {env.household_id!r}"
        )
    refusal = permissions.refusal(env.source_system, env.event_type)
    if refusal:
        raise ContractViolation(*refusal)
    return parsed, f"signature:{producer}" if producer else UNVERIFIED


def resolve_correction(
    parsed: ParsedEvent, facts: dict[str, Any], targets: dict[UUID, tuple[str, str, str]]
) -> dict[str, Any]:
    """The correction's facts with what its target is; the amended payload validated."""
    target = targets.get(UUID(facts["target_event_id"]))
    if target is None or target[0] != parsed.envelope.household_id:
        raise ContractViolation(
            "CORRECTION_TARGET_UNKNOWN",
            f"no accepted event {facts['target_event_id']} of {parsed.envelope.household_id}",
        )
    _, target_type, target_source = target
    if parsed.envelope.event_type == "event_amended":
        model, _ = EVENT_TYPES[target_type]
        amended = validate_payload(model, facts["amended_payload"]).model_dump(mode="json")
        facts = {**facts, "amended_payload": amended}
    return {**facts, "target_event_type": target_type, "target_source_system": target_source}


class IntakeProcessor:
    """Turns a batch of raw messages into one transaction of the event store."""

    def __init__(
        self,
        store: EventStore,
        cache_size: int,
        rules: LifecycleRules | None = None,
        permissions: Permissions | None = None,
        keys: ProducerKeys | None = None,
    ) -> None:
        self.store = store
        self.cache = HouseholdCache(cache_size)
        self.rules = rules or LifecycleRules()
        self.permissions = permissions or Permissions()
        self.keys = keys

    def process(self, messages: list[RawMessage]) -> BatchOutcome:
        write = IntakeWrite()
        parsed: list[tuple[RawMessage, ParsedEvent, str]] = []
        for m in messages:
            write.consumed(m)
            try:
                parsed.append((m, *check_message(m, self.permissions, self.keys)))
            except ContractViolation as e:
                write.rejected.append(Rejection(m, e.code, e.detail))

        # One query for repeats and correction targets alike: both are accepted event ids.
        asked = [p.envelope.event_id for _, p, _ in parsed] + [
            UUID(str(p.payload.target_event_id))  # type: ignore[attr-defined]
            for _, p, _ in parsed
            if p.envelope.event_type in CORRECTIONS
        ]
        seen = self.store.accepted_events(asked)
        households, missing = self.cache.take({p.envelope.household_id for _, p, _ in parsed})
        households.update(self.store.load_households(missing))
        touched: dict[str, Household] = {}
        for m, p, attestation in parsed:
            env = p.envelope
            if env.event_id in seen:
                write.duplicates.append((env.event_id, m))
                continue
            try:
                touched[env.household_id] = self._decide(households, p, seen, attestation)
            except (LifecycleViolation, ContractViolation) as e:
                write.rejected.append(
                    Rejection(m, e.code, e.detail, env.event_id, env.event_type, env.household_id)
                )
                continue
            seen[env.event_id] = (env.household_id, env.event_type, env.source_system)
            write.accepted.append(
                Accepted(env.event_id, env.household_id, env.event_type, env.source_system, m)
            )

        try:
            self.store.save_batch(touched.values(), intake=write)
        except BaseException:
            # The cached aggregates hold events that were not stored: forget them.
            self.cache.evict(touched)
            raise
        self.cache.put(households.values())
        return BatchOutcome(
            accepted=len(write.accepted),
            duplicates=len(write.duplicates),
            rejected=Counter(r.code for r in write.rejected),
        )

    def _decide(
        self,
        households: dict[str, Household],
        p: ParsedEvent,
        targets: dict[UUID, tuple[str, str, str]],
        attestation: str = UNVERIFIED,
    ) -> Household:
        meta, facts = envelope_meta(p, attestation), p.facts()
        if p.envelope.event_type in CORRECTIONS:
            facts = resolve_correction(p, facts, targets)
        h = households.get(p.envelope.household_id)
        if h is None:
            if p.envelope.event_type != "household_registered":
                raise LifecycleViolation(
                    "HOUSEHOLD_NOT_REGISTERED", f"{p.envelope.household_id} is not registered"
                )
            h = households[p.envelope.household_id] = Household.register(meta, facts)
        else:
            h.decide(meta, facts, self.rules)
        return h
