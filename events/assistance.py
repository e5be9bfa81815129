"""Assistance (帮扶): the plan, and each measure started, verified and ended."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from events.codes import Department, MeasureType, RiskType
from events.common import Text, Yuan
from events.envelope import Contract


class PlannedMeasure(Contract):
    measure_type: MeasureType = Field(description="Kind of measure.")
    addresses_risks: list[RiskType] = Field(min_length=1, description="Risks it answers.")
    responsible_department: Department = Field(description="Who carries it out.")


class AssistancePlanAdopted(Contract):
    """An assistance plan (帮扶计划) for a monitored household."""

    plan_id: str = Field(min_length=1, max_length=64, description="Plan number.")
    adopted_on: date = Field(description="Day of adoption.")
    measures: list[PlannedMeasure] = Field(min_length=1, description="Measures planned.")


class AssistanceMeasureStarted(Contract):
    """A measure starts (帮扶措施)."""

    measure_id: str = Field(min_length=1, max_length=64, description="Measure number.")
    plan_id: str | None = Field(default=None, max_length=64, description="Its plan, if any.")
    measure_type: MeasureType = Field(description="Kind of measure.")
    responsible_department: Department = Field(description="Who carries it out.")
    addresses_risks: list[RiskType] = Field(min_length=1, description="Risks it answers.")
    started_on: date = Field(description="Start day.")
    amount_yuan: Yuan | None = Field(default=None, description="Money involved, if any.")


class AssistanceMeasureVerified(Contract):
    """Someone checked that the measure really happened (no 数字帮扶)."""

    measure_id: str = Field(min_length=1, max_length=64, description="The measure.")
    verified_on: date = Field(description="Day of the check.")
    verifier_id: str = Field(min_length=1, max_length=64, description="Who checked.")
    evidence_refs: list[str] = Field(min_length=1, description="Photos, receipts, records.")
    amount_received_yuan: Yuan | None = Field(default=None, description="What arrived.")


class AssistanceMeasureEnded(Contract):
    """A measure ends."""

    measure_id: str = Field(min_length=1, max_length=64, description="The measure.")
    ended_on: date = Field(description="End day.")
    reason: Text = Field(description="Why it ended.")
