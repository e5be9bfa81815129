"""The Household aggregate: decides whether an event can happen to the household, then
records it as a domain event (services.domain.events). One public method per command, each
taking the contract's typed payload (events/), the envelope's facts (Meta) and the rules.

What cannot happen is rejected with a stable reason code (services.domain.errors). What is
possible but late or irregular is accepted and recorded: a visit recorded 20 days after it
happened is a fact, and judging it is the compliance engine's job. A decision against the
procedure is accepted with its `irregularities` (errors.IRREGULAR), for the engine to find.

This module's path is part of every stored event's topic: do not move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from eventsourcing.domain import Aggregate, get_topic
from pydantic import BaseModel

from events import assistance as a
from events import cadres, departments, visits
from events import corrections as c
from events import elimination as el
from events import household as hh
from events import identification as idf
from services.domain import events as ev
from services.domain.errors import Irregularities, LifecycleViolation
from services.domain.errors import irregular as _irregular
from services.domain.errors import with_irregularities as _with
from services.domain.events import MONITORED, NOT_MONITORED, RISK_ELIMINATED
from services.domain.meta import Meta, household_uuid
from services.domain.rules import LifecycleRules

__all__ = [
    "MONITORED",
    "NOT_MONITORED",
    "RISK_ELIMINATED",
    "CorrectionOf",
    "Household",
    "Meta",
    "household_uuid",
]


@dataclass(frozen=True, slots=True)
class CorrectionOf:
    """A retraction or an amendment with what the intake found its target to be."""

    correction: c.EventRetracted | c.EventAmended
    target_event_type: str
    target_source_system: str
    amended_payload: dict[str, Any] | None = None  # validated by the target type's model


def imported_decision(meta: Meta) -> bool:
    """A decision the national system holds, loaded by a declared historical import: its
    procedure ran before dixian and is recorded there, so no case of it is open here."""
    return meta.source_system == "national_system" and meta.import_batch is not None


def _fail(code: str, detail: str) -> LifecycleViolation:
    return LifecycleViolation(code, detail)


def _facts(payload: BaseModel, **extra: Any) -> dict[str, Any]:
    dump = payload.__pydantic_serializer__.to_python  # model_dump, without its keywords
    return dump(payload, mode="json") | extra  # type: ignore[no-any-return]


class Household(Aggregate):
    """One rural household (农户) and where it stands in the monitoring lifecycle.

    State (assigned by the events' ``apply``; not annotated here, because the library turns
    annotated attributes into constructor arguments): see ``events.Registered.apply``.
    """

    @classmethod
    def register(
        cls, e: hh.HouseholdRegistered, meta: Meta, rules: LifecycleRules | None = None
    ) -> Household:
        """A new household and its members: the library's `_create`, built as `_record` is."""
        m = meta
        event = object.__new__(ev.Registered)
        object.__setattr__(event, "__dict__", {
            "originator_id": household_uuid(m.household_id), "originator_version": 1,
            "timestamp": ev.Registered.create_timestamp(), "originator_topic": _TOPIC,
            "event_id": m.event_id, "event_type": m.event_type,
            "schema_version": m.schema_version, "household_id": m.household_id,
            "occurred_at": m.occurred_at, "recorded_at": m.recorded_at,
            "source_system": m.source_system, "actor_id": m.actor_id, "actor_role": m.actor_role,
            "facts": _facts(e), "attestation": m.attestation, "import_batch": m.import_batch,
        })  # fmt: skip
        h = cast(Household, event.mutate(None))
        h._pending_events.append(event)
        return h

    def _record(self, event_class: type[ev.HouseholdEvent], meta: Meta, facts: Any) -> None:
        """The library's trigger_event — the next event, applied, pending — with the same
        event (its class, its `__dict__` in field order) built without its keyword copies."""
        if isinstance(facts, BaseModel):
            facts = _facts(facts)
        m = meta
        event = object.__new__(event_class)
        object.__setattr__(event, "__dict__", {
            "originator_id": self.id, "originator_version": self.version + 1,
            "timestamp": event_class.create_timestamp(), "event_id": m.event_id,
            "event_type": m.event_type, "schema_version": m.schema_version,
            "household_id": m.household_id, "occurred_at": m.occurred_at,
            "recorded_at": m.recorded_at, "source_system": m.source_system,
            "actor_id": m.actor_id, "actor_role": m.actor_role, "facts": facts,
            "attestation": m.attestation, "import_batch": m.import_batch,
        })  # fmt: skip
        event.mutate(self)
        self._pending_events.append(event)

    def collect_events(self) -> list[ev.HouseholdEvent]:  # type: ignore[override]
        """The pending events, in order (the library pops them one by one from the front)."""
        collected, self._pending_events = self._pending_events, []
        return collected  # type: ignore[return-value]

    def _line(self, day: date, rules: LifecycleRules) -> dict[str, Any] | None:
        """The monitoring line in force that day (every decision records the one it used)."""
        line = rules.lines.line_for(self.village_code, day)
        return line.as_record() if line else None

    # --- facts: no rule but the household's existence stands in their way ----------------
    def record_visit(self, e: visits.VisitRecorded, meta: Meta, rules: LifecycleRules) -> None:
        self._record(ev.VisitRecorded, meta, e)

    def record_screening(
        self, e: visits.ScreeningRecorded, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.ScreeningRecorded, meta, e)

    def deliver_leaflet(
        self, e: visits.PolicyLeafletDelivered, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.PolicyLeafletDelivered, meta, e)

    def answer_survey(
        self, e: visits.AwarenessSurveyAnswered, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.AwarenessSurveyAnswered, meta, e)

    def push_alert(
        self, e: departments.DepartmentRiskAlertPushed, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.DepartmentRiskAlertPushed, meta, e)

    def report_department_fact(
        self, e: departments.DepartmentFactReported, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.DepartmentFactReported, meta, e)

    def register_cadre_relative(
        self, e: cadres.CadreRelativeRegistered, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.CadreRelativeRegistered, meta, e)

    def end_cadre_relative(
        self, e: cadres.CadreRelativeEnded, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._record(ev.CadreRelativeEnded, meta, e)

    # --- members and income -------------------------------------------------------------
    def add_member(self, e: hh.MemberAdded, meta: Meta, rules: LifecycleRules) -> None:
        if e.member.person_id in self.members:
            raise _fail("MEMBER_ALREADY_PRESENT", e.member.person_id)
        self._record(ev.MemberAdded, meta, e)

    def change_member(self, e: hh.MemberChanged, meta: Meta, rules: LifecycleRules) -> None:
        if e.member.person_id not in self.members:
            raise _fail("MEMBER_NOT_FOUND", e.member.person_id)
        self._record(ev.MemberChanged, meta, e)

    def assess_income(self, e: hh.IncomeAssessed, meta: Meta, rules: LifecycleRules) -> None:
        line = self._line(e.assessed_on, rules)
        below = None if line is None else e.per_capita_net_income_yuan < Decimal(line["yuan"])
        self._record(ev.IncomeAssessed, meta, _facts(e, monitoring_line=line, below_line=below))

    # --- identification: the case of a lead ---------------------------------------------
    def register_lead(self, e: idf.RiskLeadRegistered, meta: Meta, rules: LifecycleRules) -> None:
        if e.lead_id in self.cases:
            raise _fail("LEAD_ALREADY_REGISTERED", e.lead_id)
        open_leads = [k for k, case in self.cases.items() if case["kind"] == "identification"]
        if open_leads:
            raise _fail("IDENTIFICATION_ALREADY_OPEN", f"lead {open_leads[0]} is open")
        self._record(ev.RiskLeadRegistered, meta, e)

    def _case(self, case_id: str, kind: str) -> dict[str, Any]:
        case = self.cases.get(case_id)
        if case is None or case["kind"] != kind:
            raise _fail("CASE_NOT_OPEN", f"no open {kind} case {case_id} for {self.household_id}")
        return case  # type: ignore[no-any-return]

    def sign_consent(
        self, e: idf.HouseholdConsentSigned, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._case(e.lead_id, "identification")
        self._record(ev.HouseholdConsentSigned, meta, e)

    def request_data_comparison(
        self, e: idf.DataComparisonRequested, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._case(e.lead_id, "identification")
        self._record(ev.DataComparisonRequested, meta, e)

    def return_data_comparison(
        self, e: idf.DataComparisonReturned, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._case(e.lead_id, "identification")
        self._record(ev.DataComparisonReturned, meta, e)

    def hold_village_review(
        self, e: idf.VillageReviewHeld, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._case(e.case_id, e.case_kind.value)
        self._record(ev.VillageReviewHeld, meta, e)

    def post_notice(self, e: idf.PublicNoticePosted, meta: Meta, rules: LifecycleRules) -> None:
        case = self._case(e.case_id, e.case_kind.value)
        if case["notice"] is not None:
            raise _fail("NOTICE_ALREADY_POSTED", case["notice"]["notice_id"])
        self._record(ev.PublicNoticePosted, meta, e)

    def _notice(self, notice_id: str) -> dict[str, Any]:
        try:
            return ev.notice_of(self, notice_id)
        except KeyError:
            raise _fail("NOTICE_NOT_FOUND", notice_id) from None

    def raise_objection(self, e: idf.ObjectionRaised, meta: Meta, rules: LifecycleRules) -> None:
        if self._notice(e.notice_id)["closed_on"] is not None:
            raise _fail("NOTICE_CLOSED", e.notice_id)
        self._record(ev.ObjectionRaised, meta, e)

    def resolve_objection(
        self, e: idf.ObjectionResolved, meta: Meta, rules: LifecycleRules
    ) -> None:
        if e.objection_id not in self._notice(e.notice_id)["open_objections"]:
            raise _fail("OBJECTION_NOT_FOUND", e.objection_id)
        self._record(ev.ObjectionResolved, meta, e)

    def close_notice(self, e: idf.PublicNoticeClosed, meta: Meta, rules: LifecycleRules) -> None:
        if self._notice(e.notice_id)["closed_on"] is not None:
            raise _fail("NOTICE_CLOSED", e.notice_id)
        self._record(ev.PublicNoticeClosed, meta, e)

    def review_at_township(
        self, e: idf.TownshipReviewDone, meta: Meta, rules: LifecycleRules
    ) -> None:
        case = self._case(e.case_id, e.case_kind.value)
        found: Irregularities = []
        if case["notice"] is None or case["notice"]["closed_on"] is None:
            _irregular(
                found, "NOTICE_NOT_CLOSED", f"case {e.case_id}: reviewed before its notice closed"
            )
        self._record(ev.TownshipReviewDone, meta, _with(_facts(e), found))

    def _notice_irregularities(
        self, case_id: str, case: dict[str, Any], rules: LifecycleRules
    ) -> Irregularities:
        """R4.1: the county decides after a notice of the minimum days, objections all
        resolved. A decision taken otherwise did happen: what it skipped is recorded."""
        found: Irregularities = []
        notice = case["notice"]
        if notice is None or notice["closed_on"] is None:
            _irregular(found, "NOTICE_NOT_RUN", f"case {case_id} has no closed public notice")
            return found
        days = date.fromisoformat(notice["closed_on"]) - date.fromisoformat(notice["posted_on"])
        if days.days < rules.min_notice_days:
            _irregular(
                found,
                "NOTICE_TOO_SHORT",
                f"notice {notice['notice_id']} ran {days.days} days, "
                f"fewer than {rules.min_notice_days}",
            )
        if notice["open_objections"]:
            _irregular(found, "OBJECTION_OPEN", ", ".join(notice["open_objections"]))
        return found

    def decide_identification(
        self, e: idf.IdentificationDecided, meta: Meta, rules: LifecycleRules
    ) -> None:
        imported = imported_decision(meta)
        case = {} if imported else self._case(e.lead_id, "identification")
        facts = _facts(e, monitoring_line=self._line(e.decided_on, rules))
        if e.outcome.value == "dismissed":
            self._record(ev.LeadDismissed, meta, facts)
            return
        if self.monitoring_status == MONITORED:
            raise _fail("ALREADY_MONITORED", f"monitored since {self.identified_on}")
        # an imported decision's procedure ran in the national system: nothing to note here
        found = [] if imported else self._notice_irregularities(e.lead_id, case, rules)
        self._record(ev.Identified, meta, _with(facts, found))

    def record_national_entry(
        self, e: idf.NationalSystemEntryRecorded, meta: Meta, rules: LifecycleRules
    ) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        self._record(ev.NationalSystemEntryRecorded, meta, e)

    # --- assistance ---------------------------------------------------------------------
    def adopt_plan(self, e: a.AssistancePlanAdopted, meta: Meta, rules: LifecycleRules) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        self._record(ev.AssistancePlanAdopted, meta, e)

    def start_measure(
        self, e: a.AssistanceMeasureStarted, meta: Meta, rules: LifecycleRules
    ) -> None:
        if not self.ever_identified:
            raise _fail("NEVER_IDENTIFIED", self.household_id)
        if e.measure_id in self.measures:
            raise _fail("MEASURE_ALREADY_STARTED", e.measure_id)
        self._record(ev.AssistanceMeasureStarted, meta, e)

    def _measure(self, measure_id: str) -> dict[str, Any]:
        if measure_id not in self.measures:
            raise _fail("MEASURE_NOT_FOUND", measure_id)
        return self.measures[measure_id]  # type: ignore[no-any-return]

    def verify_measure(
        self, e: a.AssistanceMeasureVerified, meta: Meta, rules: LifecycleRules
    ) -> None:
        self._measure(e.measure_id)
        self._record(ev.AssistanceMeasureVerified, meta, e)

    def end_measure(self, e: a.AssistanceMeasureEnded, meta: Meta, rules: LifecycleRules) -> None:
        if self._measure(e.measure_id)["ended_on"] is not None:
            raise _fail("MEASURE_ALREADY_ENDED", e.measure_id)
        self._record(ev.AssistanceMeasureEnded, meta, e)

    # --- elimination and the safety net -------------------------------------------------
    def _check_can_be_eliminated(self) -> Irregularities:
        if self.monitoring_status != MONITORED:
            raise _fail("NOT_MONITORED", f"{self.household_id} is {self.monitoring_status}")
        found: Irregularities = []
        if self.safety_net_marked:  # R7.1: irregular, the engine finds it
            _irregular(found, "SAFETY_NET_MARKED", f"{self.household_id} is marked")
        return found

    def propose_elimination(
        self, e: el.RiskEliminationProposed, meta: Meta, rules: LifecycleRules
    ) -> None:
        found = self._check_can_be_eliminated()
        open_cases = [k for k, case in self.cases.items() if case["kind"] == "elimination"]
        if open_cases:
            raise _fail("ELIMINATION_ALREADY_OPEN", open_cases[0])
        if e.elimination_id in self.cases:
            raise _fail("CASE_ID_IN_USE", f"{e.elimination_id} is an open lead")
        line = self._line(e.proposed_on, rules)
        facts = _with(_facts(e, monitoring_line=line), found)
        self._record(ev.RiskEliminationProposed, meta, facts)

    def eliminate_risk(self, e: el.RiskEliminated, meta: Meta, rules: LifecycleRules) -> None:
        found = self._check_can_be_eliminated()
        if not imported_decision(meta):
            case = self._case(e.elimination_id, "elimination")
            found += self._notice_irregularities(e.elimination_id, case, rules)
        line = self._line(e.decided_on, rules)
        self._record(ev.RiskEliminated, meta, _with(_facts(e, monitoring_line=line), found))

    def revert_elimination(
        self, e: el.RiskEliminationReverted, meta: Meta, rules: LifecycleRules
    ) -> None:
        if self.monitoring_status != RISK_ELIMINATED or (
            self.last_elimination_id != e.elimination_id
        ):
            raise _fail("NOT_ELIMINATED", f"{e.elimination_id} is not standing")
        self._record(ev.RiskEliminationReverted, meta, e)

    def set_safety_net_mark(
        self, e: el.SafetyNetMarkSet, meta: Meta, rules: LifecycleRules
    ) -> None:
        if self.monitoring_status != MONITORED:
            raise _fail("NOT_MONITORED", f"{self.household_id} is {self.monitoring_status}")
        if self.safety_net_marked:
            raise _fail("SAFETY_NET_ALREADY_MARKED", self.household_id)
        self._record(ev.SafetyNetMarkSet, meta, e)

    def remove_safety_net_mark(
        self, e: el.SafetyNetMarkRemoved, meta: Meta, rules: LifecycleRules
    ) -> None:
        if not self.safety_net_marked:
            raise _fail("SAFETY_NET_NOT_MARKED", self.household_id)
        self._record(ev.SafetyNetMarkRemoved, meta, e)

    # --- corrections --------------------------------------------------------------------
    def correct(
        self, e: CorrectionOf, meta: Meta, rules: LifecycleRules, correctable: frozenset[str]
    ) -> None:
        """Retract or amend a recorded fact of a `correctable` type; only its own source,
        or the county, may correct a record."""
        if e.target_event_type not in correctable:
            raise _fail("CORRECTION_NOT_ALLOWED", f"{e.target_event_type} is a decision")
        if meta.source_system not in (e.target_source_system, "county_system"):
            raise _fail(
                "CORRECTION_NOT_ALLOWED",
                f"{meta.source_system} may not correct {e.target_source_system}",
            )
        extra: dict[str, Any] = {
            "target_event_type": e.target_event_type,
            "target_source_system": e.target_source_system,
        }
        if e.amended_payload is not None:
            extra["amended_payload"] = e.amended_payload
        retracted = isinstance(e.correction, c.EventRetracted)
        self._record(
            ev.EventRetracted if retracted else ev.EventAmended,
            meta,
            _facts(e.correction, **extra),
        )


_TOPIC = get_topic(Household)  # a registration's originator_topic, as `_create` sets it
