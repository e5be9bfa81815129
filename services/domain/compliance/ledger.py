"""The suspected-problem ledger (疑似问题台账) and its rectification ledger (整改工作台账), as
event-sourced aggregates in the same store as the households: every problem raised, every
plan, action, close-out (销号) and reopening is an event in the audit log.

A problem is raised by a sweep and keyed by its finding, so a sweep that finds it again
changes nothing; when the facts no longer show it a sweep records that. A recurring lapse
(R2.1's months without a visit…) is one problem carrying its occurrences, each dated by the
sweep that found it and the one that found it no longer shown (`occurrences`). People plan,
act, close out and reopen. This module's path is part of every stored event's topic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from services.domain.compliance.findings import Finding, Occurrence, problem_id, township_of
from services.domain.compliance.ledger_reasons import (  # noqa: F401 (theirs)
    CLOSING_ROLES,
    LEDGER_REASONS,
    LedgerViolation,
    need_evidence,
)
from services.domain.compliance.occurrences import found_in, occurrences_on, records

OPEN, RECTIFYING, RECTIFIED, CLOSED = "open", "rectifying", "rectified", "closed"
# A problem of one month (raised before occurrences, issue #18) folded into the problem of
# its household, rule and cause by a sweep: no longer a row of its own from that day.
MERGED = "merged"
OCCURRED_AGAIN = "occurred again"  # a step: an occurrence after the rectification's action
RESOLVED = "resolved"  # a ledger as of a day: the facts no longer show it, not closed out
LEDGER_TOPIC_PREFIX = f"{__name__}:"  # how every ledger event's stored topic begins
# What a raised problem keeps of its event as it is (the rest is worked out from it).
RAISED_FACTS = ("key", "rule_id", "check", "concern", "subject_type", "subject", "village")
RAISED_FACTS += ("evidence", "due_on", "responsible", "summary", "ongoing")


_CREATED = {f.name for f in fields(Aggregate.Created)}  # the library's own: ids, version, time


def _keep(event: Any, into: Any, names: Iterable[str] = ()) -> None:
    """The event's facts set on its aggregate: `names`, or every field its class declares."""
    for name in names or [f.name for f in fields(event) if f.name not in _CREATED]:
        setattr(into, name, getattr(event, name))


