"""Risk elimination (风险消除) and the safety-net mark (兜底保障标注)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from events.codes import EliminationKind
from events.common import Text, Yuan
from events.envelope import Contract


class RiskEliminationProposed(Contract):
    """A proposal to eliminate the household's risk: the elimination case it opens."""

    elimination_id: str = Field(min_length=1, max_length=64, description="Case id.")
    proposed_on: date = Field(description="Day of the proposal.")
    kind: EliminationKind = Field(description="stable (稳定消除) or natural (自然消除).")
    per_capita_net_income_yuan: Yuan | None = Field(default=None, description="Assessed.")
    grounds: Text = Field(description="Why the risk is gone.")


class RiskEliminated(Contract):
    """The county decides the household's risk is eliminated."""

    elimination_id: str = Field(min_length=1, max_length=64, description="The case.")
    kind: EliminationKind = Field(description="stable or natural.")
    decided_on: date = Field(description="Day of the decision.")
    per_capita_net_income_yuan: Yuan | None = Field(default=None, description="Assessed.")


class RiskEliminationReverted(Contract):
    """An elimination is reverted (风险消除回退): the household is monitored again."""

    elimination_id: str = Field(min_length=1, max_length=64, description="The case reverted.")
    reverted_on: date = Field(description="Day of the reversal.")
    reason: Text = Field(description="Why.")


class SafetyNetMarkSet(Contract):
    """Whole household without labour capacity, living on social security: marked, not
    eliminated (整户无劳动能力兜底保障户)."""

    marked_on: date = Field(description="Day of the mark.")
    evidence_refs: list[str] = Field(min_length=1, description="Documents behind it.")
    grounds: Text = Field(description="Why the household qualifies.")


class SafetyNetMarkRemoved(Contract):
    """The mark is removed (e.g. a member regains labour capacity)."""

    removed_on: date = Field(description="Day of removal.")
    reason: Text = Field(description="Why.")
