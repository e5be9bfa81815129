"""The events that make dixian's household what the export says: all of them for a household
dixian does not know, only the differences for one it knows (a member added, an income
assessed, an elimination) — never an edit. Each event's id is derived from the import's
batch, the household, the export's date and the event's content, so the same export gives
the same events, byte for byte, however often it is imported."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import orjson

from services.domain.national import NATIONAL_SYSTEM
from services.domain.national.differences import Difference, differences
from services.domain.national.records import View

CHINA = timezone(timedelta(hours=8))
ACTOR = {"person_id": NATIONAL_SYSTEM, "role": "department_system"}
DEPARTMENT = "rural_revitalization"  # the bureau whose system the national system is
_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:national-import")
_NAMESPACE_BYTES = _NAMESPACE.bytes


@dataclass(frozen=True, slots=True)
class Planned:
    event_type: str
    day: date  # when it happened, as the export says
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Unimportable:
    """A difference no event can express (the household type, a category changed while
    monitored, a house no longer unsafe): the comparison reports it."""

    household_id: str
    field: str
    export: Any
    known: Any


def plan(export: View, known: View | None) -> tuple[list[Planned], list[Unimportable]]:
    today = export.data_date or date.today()
    if known is None:
        return _new(export, today), []
    events: list[Planned] = []
    left: list[Unimportable] = []
    for d in differences(export, known):
        made = _change(export, known, d, today)
        if made is None:
            left.append(Unimportable(export.household_id, d.field, d.export, d.known))
        events.extend(made or [])
    return events, left


def _new(x: View, today: date) -> list[Planned]:
    days = [d for d in (x.first_identified_on, x.identified_on, today) if d is not None]
    members = sorted(x.members.values(), key=lambda m: m["relation_to_head"] != "head")
    events = [
        Planned(
            "household_registered",
            min(days),
            {
                "village_code": x.village_code,
                "household_type": x.household_type,
                "members": members,
                **x.names,
            },
        )
    ]
    if x.income is not None:
        events.append(_income(x, today))
    if x.status != "not_monitored":
        events.extend(_identified(x, today))
    events.extend(_facts(x, today, housing=x.unsafe_housing, water=x.unsafe_water))
    return events


def _income(x: View, today: date) -> Planned:
    return Planned(
        "income_assessed",
        today,
        {
            "assessed_on": today.isoformat(),
            "year": today.year,
            "components": {},
            "members_counted": max(len(x.members), 1),
            "per_capita_net_income_yuan": str(x.income),
        },
    )


def _identified(x: View, today: date) -> list[Planned]:
    on = x.identified_on or x.first_identified_on or today
    events = [
        Planned(
            "identification_decided",
            on,
            {
                "lead_id": f"NS-{on.isoformat()}",
                "outcome": "identified",
                "decided_on": on.isoformat(),
                "category": x.category,
                "risks": list(x.risks) or ["other"],
                "per_capita_net_income_yuan": None if x.income is None else str(x.income),
            },
        )
    ]
    if x.status == "risk_eliminated":
        events.append(_eliminated(x, today))
    return events


def _eliminated(x: View, today: date) -> Planned:
    on = x.eliminated_on or today
    return Planned(
        "risk_eliminated",
        on,
        {
            "elimination_id": f"NS-E-{on.isoformat()}",
            "kind": "stable",
            "decided_on": on.isoformat(),
            "per_capita_net_income_yuan": None if x.income is None else str(x.income),
        },
    )


def _facts(x: View, today: date, housing: bool, water: bool) -> list[Planned]:
    kinds = [k for k, on in (("unsafe_housing", housing), ("unsafe_drinking_water", water)) if on]
    return [
        Planned(
            "department_fact_reported",
            today,
            {
                "fact_id": f"NS-{kind}-{today.isoformat()}",
                "department": DEPARTMENT,
                "kind": kind,
                "effective_on": today.isoformat(),
                "details": "全国防止返贫监测信息系统导出数据",
            },
        )
        for kind in kinds
    ]


def _change(x: View, k: View, d: Difference, today: date) -> list[Planned] | None:
    """The events of one difference; [] if another difference's events carry it; None if
    no event can."""
    if d.field == "status":
        if x.status == "not_monitored":
            return None
        if k.status == "monitored":
            return [_eliminated(x, today)]  # the export says the risk is eliminated
        return _identified(x, today)  # identified, or identified again after an elimination
    if d.field in ("category", "risks"):
        return [] if x.status != k.status and k.status != "monitored" else None
    if d.field == "income":
        return [_income(x, today)]
    if d.field in ("unsafe_housing", "unsafe_water"):
        if not d.export:
            return None  # no event says a house or its water became safe
        housing = d.field == "unsafe_housing"
        return _facts(x, today, housing=housing, water=not housing)
    if d.field == "member":
        if d.export:
            return [
                Planned(
                    "member_added", today, {"member": x.members[d.person_id], "reason": "other"}
                )
            ]
        member = k.members[d.person_id]
        return [_member_changed(member, today, left=True)]
    if d.field in ("id_number", "labour_capacity", "member_details"):
        return [_member_changed(x.members[d.person_id], today, left=False)]
    return None  # household_type, eliminated_on


def _member_changed(member: dict[str, Any], today: date, left: bool) -> Planned:
    return Planned(
        "member_changed",
        today,
        {"member": member, "reason": "update", "left_household": left},
    )


def event_uuid(key: str) -> str:
    """uuid5(_NAMESPACE, key) as text, without building a UUID (a large import makes one
    an event): the SHA-1 of the namespace and the key, its version and variant bits set."""
    h = hashlib.sha1(_NAMESPACE_BYTES + key.encode(), usedforsecurity=False).hexdigest()
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


@functools.lru_cache(maxsize=4096)
def _midnight(day: date) -> str:
    return datetime.combine(day, time(), CHINA).isoformat()


def envelope(
    x: View, p: Planned, batch: str, recorded: date, source: str = NATIONAL_SYSTEM
) -> dict[str, Any]:
    """The planned event as the contract's envelope (docs/producers.md), its id derived from
    its content: the same export makes the same bytes."""
    digest = hashlib.sha256(orjson.dumps(p.payload, option=orjson.OPT_SORT_KEYS)).hexdigest()
    key = f"{batch}:{x.household_id}:{p.event_type}:{recorded.isoformat()}:{digest}"
    return {
        "event_id": event_uuid(key),
        "event_type": p.event_type,
        "schema_version": 1,
        "household_id": x.household_id,
        "occurred_at": _midnight(p.day),
        "recorded_at": _midnight(max(recorded, p.day)),
        "source_system": source,
        "actor": ACTOR,
        "payload": p.payload,
        "import_batch": batch,
    }
