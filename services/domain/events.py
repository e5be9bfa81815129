"""The Household's stored domain events. Each `apply` only assigns state: it runs again on
every load, so it decides nothing. State stays bounded (cases and measures are few).

This module's path is part of every stored event's topic: do not move or rename a class.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate

TOPIC_PREFIX = f"{__name__}:"  # how every household event's stored topic begins
NOT_MONITORED = "not_monitored"
MONITORED = "monitored"
RISK_ELIMINATED = "risk_eliminated"


class HouseholdEvent(Aggregate.Event):
    """Every stored event carries the envelope's facts of who, when and where from."""

    event_id: str
    event_type: str
    schema_version: int
    household_id: str
    occurred_at: str
    recorded_at: str
    source_system: str
    actor_id: str
    actor_role: str
    facts: dict[str, Any]
    attestation: str = "unverified"  # "signature:<producer>" when the producer's key verified
    import_batch: str | None = None  # a declared historical import's id (events.envelope)


def member_state(member: dict[str, Any]) -> dict[str, Any]:
    # Only what rules need; names and ID numbers stay in the events, not in memory.
    return {
        "labour_capacity": member["labour_capacity"],
        "health": member["health"],
        "in_school": member.get("in_school", False),
    }


class Registered(HouseholdEvent, Aggregate.Created):
    def apply(self, h: Any) -> None:
        h.household_id = self.household_id
        h.village_code = self.facts["village_code"]
        h.household_type = self.facts["household_type"]
        h.members = {m["person_id"]: member_state(m) for m in self.facts["members"]}
        h.monitoring_status = NOT_MONITORED
        h.category = None
        h.risks = []
        h.ever_identified = False
        h.identified_on = None
        h.eliminated_on = None
        h.last_elimination_id = None
        h.eliminated_risks = []
        h.safety_net_marked = False
        h.cases = {}
        h.measures = {}
        h.plans = 0
        h.last_visit_on = None
        h.last_screening_on = None
        h.last_income = None
        h.leaflets = []
        h.corrections = 0


class MemberAdded(HouseholdEvent):
    def apply(self, h: Any) -> None:
        m = self.facts["member"]
        h.members[m["person_id"]] = member_state(m)


class MemberChanged(HouseholdEvent):
    def apply(self, h: Any) -> None:
        m = self.facts["member"]
        if self.facts.get("left_household"):
            h.members.pop(m["person_id"], None)
        else:
            h.members[m["person_id"]] = member_state(m)


class IncomeAssessed(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.last_income = {
            "year": self.facts["year"],
            "per_capita_net_income_yuan": self.facts["per_capita_net_income_yuan"],
            "below_line": self.facts.get("below_line"),
        }


class VisitRecorded(HouseholdEvent):
    def apply(self, h: Any) -> None:
        day = self.facts["visit_date"]
        h.last_visit_on = max(day, h.last_visit_on or day)


class ScreeningRecorded(HouseholdEvent):
    def apply(self, h: Any) -> None:
        day = self.facts["screening_date"]
        h.last_screening_on = max(day, h.last_screening_on or day)


class PolicyLeafletDelivered(HouseholdEvent):
    def apply(self, h: Any) -> None:
        if self.facts["leaflet"] not in h.leaflets:
            h.leaflets.append(self.facts["leaflet"])


class AwarenessSurveyAnswered(HouseholdEvent):
    pass  # a fact for the awareness rate (R1.3)


class DepartmentRiskAlertPushed(HouseholdEvent):
    pass  # a fact for the audit trail and the compliance engine (R3.1, R3.2)


class DepartmentFactReported(HouseholdEvent):
    pass  # allowances, deaths, dropouts…: facts the compliance engine weighs (R2.3)


class CadreRelativeRegistered(HouseholdEvent):
    pass  # the favoritism register (F1.*): read by the compliance engine


class CadreRelativeEnded(HouseholdEvent):
    pass


class RiskLeadRegistered(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["lead_id"]] = new_case("identification", self.facts["reported_on"])


class HouseholdConsentSigned(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["lead_id"]]["consent"] = True


class DataComparisonRequested(HouseholdEvent):
    pass


class DataComparisonReturned(HouseholdEvent):
    pass


class VillageReviewHeld(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["case_id"]]["village_review"] = self.facts["outcome"]


class PublicNoticePosted(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["case_id"]]["notice"] = {
            "notice_id": self.facts["notice_id"],
            "posted_on": self.facts["posted_on"],
            "closed_on": None,
            "open_objections": [],
        }


class ObjectionRaised(HouseholdEvent):
    def apply(self, h: Any) -> None:
        notice_of(h, self.facts["notice_id"])["open_objections"].append(self.facts["objection_id"])


class ObjectionResolved(HouseholdEvent):
    def apply(self, h: Any) -> None:
        notice_of(h, self.facts["notice_id"])["open_objections"].remove(self.facts["objection_id"])


class PublicNoticeClosed(HouseholdEvent):
    def apply(self, h: Any) -> None:
        notice_of(h, self.facts["notice_id"])["closed_on"] = self.facts["closed_on"]


class TownshipReviewDone(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["case_id"]]["township_review"] = self.facts["outcome"]


class Identified(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases.pop(self.facts["lead_id"], None)
        h.monitoring_status = MONITORED
        h.category = self.facts["category"]
        h.risks = list(self.facts["risks"])
        h.ever_identified = True
        h.identified_on = self.facts["decided_on"]
        h.eliminated_on = None


class LeadDismissed(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases.pop(self.facts["lead_id"], None)


class NationalSystemEntryRecorded(HouseholdEvent):
    pass


class AssistancePlanAdopted(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.plans += 1


class AssistanceMeasureStarted(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.measures[self.facts["measure_id"]] = {
            "measure_type": self.facts["measure_type"],
            "started_on": self.facts["started_on"],
            "verified": False,
            "ended_on": None,
        }


class AssistanceMeasureVerified(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.measures[self.facts["measure_id"]]["verified"] = True


class AssistanceMeasureEnded(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.measures[self.facts["measure_id"]]["ended_on"] = self.facts["ended_on"]


class RiskEliminationProposed(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases[self.facts["elimination_id"]] = new_case("elimination", self.facts["proposed_on"])


class RiskEliminated(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.cases.pop(self.facts["elimination_id"], None)
        h.monitoring_status = RISK_ELIMINATED
        h.eliminated_on = self.facts["decided_on"]
        h.last_elimination_id = self.facts["elimination_id"]
        h.eliminated_risks, h.risks = h.risks, []


class RiskEliminationReverted(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.monitoring_status = MONITORED
        h.eliminated_on = None
        h.last_elimination_id = None
        h.risks, h.eliminated_risks = h.eliminated_risks, []


class SafetyNetMarkSet(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.safety_net_marked = True


class SafetyNetMarkRemoved(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.safety_net_marked = False


class EventRetracted(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.corrections += 1


class EventAmended(HouseholdEvent):
    def apply(self, h: Any) -> None:
        h.corrections += 1


def new_case(kind: str, opened_on: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "opened_on": opened_on,
        "consent": False,
        "village_review": None,
        "notice": None,
        "township_review": None,
    }


def notice_of(h: Any, notice_id: str) -> dict[str, Any]:
    for case in h.cases.values():
        if case["notice"] and case["notice"]["notice_id"] == notice_id:
            return case["notice"]  # type: ignore[no-any-return]
    raise KeyError(notice_id)
