"""An in-memory intake unit of work: the intake's use case with no database, behaving as the
PostgreSQL one does (positions only move forward, a batch is stored all or nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.domain.household import Household
from services.usecases.intake.batch import IntakeProcessor
from services.usecases.intake.unit_of_work import (
    Accepted,
    IntakeRecord,
    OffsetGap,
    RawMessage,
    Rejection,
    Seen,
    StaleBatch,
)


@dataclass
class FakeIntakeUnitOfWork:
    events: dict[str, list[Any]] = field(default_factory=dict)  # household → its events
    accepted: dict[UUID, Seen] = field(default_factory=dict)
    accepted_messages: list[Accepted] = field(default_factory=list)
    duplicates: list[tuple[UUID, RawMessage]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    positions: dict[tuple[str, int], int] = field(default_factory=dict)
    commits: int = 0
    published: list[int] = field(default_factory=list)
    check_positions: bool = True  # off under TestKafkaBroker, which numbers every record 0
    gaps_allowed: dict[tuple[str, int], int] = field(default_factory=dict)
    _record: IntakeRecord | None = None

    @classmethod
    def holding(
        cls, households: Iterable[Household] = (), accepted: dict[UUID, Seen] | None = None
    ) -> FakeIntakeUnitOfWork:
        """A store that already holds these households (their pending events as stored)."""
        uow = cls(accepted=dict(accepted or {}))
        for h in households:
            uow.events.setdefault(h.household_id, []).extend(h.collect_events())
        return uow

    def seen(self, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
        return {i: self.accepted[i] for i in event_ids if i in self.accepted}

    def households(self, household_ids: Iterable[str]) -> dict[str, Household]:
        return {hid: self.household(hid) for hid in household_ids if hid in self.events}

    def household(self, household_id: str) -> Household:
        """The household as stored: its events replayed (as a load from the store does)."""
        h: Any = None
        for e in self.events[household_id]:
            h = e.mutate(h)
        return h  # type: ignore[no-any-return]

    def record(self, record: IntakeRecord) -> None:
        self._record = record

    def commit(self) -> None:
        record, self._record = self._record, None
        if record is None:
            return
        if self.check_positions:
            stored = {key: self.positions.get(key, 0) for key in record.positions}
            if any(stored[key] > first for key, (first, _) in record.positions.items()):
                raise StaleBatch("a partition of the batch was consumed already")
            gaps = {
                key: (stored[key], first)
                for key, (first, _) in record.positions.items()
                if first > stored[key] and self.gaps_allowed.get(key) != stored[key]
            }
            if gaps:
                raise OffsetGap(gaps)
        for key, (_, after) in record.positions.items():
            self.positions[key] = after
        for h in record.households:
            self.events.setdefault(h.household_id, []).extend(h.collect_events())
        for a in record.accepted:
            self.accepted[a.event_id] = Seen(
                a.household_id, a.event_type, a.source_system, a.value_sha256
            )
        self.accepted_messages += record.accepted
        self.duplicates += record.duplicates
        self.rejected += record.rejected
        self.commits += 1

    def forget(self, household_ids: Iterable[str]) -> None:
        pass  # nothing is kept in memory between batches

    def forget_all(self) -> None:
        pass

    def stored_positions(self, topic: str) -> dict[int, int]:
        return {p: o for (t, p), o in self.positions.items() if t == topic}

    def allow_gaps(self, gaps: dict[tuple[str, int], int]) -> None:
        self.gaps_allowed = dict(gaps)

    def unpublished_rejections(self, limit: int) -> list[dict[str, Any]]:
        rows = [
            {
                "rejection_id": i + 1,
                "reason_code": r.code,
                "reason": r.reason,
                "topic": r.message.topic,
                "partition": r.message.partition,
                "offset": r.message.offset,
                "message_key": r.message.key,
                "message_value": r.message.value,
                "event_id": r.event_id,
                "event_type": r.event_type,
                "household_id": r.household_id,
                "source_system": r.source_system,
                "rejected_at": datetime(2026, 12, 1, tzinfo=UTC),
            }
            for i, r in enumerate(self.rejected)
        ]
        return [r for r in rows if r["rejection_id"] not in self.published][:limit]

    def mark_published(self, rejection_ids: list[int]) -> None:
        self.published.extend(rejection_ids)

    def release_rejections(self, rejection_ids: list[int]) -> None:
        pass  # the fake leases nothing

    def codes(self) -> list[str]:
        return [r.code for r in self.rejected]

    def last_event(self, household_id: str) -> Any:
        return self.events[household_id][-1]


def fake_processor(uow: FakeIntakeUnitOfWork | None = None, **kw: Any) -> IntakeProcessor:
    kw.setdefault("historical_imports", frozenset({"*"}))
    return IntakeProcessor(uow or FakeIntakeUnitOfWork(), **kw)


def outcomes(uow: FakeIntakeUnitOfWork, raw: list[RawMessage]) -> list[str]:
    """What became of each message: accepted, duplicate, or its reason code."""
    got: dict[tuple[int, int], str] = {}
    for a in uow.accepted_messages:
        got[(a.message.partition, a.message.offset)] = "accepted"
    for _, m in uow.duplicates:
        got[(m.partition, m.offset)] = "duplicate"
    for r in uow.rejected:
        got[(r.message.partition, r.message.offset)] = r.code
    return [got[(m.partition, m.offset)] for m in raw]


def process_in_memory(raw: list[RawMessage], **kw: Any) -> tuple[FakeIntakeUnitOfWork, list[str]]:
    """The messages through the intake in one batch, in memory; and each one's outcome."""
    uow = FakeIntakeUnitOfWork()
    kw.setdefault("historical_imports", frozenset({"*"}))
    IntakeProcessor(uow, **kw).process(raw)
    return uow, outcomes(uow, raw)


def simulated_in_memory(seed: int, rate: float) -> FakeIntakeUnitOfWork:
    """A small simulated county through the intake in memory (its households' events)."""
    import json

    from services.devtools.simulate.county import build_county
    from services.devtools.simulate.generator import generate

    simulated = list(generate(build_county("small", seed), seed, rate, []))
    raw = [
        RawMessage("t", 0, i, key.encode(), json.dumps(env).encode())
        for i, (key, env) in enumerate(simulated)
    ]
    return process_in_memory(raw)[0]
