"""What department systems push: risk alerts and facts about households."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from events.codes import Department, DepartmentFactKind, RiskType
from events.common import Text, Yuan
from events.envelope import Contract


class DepartmentRiskAlertPushed(Contract):
    """A department's data screening flags a risk for the household (部门预警)."""

    alert_id: str = Field(min_length=1, max_length=64, description="The department's alert id.")
    department: Department = Field(description="The pushing department.")
    risk_type: RiskType = Field(description="The risk.")
    risk_arose_on: date = Field(description="When the risk arose.")
    pushed_on: date = Field(description="When the department pushed the alert.")
    details: Text = Field(default="", description="Free text.")


class DepartmentFactReported(Contract):
    """A fact from a department: an allowance granted or ended, a death, a dropout…"""

    fact_id: str = Field(min_length=1, max_length=64, description="The department's record id.")
    department: Department = Field(description="The reporting department.")
    kind: DepartmentFactKind = Field(description="What happened.")
    effective_on: date = Field(description="When it took effect.")
    person_id: str | None = Field(default=None, max_length=64, description="Member concerned.")
    amount_yuan: Yuan | None = Field(default=None, description="Amount, e.g. medical costs.")
    details: Text = Field(default="", description="Free text.")
