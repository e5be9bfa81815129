"""A household's history as the checks read it (built by compliance.digest): visits, cases,
measures, incomes, marks, the register of relatives. Dates are the world's dates from the
payloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

NO_LABOUR = frozenset({"lost", "none"})


STORED_FIELDS = (  # what the checks read of a stored event, in the slots' order
    "event_id",
    "event_type",
    "household_id",
    "occurred_at",
    "recorded_at",
    "actor_id",
    "actor_role",
    "facts",
)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """A stored household event with what the checks read of it (cheaper than the domain
    event, services.domain.events: a sweep reads a county's every event)."""

    event_id: str
    event_type: str
    household_id: str
    occurred_at: str
    recorded_at: str
    actor_id: str
    actor_role: str
    facts: dict[str, Any]
    stored_at: str = ""  # when the intake received it (ISO); empty: as claimed
    import_batch: str | None = None  # a declared historical import's id

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RecordedEvent:
        stamp = state.get("timestamp")
        return cls(
            *(state[name] for name in STORED_FIELDS),
            stored_at=stamp.get("_data_", "") if isinstance(stamp, dict) else "",
            import_batch=state.get("import_batch"),
        )


def day(value: str) -> date:
    return date.fromisoformat(value[:10])


@dataclass(slots=True)
class Visit:
    """A visit or a screening."""

    kind: str  # visit | screening
    on: date
    by: str
    recorded_on: date  # when the system knew of it (its receipt; an import's own record)
    risks: tuple[str, ...]
    notes: str
    event_id: str
    income_estimated: bool = False  # the visitor estimated income: a check of the criteria
    claimed_on: date | None = None  # the day the producer says it recorded the visit
    income_estimate: Decimal | None = None  # per person and year, yuan, as estimated


@dataclass(slots=True)
class Notice:
    notice_id: str
    posted_on: date
    events: list[str]  # posted, then closed
    closed_on: date | None = None

    @property
    def days(self) -> int | None:
        """How long it ran (closed_on - posted_on), once closed."""
        return None if self.closed_on is None else (self.closed_on - self.posted_on).days


@dataclass(slots=True)
class Case:
    """An identification (case id = lead id) or an elimination."""

    case_id: str
    kind: str
    opened_on: date
    event_id: str
    channel: str = ""
    alert_id: str | None = None
    income: Decimal | None = None  # at the proposal or the decision
    notices: list[Notice] = field(default_factory=list)
    decided_on: date | None = None
    outcome: str | None = None  # identified | dismissed | eliminated
    decision_event: str | None = None
    # (person, event id, day): who acted on the case, in which event, on which day
    acted: list[tuple[str, str, date]] = field(default_factory=list)
    # what a step of the case was recorded as irregular (code, detail, event id): a
    # township review before the notice closed, a decision with an objection open…
    irregular: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Measure:
    measure_id: str
    measure_type: str
    risks: tuple[str, ...]
    started_on: date
    amount: Decimal | None
    started_by: str
    event_id: str
    verifications: list[tuple[date, tuple[str, ...], str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Income:
    assessed_on: date
    year: int
    total: Decimal  # components minus production costs
    components: dict[str, Decimal]
    members_counted: int
    per_capita: Decimal
    member_count: int  # members of the household on the day
    event_id: str


@dataclass(slots=True)
class Relation:
    cadre_id: str
    relation: str
    person_id: str
    since: date
    event_id: str
    ended_on: date | None = None


@dataclass(slots=True)
class HouseholdFacts:
    household_id: str
    village: str
    household_type: str
    registered_on: date
    registered_event: str
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    member_events: dict[str, str] = field(default_factory=dict)  # person → its record's event
    member_since: dict[str, date] = field(default_factory=dict)  # person → its record's day
    visits: list[Visit] = field(default_factory=list)
    leaflets: dict[str, tuple[date, str]] = field(default_factory=dict)
    surveys: list[tuple[date, str, bool, str]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    department_facts: list[dict[str, Any]] = field(default_factory=list)
    incomes: list[Income] = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)
    plans: list[tuple[date, list[dict[str, Any]], str]] = field(default_factory=list)
    measures: dict[str, Measure] = field(default_factory=dict)
    marks: list[tuple[date, bool, str]] = field(default_factory=list)  # (day, set?, event)
    relations: list[Relation] = field(default_factory=list)
    # (from, to or None, event id of the identification): when the household was monitored
    monitored: list[list[Any]] = field(default_factory=list)

    def monitored_on(self, on: date) -> bool:
        return any(start <= on and (end is None or on < end) for start, end, _ in self.monitored)

    def case_open_on(self, on: date) -> bool:
        return any(
            c.kind == "identification"
            and c.opened_on <= on
            and (c.decided_on is None or on <= c.decided_on)
            for c in self.cases.values()
        )

    def marked_on(self, on: date) -> bool:
        state = False
        for d, is_set, _ in sorted(self.marks):
            if d <= on:
                state = is_set
        return state

    def no_labour(self) -> bool:
        return bool(self.members) and all(
            m["labour_capacity"] in NO_LABOUR for m in self.members.values()
        )

    def income_before(self, on: date) -> Income | None:
        earlier = [i for i in self.incomes if i.assessed_on <= on]
        return max(earlier, key=lambda i: i.assessed_on) if earlier else None
