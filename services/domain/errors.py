"""Lifecycle violations and the stable reason codes the intake reports for them."""

from __future__ import annotations

from typing import Any

from events.reasons import ReasonCoded

# Stable reason codes of the lifecycle, with what the producer should do about each.
LIFECYCLE_REASONS: dict[str, str] = {
    "HOUSEHOLD_NOT_REGISTERED": "Register the household (household_registered) first.",
    "HOUSEHOLD_ALREADY_REGISTERED": "The household exists; send member or visit events instead.",
    "MEMBER_ALREADY_PRESENT": "The person is already a member; send member_changed.",
    "MEMBER_NOT_FOUND": "The person is not a member; send member_added first.",
    "LEAD_ALREADY_REGISTERED": "This lead id is open already; use a new lead id.",
    "IDENTIFICATION_ALREADY_OPEN": "Another lead of this household is being identified; "
    "decide it first or add the risk to it.",
    "CASE_ID_IN_USE": "A lead with this id is open; give the elimination a new id.",
    "CASE_NOT_OPEN": "The step names a lead or elimination that is not open.",
    "NOTICE_ALREADY_POSTED": "A case is noticed once; post no second notice.",
    "NOTICE_NOT_FOUND": "The notice id is not an open case's notice.",
    "NOTICE_CLOSED": "The notice is closed; objections are taken while it runs.",
    "OBJECTION_NOT_FOUND": "Resolve only an objection raised and not yet resolved.",
    "NOTICE_NOT_CLOSED": "The township reviews after the public notice closes.",
    "NOTICE_NOT_RUN": "The county decides after the case's public notice has run and closed.",
    "NOTICE_TOO_SHORT": "The public notice ran fewer days than the minimum (R4.1).",
    "OBJECTION_OPEN": "Resolve every objection to the notice before the county decides.",
    "ALREADY_MONITORED": "The household is monitored already; a second identification "
    "cannot be made until its risk is eliminated.",
    "NEVER_IDENTIFIED": "Plans and measures need a household that has been identified.",
    "MEASURE_ALREADY_STARTED": "This measure id was started before; use a new measure id.",
    "MEASURE_NOT_FOUND": "Verify or end only a measure that was started.",
    "MEASURE_ALREADY_ENDED": "The measure has ended already.",
    "NOT_MONITORED": "Only a monitored household can be proposed, eliminated or marked.",
    "SAFETY_NET_MARKED": "A safety-net-marked household is not eliminated (R7.1); remove the "
    "mark first if it no longer applies.",
    "ELIMINATION_ALREADY_OPEN": "An elimination of this household is under way already.",
    "NOT_ELIMINATED": "Revert only the household's last elimination, while it stands.",
    "SAFETY_NET_ALREADY_MARKED": "The household is marked already.",
    "SAFETY_NET_NOT_MARKED": "The household is not marked.",
    "CORRECTION_NOT_ALLOWED": "Correct only recorded facts, from the system that recorded "
    "them (or the county); decisions are undone by their own events (reversal, mark removal).",
}

# What was irregular about a step that did happen: accepted and recorded with it (its facts'
# `irregularities`), never a rejection since issue #18 — the codes keep their meaning in the
# step's record, and the rule whose finding the compliance engine raises from the facts.
IRREGULAR: dict[str, str] = {
    "NOTICE_NOT_CLOSED": "R4.1",  # a township review before the notice closed
    "NOTICE_NOT_RUN": "R4.1",  # a decision without a closed notice (R6.2 for an elimination)
    "NOTICE_TOO_SHORT": "R4.1",  # a notice of fewer days (R6.2 for an elimination)
    "OBJECTION_OPEN": "R4.1",  # decided with an objection open (R6.2 for an elimination)
    "SAFETY_NET_MARKED": "R7.1",  # a marked household proposed or eliminated
}

Irregularities = list[dict[str, str]]


def irregular(found: Irregularities, code: str, detail: str) -> None:
    """Note what was irregular about a step that is nonetheless accepted (IRREGULAR)."""
    assert code in IRREGULAR, code
    found.append({"code": code, "detail": detail})


def with_irregularities(facts: dict[str, Any], found: Irregularities) -> dict[str, Any]:
    return facts | {"irregularities": found} if found else facts


class LifecycleViolation(ReasonCoded):
    """The event cannot happen to the household as it stands; `code` is stable."""

    reasons = LIFECYCLE_REASONS
