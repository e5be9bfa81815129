"""The projections dixian runs, by name (what `dixian projections rebuild NAME` accepts)."""

from __future__ import annotations

from projections.audit_log import AuditLogProjection
from projections.audit_trail import AuditTrail
from projections.household_state import HouseholdState
from projections.ledger_trail import LedgerTrail
from projections.personal_data_reads import PersonalDataReads
from projections.problem_ledger import ProblemLedger
from projections.runner import Projection

PROJECTIONS: dict[str, type[Projection]] = {
    HouseholdState.name: HouseholdState,
    AuditTrail.name: AuditTrail,
    AuditLogProjection.name: AuditLogProjection,  # type: ignore[dict-item]
    LedgerTrail.name: LedgerTrail,
    ProblemLedger.name: ProblemLedger,
    PersonalDataReads.name: PersonalDataReads,
}
