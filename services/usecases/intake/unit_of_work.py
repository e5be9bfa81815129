"""The intake's vocabulary — the Kafka record as it arrived, what a batch decided — and the
unit of work it is stored through (services.adapters.intake_store on PostgreSQL; an
in-memory fake in the unit tests)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from services.domain.household import Household


class StaleBatch(Exception):
    """Some message of the batch was already consumed (a rebalance or a redelivery)."""


class OffsetGap(Exception):
    """A partition of the batch starts after where its stored position stands: the messages
    between were read and lost by the client, or the log holds none there (transaction
    markers, compaction). Nothing is stored; the worker reads again from the stored position
    and lets the same gap through only when that reading starts after it too."""

    def __init__(self, gaps: dict[tuple[str, int], tuple[int, int]]) -> None:
        super().__init__(", ".join(f"{t}[{p}] {a}..{b - 1}" for (t, p), (a, b) in gaps.items()))
        self.gaps = gaps  # (topic, partition) → (stored next offset, the batch's first)


class RawMessage(NamedTuple):
    """A Kafka record as it arrived: the intake keeps its bytes whatever happens.
    (Immutable; a named tuple, made per record at a third of a frozen dataclass's cost.)"""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True, slots=True)
class Rejection:
    message: RawMessage
    code: str
    reason: str
    event_id: UUID | None = None
    event_type: str | None = None
    household_id: str | None = None
    source_system: str | None = None  # whose rejected topic it goes to (None: unattributed)


class Accepted(NamedTuple):
    """What the intake remembers of an accepted event (for repeats and corrections).
    (Immutable; a named tuple: made per accepted message, at a third of a frozen
    dataclass's cost.)"""

    event_id: UUID
    household_id: str
    event_type: str
    source_system: str
    message: RawMessage
    value_sha256: bytes | None = None


class Seen(NamedTuple):
    """An event id the intake accepted before: whose it was, and a digest of its bytes
    (None for the rows written before digests were kept). (A named tuple, as `Accepted`.)"""

    household_id: str
    event_type: str
    source_system: str
    value_sha256: bytes | None


@dataclass(slots=True)
class IntakeRecord:
    """What one batch decided: the households it changed, the messages it accepted,
    absorbed and rejected, and the positions it consumed — written in one transaction."""

    positions: dict[tuple[str, int], tuple[int, int]] = field(default_factory=dict)
    worker: str | None = None
    households: list[Household] = field(default_factory=list)
    accepted: list[Accepted] = field(default_factory=list)
    duplicates: list[tuple[UUID, RawMessage]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    def consumed(self, m: RawMessage) -> None:
        """Note a message as consumed: the batch owns [first, last] of its partition."""
        key = (m.topic, m.partition)
        first, _ = self.positions.get(key, (m.offset, m.offset))
        self.positions[key] = (min(first, m.offset), m.offset + 1)


class IntakeUnitOfWork(Protocol):
    """What a batch asks of the store, once per step: which of its event ids were accepted
    before, its households as they stand, then to store what it decided, all or nothing."""

    def seen(self, event_ids: Iterable[UUID]) -> dict[UUID, Seen]:
        """Of these event ids, those accepted before."""

    def households(self, household_ids: Iterable[str]) -> dict[str, Household]:
        """These households as they stand (the registered ones), for this batch to decide on."""

    def record(self, record: IntakeRecord) -> None:
        """What the batch decided, to be stored by `commit`."""

    def commit(self) -> None:
        """Store what was recorded in one transaction (StaleBatch if another worker
        consumed the same messages, OffsetGap if a partition starts after its stored
        position and no gap from there is allowed); after a failure nothing is stored, and the
        households this unit handed out are forgotten."""

    def forget(self, household_ids: Iterable[str]) -> None:
        """Drop these households from memory: their state there may be wrong."""

    def forget_all(self) -> None:
        """Drop every household from memory (after a rebalance: others may write them)."""

    def stored_positions(self, topic: str) -> dict[int, int]:
        """partition → the next offset to read, as stored with the events."""

    def allow_gaps(self, gaps: dict[tuple[str, int], int]) -> None:
        """Let the next commit's batch start after these stored positions ((topic,
        partition) → stored offset): a reading from there found no messages before it."""

    def unpublished_rejections(self, limit: int) -> list[dict[str, Any]]:
        """The rejected topic's outbox: stored rejections not yet published, oldest first,
        leased to the caller (no other drain gets them until published or released)."""

    def mark_published(self, rejection_ids: list[int]) -> None:
        """These rejections are on the rejected topic."""

    def release_rejections(self, rejection_ids: list[int]) -> None:
        """These leased rejections were not published: others may take them."""
