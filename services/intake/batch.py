"""One batch of intake messages: parse, absorb repeats, decide on the aggregates, save once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from events.catalog import ContractViolation, ParsedEvent, parse_event
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.intake.cache import HouseholdCache
from services.store import EventStore, IntakeWrite, RawMessage, Rejection


@dataclass(slots=True)
class BatchOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)


def envelope_meta(parsed: ParsedEvent) -> dict[str, Any]:
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
    }


def _parse(m: RawMessage) -> ParsedEvent:
    if m.value is None:
        raise ContractViolation("NOT_JSON", "the message has no value (a tombstone)")
    parsed = parse_event(m.value)
    key = m.key.decode("utf-8", "replace") if m.key is not None else None
    if key != parsed.envelope.household_id:
        # The key decides the partition, so it must be the household: that keeps its order.
        raise ContractViolation(
            "KEY_MISMATCH",
            f"the message key {key!r} must equal household_id {parsed.envelope.household_id!r}",
        )
    return parsed


class IntakeProcessor:
    """Turns a batch of raw messages into one transaction of the event store."""

    def __init__(self, store: EventStore, cache_size: int) -> None:
        self.store = store
        self.cache = HouseholdCache(cache_size)

    def process(self, messages: list[RawMessage]) -> BatchOutcome:
        write = IntakeWrite()
        outcome = BatchOutcome()
        parsed: list[tuple[RawMessage, ParsedEvent]] = []
        for m in messages:
            write.consumed(m)
            try:
                parsed.append((m, _parse(m)))
            except ContractViolation as e:
                write.rejected.append(Rejection(m, e.code, e.detail))

        known = self.store.known_event_ids([p.envelope.event_id for _, p in parsed])
        households, missing = self.cache.take({p.envelope.household_id for _, p in parsed})
        households.update(self.store.load_households(missing))
        touched: dict[str, Household] = {}
        for m, p in parsed:
            env = p.envelope
            if env.event_id in known:
                write.duplicates.append((env.event_id, m))
                continue
            try:
                touched[env.household_id] = self._decide(households, p)
            except LifecycleViolation as e:
                write.rejected.append(
                    Rejection(m, e.code, e.detail, env.event_id, env.event_type, env.household_id)
                )
                continue
            known.add(env.event_id)
            write.accepted.append((env.event_id, env.household_id, env.event_type, m))

        try:
            self.store.save(*touched.values(), intake=write)
        except BaseException:
            # The cached aggregates hold events that were not stored: forget them.
            self.cache.evict(touched)
            raise
        self.cache.put(households.values())
        outcome.accepted = len(write.accepted)
        outcome.duplicates = len(write.duplicates)
        outcome.rejected.update(r.code for r in write.rejected)
        return outcome

    @staticmethod
    def _decide(households: dict[str, Household], p: ParsedEvent) -> Household:
        meta, facts = envelope_meta(p), p.facts()
        h = households.get(p.envelope.household_id)
        if h is None:
            if p.envelope.event_type != "household_registered":
                raise LifecycleViolation(
                    "HOUSEHOLD_NOT_REGISTERED", f"{p.envelope.household_id} is not registered"
                )
            h = households[p.envelope.household_id] = Household.register(meta, facts)
        else:
            h.decide(meta, facts)
        return h
