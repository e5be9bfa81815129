"""One batch of intake messages: parse, check the producer, absorb repeats, resolve
corrections, decide on the aggregates, store once — through the intake's unit of work.

No message can fail the batch: whatever goes wrong with one message makes it a rejection
with a reason code and its bytes. If the store refuses the batch's data, the batch is
split until the message it refuses is found, and that one is refused alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
import psycopg.errors
from eventsourcing import persistence

from events.catalog import ContractViolation, ParsedEvent
from services.adapters.attestation import UNVERIFIED, ProducerKeys
from services.domain.corrections import CORRECTIONS
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.domain.permissions import Permissions
from services.domain.registry import decide
from services.domain.rules import LifecycleRules
from services.usecases.intake.edge import EdgeLimits
from services.usecases.intake.message import (
    attributed,
    check_message,
    digest,
    envelope_meta,
    rejection,
    resolve_correction,
)
from services.usecases.intake.unit_of_work import (
    Accepted,
    IntakeRecord,
    IntakeUnitOfWork,
    RawMessage,
    Rejection,
    Seen,
)

log = logging.getLogger("dixian.intake")

# What a message's data can make the store refuse; anything else (a lost connection, a
# missing table, a concurrent writer) is the system's trouble, and the batch is retried.
# (eventsourcing wraps psycopg's errors in its own, keeping psycopg's as the cause.)
MESSAGE_CAUSED: tuple[type[BaseException], ...] = (
    persistence.DataError,
    psycopg.DataError,
    psycopg.errors.ProgramLimitExceeded,
    psycopg.errors.NotNullViolation,
    psycopg.errors.CheckViolation,
    UnicodeError,
    RecursionError,
    TypeError,
    ValueError,
)


def message_caused(error: BaseException) -> bool:
    """Whether the error, or one it was raised from, is one a message's data can cause."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, MESSAGE_CAUSED):
            return True
        seen = seen.__cause__
    return False


def root_cause(error: BaseException) -> BaseException:
    """The first error of the chain (what the database said, not the library's wrapping)."""
    while error.__cause__ is not None:
        error = error.__cause__
    return error


@dataclass(slots=True)
class BatchOutcome:
    accepted: int = 0
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    split: int = 0  # how many times the batch was split to isolate a message
    # (outcome, reason code, source system) → messages: what the metrics count
    by_source: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def __add__(self, other: BatchOutcome) -> BatchOutcome:
        return BatchOutcome(
            self.accepted + other.accepted,
            self.duplicates + other.duplicates,
            self.rejected + other.rejected,
            self.split + other.split,
            self.by_source + other.by_source,
        )

    @classmethod
    def of(cls, record: IntakeRecord) -> BatchOutcome:
        return cls(
            accepted=len(record.accepted),
            duplicates=len(record.duplicates),
            rejected=Counter(r.code for r in record.rejected),
            by_source=Counter(
                [("accepted", "", a.source_system) for a in record.accepted]
                + [("duplicate", "", "") for _ in record.duplicates]
                + [("rejected", r.code, r.source_system or "") for r in record.rejected]
            ),
        )


def _whose(attestation: str, source_system: str) -> str:
    """The verified producer, or (no keys configured) the source the envelope names — which
    passed the permissions, so it is a known one."""
    return attestation.removeprefix("signature:") if attestation != UNVERIFIED else source_system


