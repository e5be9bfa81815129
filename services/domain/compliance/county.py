"""What no single household shows: awareness per village (R1.3), the signs of perfunctory
visiting across households (R2.4: visits per person per day, notes copied between
households), and the coverage a report counts per village."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.domain.compliance.checks.common import month_end
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import (
    Finding,
    township_government,
    village_committee,
)
from services.domain.compliance.findings import Occurrence as Lapse
from services.domain.compliance.params import ComplianceParams

COVERAGE = (
    "households",
    "monthly_visits_due",  # lifted or monitored on the first day of the last full month
    "monthly_visits_done",
    "screened_this_year",
    "application_leaflets",
    "monitored",  # ever monitored
    "assistance_leaflets",  # of those
    "survey_answered",  # in the village's latest survey round
    "survey_aware",
)


def last_full_month(as_of: date) -> tuple[date, date]:
    """The last calendar month that ended on or before `as_of`."""
    first = date(as_of.year, as_of.month, 1)
    if month_end(first) != as_of:
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return first, month_end(first)


@dataclass(slots=True)
class _Survey:
    last_on: date
    answered: int = 0
    aware: int = 0
    unaware_events: list[str] = field(default_factory=list)


# One visit's note: household, village, visitor, event id, day.
Occurrence = tuple[str, str, str, str, date]
# One person's membership: household, village, the record's event id, its day.
Membership = tuple[str, str, str, date, str]  # household, village, event, since, person


@dataclass(slots=True)
class _Note:
    """A note written in more than one visit (its text is in the evidence events)."""

    households: set[str] = field(default_factory=set)
    visitors: set[str] = field(default_factory=set)
    events: list[str] = field(default_factory=list)
    village: str = "~"
    last_on: date = date.min

    def add(self, o: Occurrence) -> None:
        self.households.add(o[0])
        self.village = min(self.village, o[1])
        self.visitors.add(o[2])
        self.events.append(o[3])
        self.last_on = max(self.last_on, o[4])

    def merge(self, other: _Note) -> None:
        self.households |= other.households
        self.village = min(self.village, other.village)
        self.visitors |= other.visitors
        self.events += other.events
        self.last_on = max(self.last_on, other.last_on)


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())


class CountyAccumulator:
    """Fed one household at a time; `findings()` once all are in."""

    def __init__(self, p: ComplianceParams, as_of: date) -> None:
        self.p, self.as_of = p, as_of
        self.month = last_full_month(as_of)
        self.coverage: dict[str, dict[str, int]] = {}
        # the event ids of each person's visits of a day, 16 bytes each: a county's every
        # visit is kept until the end (the implausible-count check names its evidence)
        self.visitor_days: dict[tuple[str, date], bytearray] = defaultdict(bytearray)
        self.visitor_village: dict[str, str] = {}
        self.notes: dict[int, _Note | Occurrence] = {}
        self.surveys: dict[str, dict[str, _Survey]] = defaultdict(dict)
        # every member's ID number (an 8-byte digest of it, never the number) → the
        # households it is a member of: the first as a tuple, a list once there are more
        self.persons: dict[int, Membership | list[Membership]] = {}

    def add(self, h: HouseholdFacts) -> None:
        c = self.coverage.setdefault(h.village, dict.fromkeys(COVERAGE, 0))
        first, last = self.month
        c["households"] += 1
        if h.household_type == "lifted" or h.monitored_on(first):
            c["monthly_visits_due"] += 1
            c["monthly_visits_done"] += any(
                v.kind == "visit" and first <= v.on <= last for v in h.visits
            )
        c["screened_this_year"] += any(
            v.kind == "screening" and v.on.year == self.as_of.year for v in h.visits
        )
        c["application_leaflets"] += "application_policy" in h.leaflets
        if h.monitored:
            c["monitored"] += 1
            c["assistance_leaflets"] += "assistance_policy" in h.leaflets
        for v in h.visits:
            self.visitor_days[(v.by, v.on)] += bytes.fromhex(v.event_id.replace("-", ""))
            self.visitor_village[v.by] = min(h.village, self.visitor_village.get(v.by, h.village))
            text = " ".join(v.notes.split())
            if len(text) >= self.p.identical_notes_min_chars:
                key = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest())
                self._note(key, (h.household_id, h.village, v.by, v.event_id, v.on))
        for pid, m in h.members.items():
            number = str(m.get("id_number", "")).upper()
            event = h.member_events.get(pid, h.registered_event)
            since = h.member_since.get(pid, h.registered_on)
            self._person(_digest(number), [(h.household_id, h.village, event, since, pid)])
        for on, survey_id, aware, event_id in h.surveys:
            s = self.surveys[h.village].setdefault(survey_id, _Survey(on))
            s.last_on = max(s.last_on, on)
            s.answered += 1
            s.aware += aware
            if not aware:
                s.unaware_events.append(event_id)

    def _note(self, key: int, note: _Note | Occurrence) -> None:
        """Most notes are written once: a note seen once is kept as one small tuple under an
        8-byte digest of its text, and becomes a `_Note` only when it shows up again."""
        seen = self.notes.get(key)
        if seen is None:
            self.notes[key] = note
            return
        if isinstance(seen, tuple):
            first, seen = seen, _Note()
            seen.add(first)
            self.notes[key] = seen
        if isinstance(note, tuple):
            seen.add(note)
        else:
            seen.merge(note)

    def _person(self, key: int, memberships: list[Membership]) -> None:
        seen = self.persons.get(key)
        if seen is None and len(memberships) == 1:
            self.persons[key] = memberships[0]
            return
        known = [] if seen is None else [seen] if isinstance(seen, tuple) else seen
        self.persons[key] = [*known, *memberships]

    def merge(self, other: CountyAccumulator) -> None:
        """Add the tallies of other households (a share evaluated elsewhere)."""
        for village, counts in other.coverage.items():
            mine = self.coverage.setdefault(village, dict.fromkeys(COVERAGE, 0))
            for k, n in counts.items():
                mine[k] += n
        for key, packed in other.visitor_days.items():
            self.visitor_days[key] += packed
        for visitor, village in other.visitor_village.items():
            self.visitor_village[visitor] = min(village, self.visitor_village.get(visitor, village))
        for key, note in other.notes.items():
            self._note(key, note)
        for key, seen in other.persons.items():
            self._person(key, [seen] if isinstance(seen, tuple) else seen)
        for village, rounds in other.surveys.items():
            for survey_id, theirs in rounds.items():
                s = self.surveys[village].setdefault(survey_id, _Survey(theirs.last_on))
                s.last_on = max(s.last_on, theirs.last_on)
                s.answered += theirs.answered
                s.aware += theirs.aware
                s.unaware_events.extend(theirs.unaware_events)

    def findings(self) -> Iterator[Finding]:
        yield from self._awareness()
        yield from self._visit_rates()
        yield from self._copied_notes()
        yield from self._persons_in_two_households()

    def _persons_in_two_households(self) -> Iterator[Finding]:
        """R8.1: one ID number a member of two households or more (county-wide): a finding
        for each household, naming its member and the other households. Neither the number
        nor a digest of it is written (a county's numbers are few enough to guess a digest
        back), and the evidence is the household's own events: the others may lie outside
        the reader's township."""
        for seen in self.persons.values():
            if isinstance(seen, tuple) or len({m[0] for m in seen}) < 2:
                continue
            for hid, village in sorted({(m[0], m[1]) for m in seen}):
                mine = [m for m in seen if m[0] == hid]
                person = min(m[4] for m in mine)
                others = sorted({m[0] for m in seen} - {hid})
                yield Finding(
                    rule_id="R8.1",
                    check="person_in_two_households",
                    subject_type="household",
                    subject=hid,
                    village=village,
                    evidence=tuple(sorted({m[2] for m in mine})),
                    due_on=max(m[3] for m in seen),
                    responsible=village_committee(village),
                    summary=f"member {person}'s ID number is also a member's of "
                    f"household {', '.join(others)}",
                    scope=f"person:{person}",
                    ongoing=True,
                )

    def _awareness(self) -> Iterator[Finding]:
        """R1.3: in each survey round of a village, aware households / answering ones is at
        least `awareness_threshold` (19 of 20 is 95%: enough). Coverage counts the latest."""
        for village, rounds in self.surveys.items():
            latest = max(rounds.values(), key=lambda s: s.last_on)
            c = self.coverage[village]
            c["survey_answered"], c["survey_aware"] = latest.answered, latest.aware
            for survey_id, s in sorted(rounds.items()):
                if s.aware >= self.p.awareness_threshold * s.answered:
                    continue
                yield Finding(
                    rule_id="R1.3",
                    check="awareness_below_threshold",
                    subject_type="village",
                    subject=village,
                    village=village,
                    evidence=tuple(sorted(s.unaware_events)),
                    due_on=s.last_on,
                    responsible=village_committee(village),
                    summary=f"survey {survey_id}: {s.aware} of {s.answered} households aware "
                    f"({s.aware / s.answered:.0%} < {self.p.awareness_threshold:.0%})",
                    scope=survey_id,
                )

    def _visit_rates(self) -> Iterator[Finding]:
        """R2.4 (perfunctory): more than `max_visits_per_day` visits and screenings
        recorded by one person on one day — one problem per person, each such day an
        occurrence of it."""
        for (visitor, on), packed in self.visitor_days.items():
            if len(packed) > 16 * self.p.max_visits_per_day:
                events = tuple(
                    sorted(
                        str(UUID(bytes=bytes(packed[i : i + 16])))
                        for i in range(0, len(packed), 16)
                    )
                )
                village = self.visitor_village[visitor]
                summary = f"{visitor} recorded {len(events)} visits on {on}"
                yield Finding(
                    rule_id="R2.4",
                    check="implausible_visit_count",
                    subject_type="cadre",
                    subject=visitor,
                    village=village,
                    evidence=events,
                    due_on=on,
                    responsible=township_government(village),
                    summary=summary,
                    concern="perfunctory",
                    occurrences=(Lapse(on.isoformat(), on, events, summary),),
                )

    def _copied_notes(self) -> Iterator[Finding]:
        """R2.4 (perfunctory): one note, word for word, in the visits of at least
        `identical_notes_households` households."""
        for digest, note in self.notes.items():
            if (
                isinstance(note, _Note)
                and len(note.households) >= self.p.identical_notes_households
            ):
                for visitor in sorted(note.visitors):
                    yield Finding(
                        rule_id="R2.4",
                        check="identical_notes",
                        subject_type="cadre",
                        subject=visitor,
                        village=note.village,
                        evidence=tuple(sorted(note.events)),
                        due_on=note.last_on,
                        responsible=township_government(note.village),
                        summary=f"the same note (digest {digest:016x}) in "
                        f"{len(note.households)} households",
                        scope=f"{digest:016x}",
                        concern="perfunctory",
                    )
