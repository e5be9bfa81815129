"""Lifecycle violations and the stable reason codes the intake reports for them."""

from __future__ import annotations

# Stable reason codes of the lifecycle, with what the producer should do about each.
LIFECYCLE_REASONS: dict[str, str] = {
    "HOUSEHOLD_NOT_REGISTERED": "Register the household (household_registered) first.",
    "HOUSEHOLD_ALREADY_REGISTERED": "The household exists; send member or visit events instead.",
    "MEMBER_ALREADY_PRESENT": "The person is already a member; send member_changed.",
    "MEMBER_NOT_FOUND": "The person is not a member; send member_added first.",
    "LEAD_ALREADY_REGISTERED": "This lead id was registered before; use a new lead id.",
    "LEAD_NOT_OPEN": "Decide only a lead that is registered and not yet decided.",
    "ALREADY_MONITORED": "The household is already monitored; a second identification "
    "cannot be opened until its risk is eliminated.",
    "NEVER_IDENTIFIED": "A measure needs a household that has been identified as monitored.",
    "MEASURE_ALREADY_RECORDED": "This measure id was recorded before; use a new measure id.",
    "NOT_MONITORED": "Only a monitored household can have its risk eliminated.",
}


class LifecycleViolation(Exception):
    """The event cannot happen to the household as it stands; `code` is stable."""

    def __init__(self, code: str, detail: str) -> None:
        assert code in LIFECYCLE_REASONS, code
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
