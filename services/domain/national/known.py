"""What dixian knows of a household as of a day, as the export's view of it: folded from its
stored events (those the system knew of by that day, corrections applied), each field with
the events that say it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from services.domain.compliance.facts import RecordedEvent
from services.domain.corrections import CORRECTIONS, corrections, recorded_by
from services.domain.national.records import View


def known_view(events: Iterable[RecordedEvent], as_of: date | None = None) -> View | None:
    """The household as its events known by `as_of` (all, if None) say, with the corrections
    known by then: a retracted event left out, an amended one read as amended (the event's
    evidence stays its own id); None if unregistered."""
    view: View | None = None
    known = recorded_by(list(events), as_of)
    retracted, amended = corrections(known)
    for e in known:
        if e.event_id in retracted or e.event_type in CORRECTIONS:
            continue
        f = amended.get(e.event_id, e.facts)
        if e.event_type == "household_registered":
            view = View(e.household_id, f["village_code"], f["household_type"])
            view.members = {m["person_id"]: m for m in f["members"]}
            _say(view, e, "household_type", "members")
        elif view is not None:
            _apply(view, e, f)
    return view


def _say(view: View, e: RecordedEvent, *fields: str) -> None:
    for name in fields:
        said = view.evidence.setdefault(name, [])
        if e.event_id not in said:
            said.append(e.event_id)


def _apply(view: View, e: RecordedEvent, f: dict[str, Any]) -> None:
    t = e.event_type
    if t == "member_added":
        view.members[f["member"]["person_id"]] = f["member"]
        _say(view, e, "members")
    elif t == "member_changed":
        if f.get("left_household"):
            view.members.pop(f["member"]["person_id"], None)
        else:
            view.members[f["member"]["person_id"]] = f["member"]
        _say(view, e, "members")
    elif t == "income_assessed":
        view.income = Decimal(str(f["per_capita_net_income_yuan"])).quantize(Decimal("0.01"))
        view.evidence["income"] = [e.event_id]
    elif t == "identification_decided" and f["outcome"] == "identified":
        view.status, view.category = "monitored", f["category"]
        view.risks = tuple(f["risks"])
        view.identified_on, view.eliminated_on = date.fromisoformat(f["decided_on"]), None
        view.evidence["status"] = [e.event_id]
    elif t == "risk_eliminated":
        view.status, view.eliminated_on = "risk_eliminated", date.fromisoformat(f["decided_on"])
        _say(view, e, "status")
    elif t == "risk_elimination_reverted":
        view.status, view.eliminated_on = "monitored", None
        _say(view, e, "status")
    elif t == "department_fact_reported" and f["kind"] == "unsafe_housing":
        view.unsafe_housing = True
        _say(view, e, "unsafe_housing")
    elif t == "department_fact_reported" and f["kind"] == "unsafe_drinking_water":
        view.unsafe_water = True
        _say(view, e, "unsafe_water")
