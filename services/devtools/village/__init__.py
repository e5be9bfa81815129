"""One synthetic village's events: five households through the lifecycle's real procedures,
plus messages that must be rejected. Deterministic for a given run id."""

from __future__ import annotations

from services.devtools import steps
from services.devtools.steps import findings
from services.devtools.village import households
from services.devtools.village.script import (
    CADRE,
    COUNTY,
    HELPER,
    PLACES_FILE,
    TOWNSHIP,
    VILLAGE,
    Message,
    VillageScript,
    by,
    department,
    member,
)

__all__ = [
    "CADRE",
    "COUNTY",
    "HELPER",
    "PLACES_FILE",
    "TOWNSHIP",
    "VILLAGE",
    "Message",
    "VillageScript",
    "by",
    "department",
    "findings",
    "member",
    "village_messages",
]


def village_messages(run: str) -> list[Message]:
    """The demo village: five households, and messages that break the contract or the
    lifecycle, each with the reason code it must be rejected with."""
    s = VillageScript(run)
    h1, h2, h3, h4, h5 = (s.hid(i) for i in range(1, 6))
    first = households.falls_ill_is_identified_eliminated_and_reverted(s, h1)
    households.applies_and_is_dismissed(s, h2)
    households.has_a_birth_visits_and_corrections(s, h3)
    households.objection_then_safety_net(s, h4)
    households.loses_a_member_and_gets_a_notice_too_short(s, h5)

    # The producer resends H1's registration: absorbed, not stored twice.
    s.send(h1, first, "duplicate")

    # Messages that break the contract, the permissions or the lifecycle.
    s.send(h2, b"\x00\x01 not json at all", "NOT_JSON")
    s.send(h2, {"event_type": "visit_recorded", "household_id": h2}, "ENVELOPE_INVALID")
    s.emit("lottery_won", h2, "2025-03-01", {}, expect="UNKNOWN_EVENT_TYPE")
    bad = member("P203", "张小", "2001-01-01", 23, "son")
    # an ID number malformed beyond use (17 characters); one with a wrong check digit only
    # is accepted, and found by R8.1 (id_number_invalid)
    bad["id_number"] = bad["id_number"][:17]
    s.emit(
        "member_added",
        h2,
        "2025-03-01",
        {"member": bad, "reason": "return"},
        expect="PAYLOAD_INVALID",
    )
    dismissal = steps.lead_dismissed(s.id("L", 2), "2025-07-01", "n/a")
    s.step(h2, dismissal, who=department("civil_affairs"), expect="PRODUCER_NOT_PERMITTED")
    proposal = steps.risk_elimination_proposed(s.id("E", 2), "2025-08-01", "n/a")
    s.step(h2, proposal, expect="NOT_MONITORED")
    started = steps.assistance_measure_started(
        s.id("M", 3), "employment", "human_resources", "unemployment", "2025-08-01"
    )
    s.step(h3, started, expect="NEVER_IDENTIFIED")
    unknown = steps.visit_recorded("cadre-li", "2025-03-01", findings("unknown household"))
    s.step(s.hid(9), unknown, expect="HOUSEHOLD_NOT_REGISTERED")
    visit = steps.visit_recorded("cadre-li", "2025-03-01", findings("key mismatch"))
    wrong_key = s.envelope(visit.event_type, h3, visit.day, visit.payload)
    s.send(h4, wrong_key, "KEY_MISMATCH")
    return s.messages