class Problem(Aggregate):
    """One suspected problem and its rectification. State is assigned by the events."""

    class Raised(Aggregate.Created):
        key: str
        rule_id: str
        check: str
        concern: str | None
        subject_type: str
        subject: str
        village: str
        evidence: list[str]
        due_on: str
        responsible: str
        summary: str
        ongoing: bool
        on: str  # the sweep's as-of day
        sweep_id: str
        # a recurring lapse's (Occurrence.as_record() and found_on); absent from a problem
        # raised before occurrences (issue #18)
        occurrences: list[dict[str, Any]]

        def apply(self, p: Any) -> None:
            _keep(self, p, RAISED_FACTS)
            p.raised_on, p.status, p.facts_resolved_on = self.on, OPEN, None
            p.plan = None
            p.actions, p.history = [], []
            p.closed_on = None
            p.occurrences, p.merged_into = {}, None
            found_in(p, self.__dict__.get("occurrences") or [])
            p.history.append(("raised", self.on, "sweep", self.summary, []))

    class ResolvedByFacts(Aggregate.Event):
        on: str
        sweep_id: str

        def apply(self, p: Any) -> None:
            p.facts_resolved_on = self.on
            p.history.append(("resolved by the facts", self.on, "sweep", "", []))

    class FoundAgain(Aggregate.Event):
        on: str
        sweep_id: str
        summary: str

        def apply(self, p: Any) -> None:
            p.facts_resolved_on = None
            p.summary = self.summary
            if p.status == CLOSED:
                p.status, p.closed_on = (RECTIFYING if p.plan else OPEN), None
            p.history.append(("found again", self.on, "sweep", self.summary, []))

    class OccurrencesChanged(Aggregate.Event):
        """A sweep found occurrences the problem did not show (each with the day it was
        found: a month folded from an older problem keeps that problem's), or no longer
        finds some it showed."""

        on: str
        sweep_id: str
        found: list[dict[str, Any]]  # Occurrence.as_record() and found_on
        resolved: list[str]  # labels
        summary: str

        def apply(self, p: Any) -> None:
            found_in(p, self.found)
            for label in self.resolved:
                p.occurrences[label]["spans"][-1][1] = self.on
            if self.summary:
                p.summary = self.summary
            last_action = max((a["on"] for a in p.actions), default=None)
            labels = sorted(o["label"] for o in self.found)
            if (
                p.status == RECTIFIED
                and last_action is not None
                and any(o["due_on"] > last_action for o in self.found)
            ):  # the lapse recurred after the action: the rectification has not held
                p.status = RECTIFYING if p.plan else OPEN
                p.history.append((OCCURRED_AGAIN, self.on, "sweep", " ".join(labels), []))
            elif labels:
                p.history.append(("occurrences found", self.on, "sweep", " ".join(labels), []))
            if self.resolved:
                p.history.append(
                    ("occurrences resolved", self.on, "sweep", " ".join(self.resolved), [])
                )

    class MergedInto(Aggregate.Event):
        on: str
        sweep_id: str
        problem: str

        def apply(self, p: Any) -> None:
            p.merged_into, p.status = self.problem, MERGED
            p.history.append(("merged", self.on, "sweep", self.problem, []))

    class RectificationPlanned(Aggregate.Event):
        plan: str
        deadline: str
        responsible_person: str
        by: str
        role: str
        on: str

        def apply(self, p: Any) -> None:
            p.plan = {
                "plan": self.plan,
                "deadline": self.deadline,
                "responsible_person": self.responsible_person,
                "on": self.on,
            }
            if p.status == OPEN:
                p.status = RECTIFYING
            p.history.append(("planned", self.on, self.by, f"{self.plan} by {self.deadline}", []))

    class ActionRecorded(Aggregate.Event):
        action: str
        evidence: list[str]
        by: str
        role: str
        on: str

        def apply(self, p: Any) -> None:
            p.actions.append(
                {"action": self.action, "evidence": self.evidence, "by": self.by, "on": self.on}
            )
            if p.status in (OPEN, RECTIFYING):
                p.status = RECTIFIED
            p.history.append(("action", self.on, self.by, self.action, self.evidence))

    class ClosedOut(Aggregate.Event):
        evidence: list[str]
        note: str
        by: str
        role: str
        on: str

        def apply(self, p: Any) -> None:
            p.status, p.closed_on = CLOSED, self.on
            p.history.append(("closed out", self.on, self.by, self.note, self.evidence))

    class Reopened(Aggregate.Event):
        reason: str
        by: str
        role: str
        on: str

        def apply(self, p: Any) -> None:
            p.status, p.closed_on = (RECTIFYING if p.plan else OPEN), None
            p.history.append(("reopened", self.on, self.by, self.reason, []))

    # --- commands -------------------------------------------------------------------------
    @classmethod
    def raise_from(
        cls,
        f: Finding,
        on: date,
        sweep_id: UUID,
        key: str | None = None,
        found_on: dict[str, str] | None = None,
    ) -> Problem:
        """A problem of the finding (under `key`: a later round's); a recurring lapse's
        occurrences recorded with it (found on the day, or the days `found_on` gives)."""
        key = key or f.key
        return cls._create(
            cls.Raised,
            id=problem_id(key),
            key=key,
            rule_id=f.rule_id,
            check=f.check,
            concern=f.concern,
            subject_type=f.subject_type,
            subject=f.subject,
            village=f.village,
            evidence=list(f.evidence),
            due_on=f.due_on.isoformat(),
            responsible=f.responsible,
            summary=f.summary,
            ongoing=f.ongoing,
            on=on.isoformat(),
            sweep_id=str(sweep_id),
            occurrences=records(f.occurrences, on, found_on),
        )

    def change_occurrences(
        self,
        found: list[Occurrence],
        resolved: list[str],
        on: date,
        sweep_id: UUID,
        found_on: dict[str, str] | None = None,
    ) -> None:
        """Occurrences found (on the sweep's day, or a day `found_on` gives) or no longer."""
        latest = max([*(o.label for o in found), *self.shown_labels()], default=None)
        summaries = {o.label: o.summary for o in found}
        self.trigger_event(
            self.OccurrencesChanged,
            on=on.isoformat(),
            sweep_id=str(sweep_id),
            found=records(found, on, found_on),
            resolved=sorted(resolved),
            summary=summaries.get(latest or "", ""),
        )

    def merge_into(self, problem: UUID, on: date, sweep_id: UUID) -> None:
        self.trigger_event(
            self.MergedInto, on=on.isoformat(), sweep_id=str(sweep_id), problem=str(problem)
        )

    def resolved_by_facts(self, on: date, sweep_id: UUID) -> None:
        self.trigger_event(self.ResolvedByFacts, on=on.isoformat(), sweep_id=str(sweep_id))

    def found_again(self, f: Finding | None, on: date, sweep_id: UUID) -> None:
        summary = self.summary if f is None else f.summary
        self.trigger_event(
            self.FoundAgain, on=on.isoformat(), sweep_id=str(sweep_id), summary=summary
        )

    def plan_rectification(
        self, plan: str, deadline: date, responsible_person: str, by: str, role: str, on: date
    ) -> None:
        self._not_closed()
        if deadline < on:
            raise LedgerViolation("DEADLINE_BEFORE_PLAN", f"{deadline} is before {on}")
        self.trigger_event(
            self.RectificationPlanned,
            plan=plan,
            deadline=deadline.isoformat(),
            responsible_person=responsible_person,
            by=by,
            role=role,
            on=on.isoformat(),
        )

    def record_action(self, action: str, evidence: list[str], by: str, role: str, on: date) -> None:
        self._not_closed()
        need_evidence(evidence)
        self.trigger_event(
            self.ActionRecorded,
            action=action,
            evidence=evidence,
            by=by,
            role=role,
            on=on.isoformat(),
        )

    def close_out(
        self,
        evidence: list[str],
        note: str,
        by: str,
        role: str,
        on: date,
        closing_roles: frozenset[str] = CLOSING_ROLES,
    ) -> None:
        self._not_closed()
        if role not in closing_roles:
            raise LedgerViolation("ROLE_NOT_AUTHORISED", f"{role} may not close out")
        need_evidence(evidence)
        if not self.actions:
            raise LedgerViolation("RECTIFICATION_REQUIRED", "no rectification action recorded")
        if self.ongoing and self.facts_resolved_on is None:
            raise LedgerViolation("FACTS_STILL_SHOW_PROBLEM", self.summary)
        self.trigger_event(
            self.ClosedOut, evidence=evidence, note=note, by=by, role=role, on=on.isoformat()
        )

    def reopen(
        self,
        reason: str,
        by: str,
        role: str,
        on: date,
        closing_roles: frozenset[str] = CLOSING_ROLES,
    ) -> None:
        if self.status == MERGED:
            self._not_closed()
        if self.status != CLOSED:
            raise LedgerViolation("PROBLEM_NOT_CLOSED", f"the problem is {self.status}")
        if role not in closing_roles:
            raise LedgerViolation("ROLE_NOT_AUTHORISED", f"{role} may not reopen")
        self.trigger_event(self.Reopened, reason=reason, by=by, role=role, on=on.isoformat())

    def _not_closed(self) -> None:
        if self.status == MERGED:
            raise LedgerViolation("PROBLEM_MERGED", f"merged into {self.merged_into}")
        if self.status == CLOSED:
            raise LedgerViolation("PROBLEM_CLOSED", f"closed out on {self.closed_on}")

    # --- reading --------------------------------------------------------------------------
    def shown_labels(self) -> list[str]:
        """The occurrences the facts showed at the last sweep that judged them."""
        return sorted(k for k, o in self.occurrences.items() if o["spans"][-1][1] is None)

    def occurrences_on(self, as_of: date) -> list[dict[str, Any]]:
        """The occurrences as they stood on the day: found by then, not resolved by then."""
        return occurrences_on(list(self.occurrences.values()), as_of.isoformat())

    def touched_by_people(self) -> bool:
        """Planned, acted on, closed out or reopened: a person's work is in it."""
        return (
            self.plan is not None
            or bool(self.actions)
            or any(h[2] != "sweep" for h in self.history)
        )

    def closed_by(self, as_of: date) -> bool:
        """Closed out, on or before the day (and not reopened since)."""
        return self.status == CLOSED and self.closed_on is not None and self.closed_on <= str(as_of)

    def overdue(self, as_of: date) -> bool:
        """A rectification past its deadline and not closed out by the day."""
        return (
            not self.closed_by(as_of)
            and self.plan is not None
            and self.plan["deadline"] < as_of.isoformat()
        )

    @property
    def township(self) -> str:
        return township_of(str(self.village))


