"""Identification (识别认定): a risk lead through verification, review and public notice to
the county's decision. Review, notice and township steps serve risk elimination too."""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from events.codes import (
    CaseKind,
    Department,
    IdentificationOutcome,
    LeadChannel,
    MonitoringCategory,
    ReviewOutcome,
    RiskType,
)
from events.common import CaseId, Text, Yuan
from events.envelope import Contract


class RiskLeadRegistered(Contract):
    """A risk lead (风险线索) is registered: the identification case it opens has its id."""

    lead_id: str = Field(min_length=1, max_length=64, description="Lead number (the case id).")
    channel: LeadChannel = Field(description="How the lead arose.")
    risk_types: list[RiskType] = Field(min_length=1, description="Risks reported.")
    reported_on: date = Field(description="When the lead was reported.")
    alert_id: str | None = Field(default=None, description="The alert it came from, if any.")
    description: Text = Field(default="", description="Free text.")


class HouseholdConsentSigned(Contract):
    """The household signs its commitment and authorisation (承诺授权) for verification."""

    lead_id: CaseId
    signed_on: date = Field(description="Day of signature.")
    signed_by: str = Field(min_length=1, max_length=64, description="Member who signed.")


class DataComparisonRequested(Contract):
    """Verification data is requested from departments (信息比对)."""

    lead_id: CaseId
    requested_on: date = Field(description="Day of the request.")
    departments: list[Department] = Field(min_length=1, description="Departments asked.")


class DataComparisonReturned(Contract):
    """A department's comparison result comes back."""

    lead_id: CaseId
    returned_on: date = Field(description="Day of the answer.")
    department: Department = Field(description="The answering department.")
    findings: Text = Field(description="What the department's data shows.")
    per_capita_income_found_yuan: Yuan | None = Field(default=None, description="If any.")


class VillageReviewHeld(Contract):
    """Village democratic review (民主评议) of a case."""

    case_id: CaseId
    case_kind: CaseKind = Field(description="identification or elimination.")
    held_on: date = Field(description="Day of the review.")
    participants: list[str] = Field(min_length=1, description="Who took part.")
    outcome: ReviewOutcome = Field(description="approved or returned.")
    minutes: Text = Field(default="", description="Minutes of the meeting.")


class PublicNoticePosted(Contract):
    """The village public notice (公示) of a case; once per case."""

    notice_id: str = Field(min_length=1, max_length=64, description="Notice number.")
    case_id: CaseId
    case_kind: CaseKind = Field(description="identification or elimination.")
    posted_on: date = Field(description="First day of the notice.")
    place: str = Field(default="村务公开栏", max_length=200, description="Where.")


class ObjectionRaised(Contract):
    """Someone objects to a notice."""

    notice_id: str = Field(min_length=1, max_length=64, description="The notice objected to.")
    objection_id: str = Field(min_length=1, max_length=64, description="Objection number.")
    raised_on: date = Field(description="Day it was raised.")
    summary: Text = Field(description="What the objection says.")


class ObjectionResolved(Contract):
    """An objection is answered."""

    notice_id: str = Field(min_length=1, max_length=64, description="The notice.")
    objection_id: str = Field(min_length=1, max_length=64, description="The objection.")
    resolved_on: date = Field(description="Day it was resolved.")
    upheld: bool = Field(description="Whether the objection was found right.")
    resolution: Text = Field(description="How it was resolved.")


class PublicNoticeClosed(Contract):
    """The notice period ends."""

    notice_id: str = Field(min_length=1, max_length=64, description="The notice.")
    closed_on: date = Field(
        description="Day the notice was taken down; it ran closed_on - posted_on days."
    )


class TownshipReviewDone(Contract):
    """The township reviews a case (乡镇审核)."""

    case_id: CaseId
    case_kind: CaseKind = Field(description="identification or elimination.")
    reviewed_on: date = Field(description="Day of the review.")
    reviewer_id: str = Field(min_length=1, max_length=64, description="Township official.")
    outcome: ReviewOutcome = Field(description="approved or returned.")
    remarks: Text = Field(default="", description="Free text.")


class IdentificationDecided(Contract):
    """The county decides a lead: identify the household as monitored, or dismiss the lead."""

    lead_id: CaseId
    outcome: IdentificationOutcome = Field(description="identified or dismissed.")
    decided_on: date = Field(description="Day of the county decision.")
    category: MonitoringCategory | None = Field(default=None, description="If identified.")
    risks: list[RiskType] = Field(default_factory=list, description="Risks 1..n, if identified.")
    dismissal_reason: Text | None = Field(default=None, description="If dismissed.")
    per_capita_net_income_yuan: Yuan | None = Field(default=None, description="Assessed.")

    @model_validator(mode="after")
    def _outcome_has_its_fields(self) -> IdentificationDecided:
        if self.outcome is IdentificationOutcome.IDENTIFIED and (
            self.category is None or not self.risks
        ):
            raise ValueError("an identification needs a category and at least one risk")
        if self.outcome is IdentificationOutcome.DISMISSED and not self.dismissal_reason:
            raise ValueError("a dismissal needs a reason")
        return self


class NationalSystemEntryRecorded(Contract):
    """The decision is entered in the national information system."""

    case_id: CaseId
    entered_on: date = Field(description="Day of entry.")
    system_record_id: str = Field(min_length=1, max_length=64, description="Its record id.")
