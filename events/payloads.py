"""One pydantic model per event type: the payload a producer puts in the envelope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from events.codes import (
    Department,
    EliminationKind,
    HealthStatus,
    HouseholdType,
    IdentificationOutcome,
    LabourCapacity,
    LeadChannel,
    MeasureType,
    MonitoringCategory,
    RiskType,
)
from events.envelope import Contract
from events.identity import is_valid_id_number

REGION_CODE = r"^\d{12}$"


def _id_number(value: str) -> str:
    if not is_valid_id_number(value):
        raise ValueError("not an 18-character ID number with a valid GB 11643 check digit")
    return value.upper()


IdNumber = Annotated[str, AfterValidator(_id_number)]
Yuan = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class Member(Contract):
    """A member of the household as the national system records one."""

    person_id: str = Field(min_length=1, max_length=64, description="Person number.")
    name: str = Field(min_length=1, max_length=64, description="Name (personal information).")
    id_number: IdNumber = Field(description="18-digit ID number, GB 11643 check digit.")
    relation_to_head: str = Field(min_length=1, max_length=32, description="e.g. head, spouse.")
    labour_capacity: LabourCapacity = Field(description="劳动能力.")
    health: HealthStatus = Field(description="健康状况 (personal information).")
    in_school: bool = Field(default=False, description="Currently in compulsory schooling.")


class HouseholdRegistered(Contract):
    """A rural household enters the system with its village and members."""

    village_code: str = Field(pattern=REGION_CODE, description="12-digit village region code.")
    household_type: HouseholdType = Field(description="Lifted (脱贫户) or ordinary (一般农户).")
    members: list[Member] = Field(min_length=1, description="Members at registration.")


class MemberAdded(Contract):
    """A member joins (birth, marriage, return)."""

    member: Member = Field(description="The new member.")
    reason: str = Field(min_length=1, max_length=64, description="birth, marriage, return…")


class MemberChanged(Contract):
    """A member's record changes or the member leaves (death, migration, marriage out)."""

    member: Member = Field(description="The member as it now stands.")
    reason: str = Field(min_length=1, max_length=64, description="death, migration, update…")
    left_household: bool = Field(default=False, description="The member no longer belongs.")


class VisitFindings(Contract):
    """What a visitor found at the household."""

    income_estimate_yuan: Yuan | None = Field(default=None, description="Per-capita estimate.")
    compulsory_education_secure: bool = Field(description="三保障: schooling secure.")
    basic_medical_care_secure: bool = Field(description="三保障: medical care secure.")
    housing_safe: bool = Field(description="三保障: housing safe.")
    drinking_water_safe: bool = Field(description="饮水安全.")
    risks_found: list[RiskType] = Field(default_factory=list, description="Risks seen.")
    notes: str = Field(default="", max_length=2000, description="Free text.")


class VisitRecorded(Contract):
    """A home visit (走访) by a cadre or helper."""

    visitor_id: str = Field(min_length=1, max_length=64, description="Person who visited.")
    team: str = Field(default="", max_length=64, description="Team of the visitor.")
    visit_date: date = Field(description="Day of the visit.")
    findings: VisitFindings = Field(description="What was found.")


class DepartmentRiskAlertPushed(Contract):
    """A department's data screening flags a risk for the household (部门预警)."""

    alert_id: str = Field(min_length=1, max_length=64, description="The department's alert id.")
    department: Department = Field(description="The pushing department.")
    risk_type: RiskType = Field(description="The risk.")
    risk_arose_on: date = Field(description="When the risk arose.")
    pushed_on: date = Field(description="When the department pushed the alert.")
    details: str = Field(default="", max_length=2000, description="Free text.")


class RiskLeadRegistered(Contract):
    """A risk lead (风险线索) is registered for verification."""

    lead_id: str = Field(min_length=1, max_length=64, description="Lead number.")
    channel: LeadChannel = Field(description="How the lead arose.")
    risk_types: list[RiskType] = Field(min_length=1, description="Risks reported.")
    reported_on: date = Field(description="When the lead was reported.")
    alert_id: str | None = Field(default=None, description="The alert it came from, if any.")
    description: str = Field(default="", max_length=2000, description="Free text.")


class IdentificationDecided(Contract):
    """The county decides a lead: identify the household as monitored, or dismiss the lead."""

    lead_id: str = Field(min_length=1, max_length=64, description="The lead decided.")
    outcome: IdentificationOutcome = Field(description="identified or dismissed.")
    decided_on: date = Field(description="Day of the county decision.")
    category: MonitoringCategory | None = Field(default=None, description="If identified.")
    risks: list[RiskType] = Field(default_factory=list, description="Risks 1..n, if identified.")
    dismissal_reason: str | None = Field(default=None, max_length=2000, description="If not.")
    per_capita_net_income_yuan: Yuan | None = Field(default=None, description="Assessed.")
    monitoring_line_yuan: Yuan | None = Field(default=None, description="The line compared.")

    @model_validator(mode="after")
    def _outcome_has_its_fields(self) -> IdentificationDecided:
        if self.outcome is IdentificationOutcome.IDENTIFIED and (
            self.category is None or not self.risks
        ):
            raise ValueError("an identification needs a category and at least one risk")
        if self.outcome is IdentificationOutcome.DISMISSED and not self.dismissal_reason:
            raise ValueError("a dismissal needs a reason")
        return self


class AssistanceMeasureRecorded(Contract):
    """An assistance measure (帮扶措施) for a monitored household."""

    measure_id: str = Field(min_length=1, max_length=64, description="Measure number.")
    measure_type: MeasureType = Field(description="Kind of measure.")
    responsible_department: Department = Field(description="Who carries it out.")
    addresses_risks: list[RiskType] = Field(min_length=1, description="Risks it answers.")
    started_on: date = Field(description="Start day.")
    amount_yuan: Yuan | None = Field(default=None, description="Money involved, if any.")


class RiskEliminated(Contract):
    """The county decides the household's risk is eliminated (风险消除)."""

    kind: EliminationKind = Field(description="stable (稳定消除) or natural (自然消除).")
    decided_on: date = Field(description="Day of the decision.")
    per_capita_net_income_yuan: Yuan | None = Field(default=None, description="Assessed.")
    monitoring_line_yuan: Yuan | None = Field(default=None, description="The line compared.")
