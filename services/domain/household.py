"""The Household aggregate: decides whether an event can happen to the household, then
records it as a domain event (services.domain.events).

What cannot happen is rejected with a stable reason code (services.domain.errors). What is
possible but late or irregular is accepted and recorded: a visit recorded 20 days after it
happened is a fact, and judging it is the compliance engine's job.

This module's path is part of every stored event's topic: do not move it.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.domain import events as ev
from services.domain.errors import LifecycleViolation
from services.domain.events import MONITORED, NOT_MONITORED, RISK_ELIMINATED
from services.domain.rules import LifecycleRules

__all__ = ["MONITORED", "NOT_MONITORED", "RISK_ELIMINATED", "Household", "household_uuid"]

_HOUSEHOLD_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:household")

Facts = dict[str, Any]

# Events that only record a fact: no rule but the household's existence stands in their way.
FACT_EVENTS: dict[str, type[ev.HouseholdEvent]] = {
    "visit_recorded": ev.VisitRecorded,
    "screening_recorded": ev.ScreeningRecorded,
    "policy_leaflet_delivered": ev.PolicyLeafletDelivered,
    "awareness_survey_answered": ev.AwarenessSurveyAnswered,
    "department_risk_alert_pushed": ev.DepartmentRiskAlertPushed,
    "department_fact_reported": ev.DepartmentFactReported,
    "cadre_relative_registered": ev.CadreRelativeRegistered,
    "cadre_relative_ended": ev.CadreRelativeEnded,
}

# What a correction may target: recorded facts. Decisions are undone by their own events.
CORRECTABLE = frozenset({*FACT_EVENTS, "income_assessed", "data_comparison_returned",
                         "assistance_measure_verified"})  # fmt: skip


def household_uuid(household_id: str) -> UUID:
    """The aggregate id of a household number: stable, so every worker computes the same."""
    return uuid5(_HOUSEHOLD_NAMESPACE, household_id)


def _fail(code: str, detail: str) -> LifecycleViolation:
    return LifecycleViolation(code, detail)


class Household(Aggregate):
    """One rural household (农户) and where it stands in the monitoring lifecycle.

    State (assigned by the events' ``apply``; not annotated here, because the library turns
    annotated attributes into constructor arguments): see ``events.Registered.apply``.
    """

    # event_type (the public contract) → the method that decides it
    DECIDERS: ClassVar[dict[str, str]] = {
        "member_added": "add_member",
        "member_changed": "change_member",
        "income_assessed": "assess_income",
        "risk_lead_registered": "register_lead",
        "household_consent_signed": "sign_consent",
        "data_comparison_requested": "request_data_comparison",
        "data_comparison_returned": "return_data_comparison",
        "village_review_held": "hold_village_review",
        "public_notice_posted": "post_notice",
        "objection_raised": "raise_objection",
        "objection_resolved": "resolve_objection",
        "public_notice_closed": "close_notice",
        "township_review_done": "review_at_township",
        "identification_decided": "decide_identification",
        "national_system_entry_recorded": "record_national_entry",
        "assistance_plan_adopted": "adopt_plan",
        "assistance_measure_started": "start_measure",
        "assistance_measure_verified": "verify_measure",
        "assistance_measure_ended": "end_measure",
        "risk_elimination_proposed": "propose_elimination",
        "risk_eliminated": "eliminate_risk",
        "risk_elimination_reverted": "revert_elimination",
        "safety_net_mark_set": "set_safety_net_mark",
        "safety_net_mark_removed": "remove_safety_net_mark",
        "event_retracted": "correct",
        "event_amended": "correct",
    }

    @classmethod
    def register(cls, meta: dict[str, Any], facts: Facts) -> Household:
        """A new household; `meta` holds the envelope's fields (see events.HouseholdEvent)."""
        return cls._create(
            ev.Registered, id=household_uuid(meta["household_id"]), **meta, facts=facts
        )

    def decide(self, meta: dict[str, Any], facts: Facts, rules: LifecycleRules) -> None:
        """Apply the event named by meta['event_type'] if the lifecycle allows it."""
        event_type = meta["event_type"]
        if event_type == "household_registered":
            raise _fail("HOUSEHOLD_ALREADY_REGISTERED", f"{self.household_id} is registered")
        # Held only while deciding: never part of the state (snapshots would carry it).
        self._meta, self._rules = meta, rules
        try:
            if event_type in FACT_EVENTS:
                self._record(FACT_EVENTS[event_type], facts)
            else:
                getattr(self, self.DECIDERS[event_type])(facts)
        finally:
            del self._meta, self._rules

    def _record(self, event_class: type[ev.HouseholdEvent], facts: Facts) -> None:
        self.trigger_event(event_class, **self._meta, facts=facts)

    def _with_line(self, facts: Facts, day: str) -> Facts:
        """The facts with the monitoring line in force that day (every decision records it)."""
        line = self._rules.lines.line_for(self.village_code, date.fromisoformat(day))
        return {**facts, "monitoring_line": line.as_record() if line else None}

    # --- members and income -------------------------------------------------------------
    def add_member(self, facts: Facts) -> None:
        if facts["member"]["person_id"] in self.members:
            raise _fail("MEMBER_ALREADY_PRESENT", facts["member"]["person_id"])
        self._record(ev.MemberAdded, facts)

    def change_member(self, facts: Facts) -> None:
        if facts["member"]["person_id"] not in self.members:
            raise _fail("MEMBER_NOT_FOUND", facts["member"]["person_id"])
        self._record(ev.MemberChanged, facts)

    def assess_income(self, facts: Facts) -> None:
        facts = self._with_line(facts, facts["assessed_on"])
        line = facts["monitoring_line"]
        below = (
            None
            if line is None
            else float(facts["per_capita_net_income_yuan"]) < float(line["yuan"])
        )
        self._record(ev.IncomeAssessed, {**facts, "below_line": below})

    # --- identification: the case of a lead ---------------------------------------------
    def register_lead(self, facts: Facts) -> None:
        if facts["lead_id"] in self.cases:
            raise _fail("LEAD_ALREADY_REGISTERED", facts["lead_id"])
        open_leads = [k for k, c in self.cases.items() if c["kind"] == "identification"]
        if open_leads:
            raise _fail("IDENTIFICATION_ALREADY_OPEN", f"lead {open_leads[0]} is open")
        self._record(ev.RiskLeadRegistered, facts)

    def _case(self, case_id: str, kind: str) -> dict[str, Any]:
        case = self.cases.get(case_id)
        if case is None or case["kind"] != kind:
            raise _fail("CASE_NOT_OPEN", f"no open {kind} case {case_id} for {self.household_id}")
        return case  # type: ignore[no-any-return]

    def sign_consent(self, facts: Facts) -> None:
        self._case(facts["lead_id"], "identification")
        self._record(ev.HouseholdConsentSigned, facts)

    def request_data_comparison(self, facts: Facts) -> None:
        self._case(facts["lead_id"], "identification")
        self._record(ev.DataComparisonRequested, facts)

    def return_data_comparison(self, facts: Facts) -> None:
        self._case(facts["lead_id"], "identification")
        self._record(ev.DataComparisonReturned, facts)

    def hold_village_review(self, facts: Facts) -> None:
        self._case(facts["case_id"], facts["case_kind"])
        self._record(ev.VillageReviewHeld, facts)

    def post_notice(self, facts: Facts) -> None:
        case = self._case(facts["case_id"], facts["case_kind"])
        if case["notice"] is not None:
            raise _fail("NOTICE_ALREADY_POSTED", case["notice"]["notice_id"])
        self._record(ev.PublicNoticePosted, facts)

    def _notice(self, notice_id: str) -> dict[str, Any]:
        try:
            return ev.notice_of(self, notice_id)
        except KeyError:
            raise _fail("NOTICE_NOT_FOUND", notice_id) from None

    def raise_objection(self, facts: Facts) -> None:
        if self._notice(facts["notice_id"])["closed_on"] is not None:
            raise _fail("NOTICE_CLOSED", facts["notice_id"])
        self._record(ev.ObjectionRaised, facts)

    def resolve_objection(self, facts: Facts) -> None:
        if facts["objection_id"] not in self._notice(facts["notice_id"])["open_objections"]:
            raise _fail("OBJECTION_NOT_FOUND", facts["objection_id"])
        self._record(ev.ObjectionResolved, facts)

    def close_notice(self, facts: Facts) -> None:
        if self._notice(facts["notice_id"])["closed_on"] is not None:
            raise _fail("NOTICE_CLOSED", facts["notice_id"])
        self._record(ev.PublicNoticeClosed, facts)

    def review_at_township(self, facts: Facts) -> None:
        case = self._case(facts["case_id"], facts["case_kind"])
        if case["notice"] is None or case["notice"]["closed_on"] is None:
            raise _fail("NOTICE_NOT_CLOSED", f"case {facts['case_id']}")
        self._record(ev.TownshipReviewDone, facts)

    def _check_notice_has_run(self, case_id: str, case: dict[str, Any]) -> None:
        """R4.1: the county decides only after a notice of the minimum days, objections
        all resolved."""
        notice = case["notice"]
        if notice is None or notice["closed_on"] is None:
            raise _fail("NOTICE_NOT_RUN", f"case {case_id} has no closed public notice")
        days = date.fromisoformat(notice["closed_on"]) - date.fromisoformat(notice["posted_on"])
        if days.days < self._rules.min_notice_days:
            raise _fail(
                "NOTICE_TOO_SHORT",
                f"notice {notice['notice_id']} ran {days.days} days, "
                f"fewer than {self._rules.min_notice_days}",
            )
        if notice["open_objections"]:
            raise _fail("OBJECTION_OPEN", ", ".join(notice["open_objections"]))

    def decide_identification(self, facts: Facts) -> None:
        case = self._case(facts["lead_id"], "identification")
        facts = self._with_line(facts, facts["decided_on"])
        if facts["outcome"] == "dismissed":
            self._record(ev.LeadDismissed, facts)
            return
        if self.monitoring_status == MONITORED:
            raise _fail("ALREADY_MONITORED", f"monitored since {self.identified_on}")
        self._check_notice_has_run(facts["lead_id"], case)
        self._record(ev.Identified, facts)

    def record_national_entry(self, facts: Facts) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        self._record(ev.NationalSystemEntryRecorded, facts)

    # --- assistance ---------------------------------------------------------------------
    def adopt_plan(self, facts: Facts) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        self._record(ev.AssistancePlanAdopted, facts)

    def start_measure(self, facts: Facts) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        if facts["measure_id"] in self.measures:
            raise _fail("MEASURE_ALREADY_STARTED", facts["measure_id"])
        self._record(ev.AssistanceMeasureStarted, facts)

    def _measure(self, measure_id: str) -> dict[str, Any]:
        if measure_id not in self.measures:
            raise _fail("MEASURE_NOT_FOUND", measure_id)
        return self.measures[measure_id]  # type: ignore[no-any-return]

    def verify_measure(self, facts: Facts) -> None:
        self._measure(facts["measure_id"])
        self._record(ev.AssistanceMeasureVerified, facts)

    def end_measure(self, facts: Facts) -> None:
        if self._measure(facts["measure_id"])["ended_on"] is not None:
            raise _fail("MEASURE_ALREADY_ENDED", facts["measure_id"])
        self._record(ev.AssistanceMeasureEnded, facts)

    # --- elimination and the safety net -------------------------------------------------
    def _check_can_be_eliminated(self) -> None:
        if self.monitoring_status != MONITORED:
            raise _fail("NOT_MONITORED", f"{self.household_id} is {self.monitoring_status}")
        if self.safety_net_marked:  # R7.1
            raise _fail("SAFETY_NET_MARKED", self.household_id)

    def propose_elimination(self, facts: Facts) -> None:
        self._check_can_be_eliminated()
        open_cases = [k for k, c in self.cases.items() if c["kind"] == "elimination"]
        if open_cases:
            raise _fail("ELIMINATION_ALREADY_OPEN", open_cases[0])
        if facts["elimination_id"] in self.cases:
            raise _fail("CASE_ID_IN_USE", f"{facts['elimination_id']} is an open lead")
        self._record(ev.RiskEliminationProposed, self._with_line(facts, facts["proposed_on"]))

    def eliminate_risk(self, facts: Facts) -> None:
        self._check_can_be_eliminated()
        case = self._case(facts["elimination_id"], "elimination")
        self._check_notice_has_run(facts["elimination_id"], case)
        self._record(ev.RiskEliminated, self._with_line(facts, facts["decided_on"]))

    def revert_elimination(self, facts: Facts) -> None:
        if self.monitoring_status != RISK_ELIMINATED or (
            self.last_elimination_id != facts["elimination_id"]
        ):
            raise _fail("NOT_ELIMINATED", f"{facts['elimination_id']} is not standing")
        self._record(ev.RiskEliminationReverted, facts)

    def set_safety_net_mark(self, facts: Facts) -> None:
        if self.monitoring_status != MONITORED:
            raise _fail("NOT_MONITORED", f"{self.household_id} is {self.monitoring_status}")
        if self.safety_net_marked:
            raise _fail("SAFETY_NET_ALREADY_MARKED", self.household_id)
        self._record(ev.SafetyNetMarkSet, facts)

    def remove_safety_net_mark(self, facts: Facts) -> None:
        if not self.safety_net_marked:
            raise _fail("SAFETY_NET_NOT_MARKED", self.household_id)
        self._record(ev.SafetyNetMarkRemoved, facts)

    # --- corrections --------------------------------------------------------------------
    def correct(self, facts: Facts) -> None:
        """Retract or amend a recorded fact (the intake resolved the target's type and
        source); only its own source, or the county, may correct a record."""
        target_type, target_source = (
            facts.get("target_event_type"),
            facts.get("target_source_system"),
        )
        if target_type not in CORRECTABLE:
            raise _fail("CORRECTION_NOT_ALLOWED", f"{target_type} is a decision")
        source = self._meta["source_system"]
        if source not in (target_source, "county_system"):
            raise _fail("CORRECTION_NOT_ALLOWED", f"{source} may not correct {target_source}")
        retracted = self._meta["event_type"] == "event_retracted"
        self._record(ev.EventRetracted if retracted else ev.EventAmended, facts)
