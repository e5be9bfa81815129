"""A Household driven step by step exactly as the intake drives it (facts validated by the
payload model, then dumped as JSON values), without any store: the steps of its
procedures, and the household rebuilt from what it stored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from builders import DAY, HID, decide_raw, facts, meta
from eventsourcing.application import Application

from services.domain import events as ev
from services.domain.household import Household
from services.domain.rules import LifecycleRules

RULES = LifecycleRules()
REGISTERED_ON = "2025-03-01"
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_of(given: dict[str, Any]) -> str:
    """The day an event happened: the latest day its payload names (the alert's push, not
    the risk's onset), else the builders' day."""
    days = [v for v in given.values() if isinstance(v, str) and _ISO_DAY.fullmatch(v)]
    return max(days, default=DAY)


def registered(household_id: str = HID, **over: Any) -> Household:
    return decide_raw(
        None,
        meta("household_registered", household_id, REGISTERED_ON),
        facts("household_registered", **over),
        RULES,
    )


def do(
    h: Household,
    event_type: str,
    rules: LifecycleRules = RULES,
    extra: dict[str, Any] | None = None,
    day: str | None = None,
    **over: Any,
) -> None:
    """Decide one event on the household, on the day its payload names unless `day` says;
    `extra` adds facts the intake resolves itself (a correction's target_event_type)."""
    given = facts(event_type, **over)
    m = meta(event_type, h.household_id, day or day_of(given))
    decide_raw(h, m, given | (extra or {}), rules)


def correction(target_event_type: str, source: str = "village_app") -> dict[str, Any]:
    return {"target_event_type": target_event_type, "target_source_system": source}


def noticed(
    h: Household,
    case_id: str,
    kind: str,
    notice_id: str,
    posted_on: str,
    closed_on: str | None,
) -> None:
    """Village review and public notice of a case (closed unless closed_on is None)."""
    common = {"case_id": case_id, "case_kind": kind}
    do(h, "village_review_held", **common, held_on=posted_on)
    do(h, "public_notice_posted", **common, notice_id=notice_id, posted_on=posted_on)
    if closed_on is not None:
        do(h, "public_notice_closed", notice_id=notice_id, closed_on=closed_on)
        do(h, "township_review_done", **common, reviewed_on=closed_on)


def identified(h: Household, lead_id: str = "L1", notice_id: str = "N1") -> Household:
    """The whole identification procedure of the seed, ending in the county's decision."""
    do(h, "risk_lead_registered", lead_id=lead_id)
    do(h, "household_consent_signed", lead_id=lead_id)
    do(h, "data_comparison_requested", lead_id=lead_id)
    do(h, "data_comparison_returned", lead_id=lead_id)
    noticed(h, lead_id, "identification", notice_id, "2025-03-27", "2025-04-02")
    do(h, "identification_decided", lead_id=lead_id)
    return h


def eliminated(h: Household, elimination_id: str = "E1", notice_id: str = "N2") -> Household:
    """Elimination through its own procedure, on a monitored household."""
    do(h, "risk_elimination_proposed", elimination_id=elimination_id)
    noticed(h, elimination_id, "elimination", notice_id, "2025-11-03", "2025-11-09")
    do(h, "risk_eliminated", elimination_id=elimination_id)
    return h


def last_event(h: Household) -> ev.HouseholdEvent:
    """The event the last decision recorded."""
    pending = h.pending_events
    assert pending, "no event was recorded"
    event = pending[-1]
    assert isinstance(event, ev.HouseholdEvent)
    return event


def state(h: Household) -> dict[str, Any]:
    """The household's public state, with its id and version."""
    public = {k: v for k, v in vars(h).items() if not k.startswith("_")}
    return public | {"id": h.id, "version": h.version}


MAPPER = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def replayed(events: Iterable[Any], h: Household | None = None) -> Household:
    """The household rebuilt from its events (onto `h`, if given), each through the stored
    form first."""
    for e in events:
        h = MAPPER.to_domain_event(MAPPER.to_stored_event(e)).mutate(h)
    assert isinstance(h, Household)
    return h


def from_snapshot(h: Household) -> Household:
    """The household rebuilt from a snapshot of it, through the stored form."""
    return replayed([Household.Snapshot.take(h)])
