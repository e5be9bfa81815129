"""The public notice (公示) of a case, as posted in the village: what the village may see.

It never shows an ID number, a phone, a bank account or a health status (DOMAIN.md);
risks that would reveal a member's health are not named either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

HEALTH_REVEALING_RISKS = {"illness", "disability"}
PURPOSE = {
    "identification": "proposed for identification as a monitored household (拟纳入监测对象)",
    "elimination": "proposed for risk elimination (拟风险消除)",
}


def render_public_notice(
    events: Sequence[Any], notice_id: str, min_notice_days: int
) -> dict[str, Any] | None:
    """The notice's public content from the household's events, or None if no such notice."""
    posted = next(
        (
            e
            for e in events
            if e.event_type == "public_notice_posted" and e.facts["notice_id"] == notice_id
        ),
        None,
    )
    if posted is None:
        return None
    registered = events[0].facts
    members = {m["person_id"]: m for m in registered["members"]}
    for e in events:
        if e.event_type in ("member_added", "member_changed"):
            m = e.facts["member"]
            if e.facts.get("left_household"):
                members.pop(m["person_id"], None)
            else:
                members[m["person_id"]] = m
    head = next((m for m in members.values() if m["relation_to_head"] == "head"), None)
    case_id = posted.facts["case_id"]
    risks: list[str] = []
    for e in events:
        if e.event_type == "risk_lead_registered" and e.facts["lead_id"] == case_id:
            risks = e.facts["risk_types"]
    first_day = date.fromisoformat(posted.facts["posted_on"])
    return {
        "notice_id": notice_id,
        "village_code": registered["village_code"],
        "household_head": head["name"] if head else None,
        "household_size": len(members),
        "case_kind": posted.facts["case_kind"],
        "purpose": PURPOSE[posted.facts["case_kind"]],
        "risks": [r for r in risks if r not in HEALTH_REVEALING_RISKS]
        + (
            ["(a risk not shown: personal information)"]
            if set(risks) & HEALTH_REVEALING_RISKS
            else []
        ),
        "posted_on": first_day.isoformat(),
        "objections_until": (first_day + timedelta(days=min_notice_days)).isoformat(),
        "place": posted.facts.get("place", ""),
        "objections_to": "the village committee or the township",
    }
