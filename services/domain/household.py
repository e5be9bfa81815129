"""The Household aggregate: decides whether an event can happen, and records it.

Public methods check the lifecycle, then trigger a named domain event; each event's
``apply`` only assigns state, because it runs again every time the aggregate is loaded.
The state is bounded (no lists that grow with history), so memory stays flat.

This module's path is part of every stored event's topic: do not move it.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.domain.errors import LifecycleViolation

_HOUSEHOLD_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:household")

NOT_MONITORED = "not_monitored"
MONITORED = "monitored"
RISK_ELIMINATED = "risk_eliminated"


def household_uuid(household_id: str) -> UUID:
    """The aggregate id of a household number: stable, so every worker computes the same."""
    return uuid5(_HOUSEHOLD_NAMESPACE, household_id)


class Household(Aggregate):
    """One rural household (农户) and where it stands in the monitoring lifecycle.

    State (assigned by the events' ``apply``; not annotated here, because the library turns
    annotated attributes into constructor arguments): household_id, village_code,
    household_type, members, monitoring_status, category, risks, open_leads,
    ever_identified, identified_on, eliminated_on, last_visit_on, measure_ids.
    """

    class Event(Aggregate.Event):
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

    class Registered(Event, Aggregate.Created):
        def apply(self, h: Household) -> None:
            h.household_id = self.household_id
            h.village_code = self.facts["village_code"]
            h.household_type = self.facts["household_type"]
            h.members = {m["person_id"]: _member_state(m) for m in self.facts["members"]}
            h.monitoring_status = NOT_MONITORED
            h.category = None
            h.risks = []
            h.open_leads = {}
            h.ever_identified = False
            h.identified_on = None
            h.eliminated_on = None
            h.last_visit_on = None
            h.measure_ids = {}

    class MemberAdded(Event):
        def apply(self, h: Household) -> None:
            m = self.facts["member"]
            h.members[m["person_id"]] = _member_state(m)

    class MemberChanged(Event):
        def apply(self, h: Household) -> None:
            m = self.facts["member"]
            if self.facts.get("left_household"):
                h.members.pop(m["person_id"], None)
            else:
                h.members[m["person_id"]] = _member_state(m)

    class VisitRecorded(Event):
        def apply(self, h: Household) -> None:
            day = self.facts["visit_date"]
            h.last_visit_on = max(day, h.last_visit_on or day)

    class DepartmentRiskAlertPushed(Event):
        pass  # a fact for the audit trail and the compliance engine; no lifecycle change

    class RiskLeadRegistered(Event):
        def apply(self, h: Household) -> None:
            h.open_leads[self.facts["lead_id"]] = self.facts["reported_on"]

    class Identified(Event):
        def apply(self, h: Household) -> None:
            h.open_leads.pop(self.facts["lead_id"], None)
            h.monitoring_status = MONITORED
            h.category = self.facts["category"]
            h.risks = list(self.facts["risks"])
            h.ever_identified = True
            h.identified_on = self.facts["decided_on"]
            h.eliminated_on = None

    class LeadDismissed(Event):
        def apply(self, h: Household) -> None:
            h.open_leads.pop(self.facts["lead_id"], None)

    class AssistanceMeasureRecorded(Event):
        def apply(self, h: Household) -> None:
            h.measure_ids[self.facts["measure_id"]] = self.facts["started_on"]

    class RiskEliminated(Event):
        def apply(self, h: Household) -> None:
            h.monitoring_status = RISK_ELIMINATED
            h.eliminated_on = self.facts["decided_on"]
            h.risks = []

    # event_type (the public contract) → the method that decides it
    DECIDERS: ClassVar[dict[str, str]] = {
        "member_added": "add_member",
        "member_changed": "change_member",
        "visit_recorded": "record_visit",
        "department_risk_alert_pushed": "record_department_alert",
        "risk_lead_registered": "register_lead",
        "identification_decided": "decide_identification",
        "assistance_measure_recorded": "record_measure",
        "risk_eliminated": "eliminate_risk",
    }

    @classmethod
    def register(cls, meta: dict[str, Any], facts: dict[str, Any]) -> Household:
        """A new household; `meta` holds the envelope's fields (see Event)."""
        return cls._create(
            cls.Registered, id=household_uuid(meta["household_id"]), **meta, facts=facts
        )

    def decide(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        """Apply the event named by meta['event_type'] if the lifecycle allows it."""
        event_type = meta["event_type"]
        if event_type == "household_registered":
            raise LifecycleViolation(
                "HOUSEHOLD_ALREADY_REGISTERED", f"{self.household_id} is registered already"
            )
        getattr(self, self.DECIDERS[event_type])(meta, facts)

    def add_member(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if facts["member"]["person_id"] in self.members:
            raise LifecycleViolation("MEMBER_ALREADY_PRESENT", facts["member"]["person_id"])
        self.trigger_event(self.MemberAdded, **meta, facts=facts)

    def change_member(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if facts["member"]["person_id"] not in self.members:
            raise LifecycleViolation("MEMBER_NOT_FOUND", facts["member"]["person_id"])
        self.trigger_event(self.MemberChanged, **meta, facts=facts)

    def record_visit(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        # A late or irregular visit is still a fact; judging it is the compliance engine's job.
        self.trigger_event(self.VisitRecorded, **meta, facts=facts)

    def record_department_alert(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        self.trigger_event(self.DepartmentRiskAlertPushed, **meta, facts=facts)

    def register_lead(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if facts["lead_id"] in self.open_leads:
            raise LifecycleViolation("LEAD_ALREADY_REGISTERED", facts["lead_id"])
        self.trigger_event(self.RiskLeadRegistered, **meta, facts=facts)

    def decide_identification(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if facts["lead_id"] not in self.open_leads:
            raise LifecycleViolation(
                "LEAD_NOT_OPEN", f"lead {facts['lead_id']} is not open for {self.household_id}"
            )
        if facts["outcome"] == "dismissed":
            self.trigger_event(self.LeadDismissed, **meta, facts=facts)
            return
        if self.monitoring_status == MONITORED:
            raise LifecycleViolation(
                "ALREADY_MONITORED", f"{self.household_id} is monitored since {self.identified_on}"
            )
        self.trigger_event(self.Identified, **meta, facts=facts)

    def record_measure(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if not self.ever_identified:
            raise LifecycleViolation("NEVER_IDENTIFIED", f"{self.household_id}")
        if facts["measure_id"] in self.measure_ids:
            raise LifecycleViolation("MEASURE_ALREADY_RECORDED", facts["measure_id"])
        self.trigger_event(self.AssistanceMeasureRecorded, **meta, facts=facts)

    def eliminate_risk(self, meta: dict[str, Any], facts: dict[str, Any]) -> None:
        if self.monitoring_status != MONITORED:
            raise LifecycleViolation(
                "NOT_MONITORED", f"{self.household_id} is {self.monitoring_status}"
            )
        self.trigger_event(self.RiskEliminated, **meta, facts=facts)


def _member_state(member: dict[str, Any]) -> dict[str, Any]:
    # Only what rules need; names and ID numbers stay in the events, not in memory.
    return {
        "labour_capacity": member["labour_capacity"],
        "health": member["health"],
        "in_school": member.get("in_school", False),
    }
