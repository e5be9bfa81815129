"""Visits, screenings and publicity: what cadres saw and told the household."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from events.codes import LeafletKind, RiskType
from events.common import Text, Yuan
from events.envelope import Contract


class VisitFindings(Contract):
    """What a visitor or screener found at the household."""

    income_estimate_yuan: Yuan | None = Field(default=None, description="Per-capita estimate.")
    compulsory_education_secure: bool = Field(description="三保障: schooling secure.")
    basic_medical_care_secure: bool = Field(description="三保障: medical care secure.")
    housing_safe: bool = Field(description="三保障: housing safe.")
    drinking_water_safe: bool = Field(description="饮水安全.")
    risks_found: list[RiskType] = Field(default_factory=list, description="Risks seen.")
    notes: Text = Field(default="", description="Free text.")


class VisitRecorded(Contract):
    """A home visit (走访) by a cadre, grid worker or helper."""

    visitor_id: str = Field(min_length=1, max_length=64, description="Person who visited.")
    team: str = Field(default="", max_length=64, description="Team of the visitor.")
    visit_date: date = Field(description="Day of the visit.")
    findings: VisitFindings = Field(description="What was found.")


class ScreeningRecorded(Contract):
    """The household's screening in a campaign (集中排查)."""

    campaign: str = Field(min_length=1, max_length=64, description="Campaign name or code.")
    screener_id: str = Field(min_length=1, max_length=64, description="Person who screened.")
    screening_date: date = Field(description="Day of the screening.")
    findings: VisitFindings = Field(description="What was found.")


class PolicyLeafletDelivered(Contract):
    """A policy leaflet (明白纸) handed to the household."""

    leaflet: LeafletKind = Field(description="Which leaflet.")
    delivered_on: date = Field(description="Day of delivery.")
    received_by: str = Field(min_length=1, max_length=64, description="Member who received it.")


class AwarenessSurveyAnswered(Contract):
    """The household's answers to a policy-awareness survey (知晓率)."""

    survey_id: str = Field(min_length=1, max_length=64, description="Survey round.")
    answered_on: date = Field(description="Day of the answers.")
    questions: int = Field(ge=1, le=1000, description="Questions asked.")
    correct_answers: int = Field(ge=0, le=1000, description="Questions answered correctly.")
    aware: bool = Field(description="Whether the household counts as aware.")
