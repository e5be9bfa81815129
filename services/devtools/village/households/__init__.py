"""The five households of the demo village, one module each."""

from services.devtools.village.households.corrections import has_a_birth_visits_and_corrections
from services.devtools.village.households.dismissal import applies_and_is_dismissed
from services.devtools.village.households.lifecycle import (
    falls_ill_is_identified_eliminated_and_reverted,
)
from services.devtools.village.households.safety_net import objection_then_safety_net
from services.devtools.village.households.short_notice import (
    loses_a_member_and_gets_a_notice_too_short,
)

__all__ = [
    "applies_and_is_dismissed",
    "falls_ill_is_identified_eliminated_and_reverted",
    "has_a_birth_visits_and_corrections",
    "loses_a_member_and_gets_a_notice_too_short",
    "objection_then_safety_net",
]