class _StoreRefused(Exception):
    """The store refused the batch's data (not the connection, not a concurrent writer)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.error = error


class _Unforeseen(Exception):
    """Deciding one message failed in a way nobody foresaw: the batch is decided again
    without it (its household's state in memory may be half-changed)."""

    def __init__(self, message: RawMessage, household_id: str, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.message, self.household_id, self.error = message, household_id, error


class IntakeProcessor:
    """Turns a batch of raw messages into one transaction of the event store."""

    def __init__(
        self,
        uow: IntakeUnitOfWork,
        rules: LifecycleRules | None = None,
        permissions: Permissions | None = None,
        keys: ProducerKeys | None = None,
        limits: EdgeLimits | None = None,
        clock: Callable[[], datetime] | None = None,
        worker: str | None = None,
        historical_imports: frozenset[str] = frozenset(),
    ) -> None:
        self.uow = uow
        self.worker = worker
        self.historical_imports = historical_imports
        self.rules = rules or LifecycleRules()
        self.permissions = permissions or Permissions()
        self.keys = keys
        self.limits = limits or EdgeLimits()
        self.clock = clock or (lambda: datetime.now(UTC))

    def process(self, messages: list[RawMessage]) -> BatchOutcome:
        """Store the batch; if the store refuses its data, split it until the message it
        refuses is found, refuse that one, and store the rest."""
        try:
            return self._process_deciding(messages)
        except _StoreRefused as refused:
            e = root_cause(refused.error)
            if len(messages) == 1:
                log.error("the store refused one message (%s); it is rejected", type(e).__name__)
                return self._refuse(messages[0], "STORE_REFUSED", e)
            log.error(
                "the store refused a batch of %d messages (%s: %s); splitting it",
                len(messages),
                type(e).__name__,
                e,
            )
            mid = len(messages) // 2
            first = self.process(messages[:mid])
            outcome = first + self.process(messages[mid:])
            outcome.split += 1
            return outcome

    def _process_deciding(self, messages: list[RawMessage]) -> BatchOutcome:
        unforeseen: dict[tuple[str, int, int], str] = {}
        while True:
            try:
                return self._process(messages, unforeseen)
            except _Unforeseen as e:
                log.exception("deciding a message failed unforeseen; it is rejected")
                m = e.message
                unforeseen[(m.topic, m.partition, m.offset)] = str(e)

    def _source(self, m: RawMessage) -> str | None:
        try:
            return attributed(m, self.keys, self.permissions)
        except Exception:  # whose it is must never fail the batch either
            return None

    def _check(self, m: RawMessage, now: datetime) -> tuple[ParsedEvent, str]:
        return check_message(
            m, self.permissions, self.keys, self.limits, now, self.historical_imports
        )

    def _refuse(self, m: RawMessage, code: str, error: BaseException) -> BatchOutcome:
        record = IntakeRecord(worker=self.worker)
        record.consumed(m)
        detail = f"{type(error).__name__}: {error}"[:2000]
        record.rejected.append(rejection(m, code, detail, self._source(m)))
        self.uow.record(record)
        self.uow.commit()
        return BatchOutcome.of(record)

    def _process(
        self, messages: list[RawMessage], unforeseen: dict[tuple[str, int, int], str]
    ) -> BatchOutcome:
        now = self.clock()  # the batch's receipt: one clock reading for all its messages
        write = IntakeRecord(worker=self.worker)
        parsed: list[tuple[RawMessage, ParsedEvent, str]] = []
        for m in messages:
            write.consumed(m)
            try:
                parsed.append((m, *self._check(m, now)))
            except ContractViolation as e:
                write.rejected.append(rejection(m, e.code, e.detail, self._source(m)))
            except Exception as e:  # one message never fails the batch
                log.exception("checking a message failed unforeseen; it is rejected")
                detail = f"{type(e).__name__}: {e}"
                write.rejected.append(rejection(m, "INTERNAL_ERROR", detail, self._source(m)))

        # One query for repeats and correction targets alike: both are accepted event ids.
        asked, targets, ids = [], [], set()
        for _, p, _ in parsed:
            env = p.envelope
            asked.append(env.event_id)
            ids.add(env.household_id)
            if env.event_type in CORRECTIONS:
                targets.append(UUID(str(p.payload.target_event_id)))  # type: ignore[attr-defined]
        seen = self.uow.seen(asked + targets)
        households = self.uow.households(ids)
        touched: dict[str, Household] = {}
        try:
            for m, p, attestation in parsed:
                self._one(m, p, attestation, now, seen, households, touched, write, unforeseen)
        except _Unforeseen as e:
            self.uow.forget([*touched, e.household_id])  # their state in memory is suspect
            raise
        write.households = list(touched.values())
        self.uow.record(write)
        try:
            self.uow.commit()
        except BaseException as e:
            if message_caused(e):
                raise _StoreRefused(e) from e
            raise
        return BatchOutcome.of(write)

    def _one(
        self,
        m: RawMessage,
        p: ParsedEvent,
        attestation: str,
        now: datetime,
        seen: dict[UUID, Seen],
        households: dict[str, Household],
        touched: dict[str, Household],
        write: IntakeRecord,
        unforeseen: dict[tuple[str, int, int], str],
    ) -> None:
        env = p.envelope
        where = (m.topic, m.partition, m.offset)
        if where in unforeseen:
            write.rejected.append(
                Rejection(
                    m,
                    "INTERNAL_ERROR",
                    unforeseen[where],
                    env.event_id,
                    env.event_type,
                    env.household_id,
                    _whose(attestation, env.source_system),
                )
            )
            return
        sha = digest(m.value)
        prior = seen.get(env.event_id)
        if prior is not None:
            if prior.household_id == env.household_id and prior.value_sha256 in (None, sha):
                write.duplicates.append((env.event_id, m))  # the same message again
            else:
                write.rejected.append(
                    Rejection(
                        m,
                        "EVENT_ID_REUSED",
                        f"event id {env.event_id} was accepted before with other content"
                        + (
                            f" (for household {prior.household_id})"
                            if prior.household_id != env.household_id
                            else ""
                        ),
                        env.event_id,
                        env.event_type,
                        env.household_id,
                        _whose(attestation, env.source_system),
                    )
                )
            return
        try:
            touched[env.household_id] = self._decide(households, p, seen, attestation, now)
        except (LifecycleViolation, ContractViolation) as e:
            write.rejected.append(
                Rejection(
                    m,
                    e.code,
                    e.detail,
                    env.event_id,
                    env.event_type,
                    env.household_id,
                    _whose(attestation, env.source_system),
                )
            )
            return
        except Exception as e:  # decided again without it
            raise _Unforeseen(m, env.household_id, e) from e
        seen[env.event_id] = Seen(env.household_id, env.event_type, env.source_system, sha)
        write.accepted.append(
            Accepted(env.event_id, env.household_id, env.event_type, env.source_system, m, sha)
        )

    def _decide(
        self,
        households: dict[str, Household],
        p: ParsedEvent,
        targets: dict[UUID, Seen],
        attestation: str = UNVERIFIED,
        now: datetime | None = None,
    ) -> Household:
        meta = envelope_meta(p, attestation)
        payload: Any = p.payload
        if p.envelope.event_type in CORRECTIONS:
            payload = resolve_correction(p, targets, self.limits, now or self.clock())
        h = decide(households.get(meta.household_id), payload, meta, self.rules)
        households[meta.household_id] = h
        return h
