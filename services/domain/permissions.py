"""Producer permissions: which source system may emit which event types.

Civil affairs can report an allowance granted, not decide an identification. The matrix is
configuration (DIXIAN_PERMISSIONS_FILE, a JSON object source → [event types]); the default
below follows who does each step in the seed's procedure.
"""

from __future__ import annotations

import json
from pathlib import Path

from events.catalog import EVENT_TYPES
from services.domain.corrections import CORRECTIONS

DEPARTMENT_STEPS = (
    "department_risk_alert_pushed",
    "department_fact_reported",
    "data_comparison_returned",
    "assistance_measure_started",
    "assistance_measure_verified",
    "assistance_measure_ended",
    *CORRECTIONS,
)

DEPARTMENTS = (
    "civil_affairs",
    "medical_insurance",
    "education",
    "housing",
    "water",
    "human_resources",
    "disabled_persons",
    "emergency_management",
    "public_security",
    "rural_revitalization",
)

DEFAULT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # The cadres' apps: village committee, work team, grid workers, helpers.
    "village_app": (
        "household_registered",
        "member_added",
        "member_changed",
        "income_assessed",
        "visit_recorded",
        "screening_recorded",
        "policy_leaflet_delivered",
        "awareness_survey_answered",
        "risk_lead_registered",
        "household_consent_signed",
        "data_comparison_requested",
        "village_review_held",
        "public_notice_posted",
        "objection_raised",
        "objection_resolved",
        "public_notice_closed",
        "assistance_plan_adopted",
        "assistance_measure_started",
        "assistance_measure_verified",
        "assistance_measure_ended",
        "risk_elimination_proposed",
        *CORRECTIONS,
    ),
    # The township reviews, and marks the safety-net households (镇村进行认定后标注).
    "township_system": (
        "township_review_done",
        "safety_net_mark_set",
        "safety_net_mark_removed",
        "data_comparison_requested",
        "assistance_measure_verified",
        "cadre_relative_registered",
        "cadre_relative_ended",
        *CORRECTIONS,
    ),
    # The county decides and enters decisions in the national system.
    "county_system": (
        "identification_decided",
        "risk_eliminated",
        "risk_elimination_reverted",
        "national_system_entry_recorded",
        "assistance_plan_adopted",
        "cadre_relative_registered",  # the organisation department keeps the register
        "cadre_relative_ended",
        *CORRECTIONS,
    ),
    **{department: DEPARTMENT_STEPS for department in DEPARTMENTS},
}


class Permissions:
    """The matrix, checked for every message."""

    def __init__(self, matrix: dict[str, tuple[str, ...]] | None = None) -> None:
        matrix = DEFAULT_PERMISSIONS if matrix is None else matrix
        unknown = {t for types in matrix.values() for t in types} - set(EVENT_TYPES)
        if unknown:
            raise ValueError(f"the permissions name unknown event types: {sorted(unknown)}")
        self.matrix = {source: frozenset(types) for source, types in matrix.items()}

    def refusal(self, source_system: str, event_type: str) -> tuple[str, str] | None:
        """None if allowed, else (reason code, sentence)."""
        allowed = self.matrix.get(source_system)
        if allowed is None:
            return "SOURCE_UNKNOWN", f"{source_system!r} is not a known producer"
        if event_type not in allowed:
            return "PRODUCER_NOT_PERMITTED", f"{source_system} may not emit {event_type}"
        return None

    @classmethod
    def from_file(cls, path: Path) -> Permissions:
        return cls({k: tuple(v) for k, v in json.loads(path.read_text()).items()})
