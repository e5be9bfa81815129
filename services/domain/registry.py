"""Every event type in one table: its contract model and version (events.catalog), the
Household command that decides it, the domain events it can become, whether it is a fact a
correction may target, and which producers may send it by default. The permissions'
default matrix, the corrections' rule and the intake's dispatch are read from here; the
projections and the compliance digest key their handlers by the same names, and a test
checks that every type is handled or declared not read by each of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from events.catalog import EVENT_TYPES
from services.domain import events as ev
from services.domain.errors import LifecycleViolation
from services.domain.household import Household, Meta
from services.domain.rules import LifecycleRules

Command = Callable[[Household, Any, Meta, LifecycleRules], None]

VILLAGE, TOWNSHIP, COUNTY = "village_app", "township_system", "county_system"
NATIONAL = "national_system"  # a declared historical import of its exports (issue 17)
DEPARTMENTS = (
    "civil_affairs",
    "medical_insurance",
    "education",
    "housing",
    "water",
    "human_resources",
    "disabled_persons",
    "emergency_management",
    "public_security",
    "rural_revitalization",
)
EVERYONE = (VILLAGE, TOWNSHIP, COUNTY, *DEPARTMENTS)


@dataclass(frozen=True, slots=True)
class EventKind:
    name: str
    command: Command | None  # None: the registration, which creates the household
    stored: tuple[type[ev.HouseholdEvent], ...]  # the domain events it can become
    producers: tuple[str, ...]  # the sources the default permissions let send it
    correctable: bool = False  # a recorded fact, which a retraction or amendment may target
    fact: bool = False  # only a fact: nothing but the household's existence stands in its way

    @property
    def model(self) -> type[BaseModel]:
        return EVENT_TYPES[self.name][0]

    @property
    def version(self) -> int:
        return EVENT_TYPES[self.name][1]


def _correct(h: Household, e: Any, meta: Meta, rules: LifecycleRules) -> None:
    h.correct(e, meta, rules, CORRECTABLE)


H = Household
KINDS: dict[str, EventKind] = {
    k.name: k
    for k in (
        # who the household is
        EventKind("household_registered", None, (ev.Registered,), (VILLAGE, NATIONAL)),
        EventKind("member_added", H.add_member, (ev.MemberAdded,), (VILLAGE, NATIONAL)),
        EventKind("member_changed", H.change_member, (ev.MemberChanged,), (VILLAGE, NATIONAL)),
        EventKind(
            "income_assessed", H.assess_income, (ev.IncomeAssessed,), (VILLAGE, NATIONAL), True
        ),
        # visits, screenings, publicity: facts
        EventKind(
            "visit_recorded", H.record_visit, (ev.VisitRecorded,), (VILLAGE,), True, fact=True
        ),
        EventKind(
            "screening_recorded",
            H.record_screening,
            (ev.ScreeningRecorded,),
            (VILLAGE,),
            True,
            fact=True,
        ),
        EventKind(
            "policy_leaflet_delivered",
            H.deliver_leaflet,
            (ev.PolicyLeafletDelivered,),
            (VILLAGE,),
            True,
            fact=True,
        ),
        EventKind(
            "awareness_survey_answered",
            H.answer_survey,
            (ev.AwarenessSurveyAnswered,),
            (VILLAGE,),
            True,
            fact=True,
        ),
        # departments
        EventKind(
            "department_risk_alert_pushed",
            H.push_alert,
            (ev.DepartmentRiskAlertPushed,),
            DEPARTMENTS,
            True,
            fact=True,
        ),
        EventKind(
            "department_fact_reported",
            H.report_department_fact,
            (ev.DepartmentFactReported,),
            (*DEPARTMENTS, NATIONAL),
            True,
            fact=True,
        ),
        # identification, and the review and notice steps shared with elimination
        EventKind("risk_lead_registered", H.register_lead, (ev.RiskLeadRegistered,), (VILLAGE,)),
        EventKind(
            "household_consent_signed", H.sign_consent, (ev.HouseholdConsentSigned,), (VILLAGE,)
        ),
        EventKind(
            "data_comparison_requested",
            H.request_data_comparison,
            (ev.DataComparisonRequested,),
            (VILLAGE, TOWNSHIP),
        ),
        EventKind(
            "data_comparison_returned",
            H.return_data_comparison,
            (ev.DataComparisonReturned,),
            DEPARTMENTS,
            True,
        ),
        EventKind(
            "village_review_held", H.hold_village_review, (ev.VillageReviewHeld,), (VILLAGE,)
        ),
        EventKind("public_notice_posted", H.post_notice, (ev.PublicNoticePosted,), (VILLAGE,)),
        EventKind("objection_raised", H.raise_objection, (ev.ObjectionRaised,), (VILLAGE,)),
        EventKind("objection_resolved", H.resolve_objection, (ev.ObjectionResolved,), (VILLAGE,)),
        EventKind("public_notice_closed", H.close_notice, (ev.PublicNoticeClosed,), (VILLAGE,)),
        EventKind(
            "township_review_done", H.review_at_township, (ev.TownshipReviewDone,), (TOWNSHIP,)
        ),
        EventKind(
            "identification_decided",
            H.decide_identification,
            (ev.Identified, ev.LeadDismissed),
            (COUNTY, NATIONAL),
        ),
        EventKind(
            "national_system_entry_recorded",
            H.record_national_entry,
            (ev.NationalSystemEntryRecorded,),
            (COUNTY,),
        ),
        # assistance
        EventKind(
            "assistance_plan_adopted",
            H.adopt_plan,
            (ev.AssistancePlanAdopted,),
            (VILLAGE, COUNTY),
        ),
        EventKind(
            "assistance_measure_started",
            H.start_measure,
            (ev.AssistanceMeasureStarted,),
            (VILLAGE, *DEPARTMENTS),
        ),
        EventKind(
            "assistance_measure_verified",
            H.verify_measure,
            (ev.AssistanceMeasureVerified,),
            (VILLAGE, TOWNSHIP, *DEPARTMENTS),
            True,
        ),
        EventKind(
            "assistance_measure_ended",
            H.end_measure,
            (ev.AssistanceMeasureEnded,),
            (VILLAGE, *DEPARTMENTS),
        ),
        # elimination and the safety net
        EventKind(
            "risk_elimination_proposed",
            H.propose_elimination,
            (ev.RiskEliminationProposed,),
            (VILLAGE,),
        ),
        EventKind("risk_eliminated", H.eliminate_risk, (ev.RiskEliminated,), (COUNTY, NATIONAL)),
        EventKind(
            "risk_elimination_reverted",
            H.revert_elimination,
            (ev.RiskEliminationReverted,),
            (COUNTY,),
        ),
        EventKind(
            "safety_net_mark_set", H.set_safety_net_mark, (ev.SafetyNetMarkSet,), (TOWNSHIP,)
        ),
        EventKind(
            "safety_net_mark_removed",
            H.remove_safety_net_mark,
            (ev.SafetyNetMarkRemoved,),
            (TOWNSHIP,),
        ),
        # the register of cadres and their relatives (the organisation department's)
        EventKind(
            "cadre_relative_registered",
            H.register_cadre_relative,
            (ev.CadreRelativeRegistered,),
            (TOWNSHIP, COUNTY),
            True,
            fact=True,
        ),
        EventKind(
            "cadre_relative_ended",
            H.end_cadre_relative,
            (ev.CadreRelativeEnded,),
            (TOWNSHIP, COUNTY),
            True,
            fact=True,
        ),
        # corrections: nothing is edited, a new event says what was wrong
        EventKind("event_retracted", _correct, (ev.EventRetracted,), EVERYONE),
        EventKind("event_amended", _correct, (ev.EventAmended,), EVERYONE),
    )
}

CORRECTABLE = frozenset(name for name, k in KINDS.items() if k.correctable)
FACTS = {name: k.stored[0] for name, k in KINDS.items() if k.fact}


def decide(h: Household | None, payload: Any, meta: Meta, rules: LifecycleRules) -> Household:
    """The household after the event: registered by it, or decided on; LifecycleViolation
    if it cannot happen."""
    kind = KINDS[meta.event_type]
    if h is None:
        if kind.command is not None:
            raise LifecycleViolation(
                "HOUSEHOLD_NOT_REGISTERED", f"{meta.household_id} is not registered"
            )
        return Household.register(payload, meta, rules)
    if kind.command is None:
        raise LifecycleViolation("HOUSEHOLD_ALREADY_REGISTERED", f"{h.household_id} is registered")
    kind.command(h, payload, meta, rules)
    return h


def default_permissions() -> dict[str, tuple[str, ...]]:
    """source → the event types it may send, as the table above says."""
    matrix: dict[str, list[str]] = {}
    for name, k in KINDS.items():
        for source in k.producers:
            matrix.setdefault(source, []).append(name)
    return {source: tuple(types) for source, types in matrix.items()}
