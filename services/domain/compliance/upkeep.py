"""Bringing the ledger up to date with a sweep's findings (pure: the sweep loads and saves).

- A finding no problem holds raises one; one a problem holds changes nothing; a problem
  the facts no longer show is marked resolved, and found again if they show it again.
- A recurring lapse (a finding with occurrences: R2.1's months without a visit, R2.2's
  years, a helper's days of too many visits) is one problem per subject, rule and cause.
  Occurrences it does not hold are added to it, those the facts no longer show are marked
  resolved in it. Once it is closed out (销号), a new occurrence is a new problem that
  follows it (its key's next round: `findings.round_key`): the close-out stands for what
  it covered; an occurrence it held that comes back after the facts resolved it reopens
  it, as any problem found again does.
- A problem of one month or year raised before occurrences existed (its key is the
  recurring one's and the period) is folded into the recurring problem, keeping the day
  it was found, and marked merged — unless a person has planned, acted on or closed it:
  then it keeps its own row and its period stays its own.

Problems raised after the sweep's day (a retrospective sweep run later) are left as they
are, as are occurrences found after it: a sweep judges only what it can see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from services.domain.compliance.findings import Finding, Occurrence, problem_id, round_key
from services.domain.compliance.ledger import CLOSED, Problem


@dataclass(slots=True)
class Upkeep:
    problems: dict[UUID, Problem]
    as_of: date
    sweep_id: UUID
    changed: dict[UUID, Problem] = field(default_factory=dict)
    found: set[UUID] = field(default_factory=set)
    raised: int = 0
    resolved: int = 0
    found_again: int = 0

    @property
    def day(self) -> str:
        return self.as_of.isoformat()

    def _touch(self, p: Problem) -> None:
        self.changed[p.id] = p

    def _raise(self, f: Finding, key: str, found_on: dict[str, str] | None = None) -> None:
        p = Problem.raise_from(f, self.as_of, self.sweep_id, key, found_on)
        self.problems[p.id] = p
        self.found.add(p.id)
        self._touch(p)
        self.raised += 1

    def _again_if_resolved(self, p: Problem) -> None:
        if p.facts_resolved_on is not None and p.facts_resolved_on <= self.day:
            p.found_again(None, self.as_of, self.sweep_id)
            self._touch(p)
            self.found_again += 1

    def finding(self, f: Finding) -> None:
        if f.occurrences:
            self._recurring(f)
            return
        self.found.add(f.problem_id)
        p = self.problems.get(f.problem_id)
        if p is None:
            self._raise(f, f.key)
        elif p.facts_resolved_on is not None and p.facts_resolved_on <= self.day:
            p.found_again(f, self.as_of, self.sweep_id)
            self._touch(p)
            self.found_again += 1

    def _recurring(self, f: Finding) -> None:
        shown = {o.label: o for o in f.occurrences}
        held: set[str] = set()
        folded: dict[str, Problem] = {}
        for label in shown:  # problems of one period, from before occurrences
            old = self.problems.get(problem_id(f.key + label))
            if old is None or old.merged_into:
                continue
            if old.raised_on > self.day:  # judged by a later sweep, not by this one
                held.add(label)
                continue
            if old.touched_by_people():
                held.add(label)
                self.found.add(old.id)
                self._again_if_resolved(old)
            else:
                folded[label] = old
        chain = list(self._rounds(f.key))
        for p in chain:
            held |= set(p.occurrences)
            if p.raised_on > self.day:
                continue  # not judged by this sweep
            if shown.keys() & p.occurrences.keys():  # else resolved as a whole (unfound)
                self.found.add(p.id)
                self._again_if_resolved(p)
            gone = [k for k in p.shown_labels() if k not in shown and self._judged(p, k)]
            back = [shown[k] for k in p.occurrences if k in shown and k not in p.shown_labels()]
            if gone or back:
                p.change_occurrences(back, gone, self.as_of, self.sweep_id)
                self._touch(p)
        new = [o for label, o in sorted(shown.items()) if label not in held]
        if not new:
            return
        found_on = {label: old.raised_on for label, old in folded.items()}
        latest = chain[-1] if chain else None
        if latest is None or latest.status == CLOSED:
            key = round_key(f.key, len(chain) + 1)
            self._raise(_of(f, new), key, found_on)
            target = problem_id(key)
        else:
            self._again_if_resolved(latest)
            latest.change_occurrences(new, [], self.as_of, self.sweep_id, found_on)
            self.found.add(latest.id)
            self._touch(latest)
            target = latest.id
        for old in folded.values():
            old.merge_into(target, self.as_of, self.sweep_id)
            self.found.add(old.id)
            self._touch(old)

    def _rounds(self, key: str) -> Iterable[Problem]:
        n = 1
        while (p := self.problems.get(problem_id(round_key(key, n)))) is not None:
            yield p
            n += 1

    def _judged(self, p: Problem, label: str) -> bool:
        """An occurrence this sweep can judge: found on or before its day."""
        return bool(p.occurrences[label]["spans"][-1][0] <= self.day)

    def unfound(self, skip: str) -> None:
        """Every problem the findings did not name, marked resolved (but those raised
        after the day, merged ones, and those of the checks in `skip`)."""
        for pid, p in self.problems.items():
            if (
                pid in self.found
                or p.facts_resolved_on is not None
                or p.raised_on > self.day
                or p.merged_into
                or p.check.startswith(skip)
            ):
                continue
            p.resolved_by_facts(self.as_of, self.sweep_id)  # a correction, or remedied
            self._touch(p)
            self.resolved += 1


def _of(f: Finding, occurrences: list[Occurrence]) -> Finding:
    """The finding restricted to some of its occurrences (a later round's)."""
    return replace(
        f,
        occurrences=tuple(occurrences),
        evidence=tuple(dict.fromkeys(e for o in occurrences for e in o.evidence)),
        due_on=min(o.due_on for o in occurrences),
        summary=occurrences[-1].summary,
    )