class Sweep(Aggregate):
    """One run of the engine as of a day: what it read, raised and resolved, and the
    coverage per village the reports count."""

    class Completed(Aggregate.Created):
        as_of: str
        households: int
        events: int
        findings: int
        raised: int
        resolved: int
        found_again: int
        coverage: dict[str, dict[str, int]]
        found_by_township_area: dict[str, dict[str, int]]
        params: dict[str, Any]
        ran_by: str

        def apply(self, s: Any) -> None:
            _keep(self, s)

    @classmethod
    def completed(cls, sweep_id: UUID, **facts: Any) -> Sweep:
        return cls._create(cls.Completed, id=sweep_id, **facts)


class NationalRun(Aggregate):
    """A run on the national system's export that changed what dixian holds, as the
    system's word: an import (its events name the national system; this, who ran it: `by`,
    `role`) or a comparison landed in the ledger (its summary the dashboard shows)."""

    class Completed(Aggregate.Created):
        kind: str  # import | compare
        on: str  # an import's data date, a comparison's as-of day
        by: str
        role: str
        scope: str  # the region it was limited to ("" the whole export)
        file: str
        counts: dict[str, Any]  # rows, households, events…; a comparison's differences
        by_township: dict[str, dict[str, int]]  # a comparison's: township → field → count

        def apply(self, r: Any) -> None:
            _keep(self, r)

    @classmethod
    def completed(cls, run_id: UUID, **facts: Any) -> NationalRun:
        return cls._create(cls.Completed, id=run_id, **facts)
