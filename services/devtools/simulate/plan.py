"""What the generator works with: the plan of the events it will send and the truth it
plants, the envelopes, who acts, and the county's tables (risks, departments, measures)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from services.devtools.simulate.county import County, Household

CST = timezone(timedelta(hours=8))


START, MONTHS = date(2024, 1, 1), 24
SCREENINGS_PER_DAY = 10  # a village's 200 screenings fit in 20 of June's 28 days


RISKS = [
    "illness",
    "disability",
    "education",
    "housing",
    "drinking_water",
    "accident",
    "natural_disaster",
    "unemployment",
    "income_drop",
    "high_expenditure",
]


DEPARTMENT_OF = {
    "illness": "medical_insurance",
    "disability": "disabled_persons",
    "education": "education",
    "housing": "housing",
    "drinking_water": "water",
    "accident": "emergency_management",
    "natural_disaster": "emergency_management",
    "unemployment": "human_resources",
    "income_drop": "civil_affairs",
    "high_expenditure": "civil_affairs",
    "lack_of_labour": "civil_affairs",
}


MEASURE_FOR = {
    "illness": "medical_aid",
    "disability": "temporary_assistance",
    "education": "education_aid",
    "housing": "housing_renovation",
    "drinking_water": "water_supply",
    "accident": "temporary_assistance",
    "natural_disaster": "temporary_assistance",
    "unemployment": "employment",
    "income_drop": "public_welfare_job",
    "high_expenditure": "minimum_living_allowance",
    "lack_of_labour": "minimum_living_allowance",
}


# Measures that need someone able to work (the engine's R5.2 table says the same).
NEEDS_LABOUR = frozenset({"employment", "public_welfare_job", "industry", "microcredit"})


# Where a measure's money shows in the income assessment.
TRANSFER_COMPONENT = {
    "minimum_living_allowance": "minimum_living_allowance",
    "extreme_poverty_support": "extreme_poverty_support",
    "temporary_assistance": "other_transfers",
    "public_welfare_job": "wages",
}


def month_start(i: int) -> date:
    return date(START.year + (START.month - 1 + i) // 12, (START.month - 1 + i) % 12 + 1, 1)


def month_end(i: int) -> date:
    return month_start(i + 1) - timedelta(days=1)


END = month_end(MONTHS - 1)  # the simulated world's last day: nothing is sent after it


@dataclass
class Plan:
    """What the generator will do: events by household, and the planted truth."""

    rng: random.Random
    rate: float
    seed: int
    counter: int = 0
    truth: list[dict[str, Any]] = field(default_factory=list)
    queue: dict[str, list[tuple[date, str, dict[str, Any], dict[str, Any]]]] = field(
        default_factory=dict
    )
    # (household, month) planted without a visit (R2.1): no other plant visits it then
    unvisited: set[tuple[str, int]] = field(default_factory=set)
    visited_months: set[tuple[str, int]] = field(default_factory=set)  # by a plant's visit
    # (screener, day) → June screenings booked: a screener screens at most
    # SCREENINGS_PER_DAY a day, so that only a plant makes a day implausible (R2.4)
    screenings: dict[tuple[str, date], int] = field(default_factory=dict)
    # village → (household, its head) registered last: what a duplicate person copies (R8.1)
    previous_member: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def screening_day(self, screener: str, day: date, first: date, days: int = 28) -> date:
        """The day drawn, or the next of the month's first `days` the screener has room on
        (routine visits fill the rest of a day: the two stay under max_visits_per_day)."""
        while self.screenings.get((screener, day), 0) >= SCREENINGS_PER_DAY:
            day = first + timedelta(days=((day - first).days + 1) % days)
        self.screenings[(screener, day)] = self.screenings.get((screener, day), 0) + 1
        return day

    def plant(self, rule: str) -> bool:
        return self.rng.random() < self.rate

    def note(
        self,
        rule: str,
        kind: str,
        subject: str,
        due: date,
        detail: str,
        concern: str | None = None,
        consequence: str | None = None,
    ) -> None:
        """What was planted: the rule (and the concern: favoritism, perfunctory, paper_only)
        whose finding the engine must raise about the subject, due on the day; or, with
        `consequence` (the rule of the plant it follows from), a finding another plant
        entails — expected of the engine, not counted in the recall."""
        self.truth.append(
            {
                "rule": rule,
                "subject_type": kind,
                "subject": subject,
                "due": due.isoformat(),
                "detail": detail,
                "concern": concern,
            }
            | ({"consequence_of": consequence} if consequence else {})
        )

    def visited(self, hid: str, day: date) -> None:
        """A visit another plant makes: a month planted without a visit (R2.1) is then no
        lapse, and its truth is withdrawn."""
        month = (day.year - START.year) * 12 + day.month - START.month
        self.visited_months.add((hid, month))
        if (hid, month) in self.unvisited:
            self.unvisited.discard((hid, month))
            due = month_end(month).isoformat()
            for i in range(len(self.truth) - 1, -1, -1):
                t = self.truth[i]
                if (t["rule"], t["subject"], t["due"]) == ("R2.1", hid, due):
                    del self.truth[i]
                    break

    def envelope(
        self,
        event_type: str,
        hid: str,
        day: date,
        payload: dict[str, Any],
        who: dict[str, Any],
        late_days: int = 0,
    ) -> dict[str, Any]:
        self.counter += 1
        occurred = datetime(day.year, day.month, day.day, 9 + self.counter % 8, tzinfo=CST)
        recorded = occurred + timedelta(days=late_days, hours=1)
        return {
            "event_id": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-sim:{self.seed}:{self.counter}")
            ),
            "event_type": event_type,
            "schema_version": 1,
            "household_id": hid,
            "occurred_at": occurred.isoformat(),
            "recorded_at": recorded.isoformat(),
            "source_system": who["source"],
            "actor": who["actor"],
            "payload": payload,
            "import_batch": f"simulation-{self.seed}",  # two past years, loaded today
        }

    def later(
        self, h: Household, day: date, event_type: str, payload: dict[str, Any], who: dict[str, Any]
    ) -> None:
        self.queue.setdefault(h.household_id, []).append((day, event_type, payload, who))


def who(source: str, person: str, role: str) -> dict[str, Any]:
    return {"source": source, "actor": {"person_id": person, "role": role}}


COUNTY_OFFICE = who("county_system", "county-official-1", "county_official")


TOWNSHIP_OFFICE = who("township_system", "township-official-1", "township_official")


def cadre(county: County, h: Household) -> dict[str, Any]:
    return who("village_app", county.cadres[h.village][0], "village_cadre")
