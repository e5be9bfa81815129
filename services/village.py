"""One synthetic village's events: a few households through a realistic sequence, plus a few
messages that must be rejected. Deterministic for a given run id."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from events.identity import check_digit

CST = timezone(timedelta(hours=8))
VILLAGE = "532524105201"  # a 12-digit village region code
COUNTY = {
    "actor": {"person_id": "county-zhao", "role": "county_official"},
    "source": "county_system",
}
MEDICAL_INSURANCE = {
    "actor": {"person_id": "mi-system", "role": "department_system"},
    "source": "medical_insurance",
}
PUBLIC_SECURITY = {
    "actor": {"person_id": "ps-system", "role": "department_system"},
    "source": "public_security",
}


@dataclass(frozen=True, slots=True)
class Message:
    key: bytes | None
    value: bytes
    expect: str  # "accepted", "duplicate" or the reason code it must be rejected with


def id_number(region: str, born: date, seq: int, female: bool) -> str:
    first17 = f"{region[:6]}{born:%Y%m%d}{seq:02d}{(2 if female else 1) + (seq % 4) * 2}"
    return first17 + check_digit(first17)


def member(pid: str, name: str, born: date, seq: int, relation: str, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": pid,
        "name": name,
        "id_number": id_number(VILLAGE, born, seq, kw.pop("female", False)),
        "relation_to_head": relation,
        "labour_capacity": kw.pop("labour", "ordinary"),
        "health": kw.pop("health", "healthy"),
        **kw,
    }


class VillageScript:
    """Builds envelopes with ids derived from the run id, so reruns never collide."""

    def __init__(self, run: str) -> None:
        self.run = run
        self.n = 0
        self.messages: list[Message] = []

    def hid(self, n: int) -> str:
        return f"{VILLAGE}{self.run}{n:03d}"

    def envelope(
        self, event_type: str, hid: str, day: date, payload: dict[str, Any], **kw: Any
    ) -> dict[str, Any]:
        self.n += 1
        occurred = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CST)
        return {
            "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-demo:{self.run}:{self.n}")),
            "event_type": event_type,
            "schema_version": 1,
            "household_id": hid,
            "occurred_at": occurred.isoformat(),
            "recorded_at": (occurred + timedelta(hours=kw.pop("late_hours", 2))).isoformat(),
            "source_system": kw.pop("source", "village_app"),
            "actor": kw.pop("actor", {"person_id": "cadre-li", "role": "village_cadre"}),
            "payload": payload,
        }

    def emit(self, event_type: str, hid: str, day: date, payload: dict[str, Any], **kw: Any):
        expect = kw.pop("expect", "accepted")
        env = self.envelope(event_type, hid, day, payload, **kw)
        self.send(hid, env, expect)
        return env

    def send(self, key: str | None, body: Any, expect: str) -> None:
        value = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.messages.append(Message(key.encode() if key else None, value, expect))


def visit(visitor: str, day: date, notes: str, **findings: Any) -> dict[str, Any]:
    base = {
        "compulsory_education_secure": True,
        "basic_medical_care_secure": True,
        "housing_safe": True,
        "drinking_water_safe": True,
        "notes": notes,
    }
    return {
        "visitor_id": visitor,
        "team": "village committee",
        "visit_date": day.isoformat(),
        "findings": {**base, **findings},
    }


def village_messages(run: str) -> list[Message]:
    """The demo village: five households and eight messages that break the contract."""
    s = VillageScript(run)
    d = date(2025, 3, 1)
    h1, h2, h3, h4, h5 = (s.hid(i) for i in range(1, 6))

    # H1: a lifted household; illness, alert, lead, identification, measure, elimination.
    first = s.emit(
        "household_registered",
        h1,
        d,
        {
            "village_code": VILLAGE,
            "household_type": "lifted",
            "members": [
                member("P101", "王建国", date(1968, 4, 2), 11, "head"),
                member("P102", "李秀兰", date(1970, 9, 15), 12, "spouse", female=True),
            ],
        },
    )
    s.emit(
        "visit_recorded",
        h1,
        d + timedelta(days=9),
        visit("cadre-li", d + timedelta(days=9), "income stable", income_estimate_yuan="9800"),
    )
    alert = {
        "alert_id": f"MI-{run}-1",
        "department": "medical_insurance",
        "risk_type": "illness",
        "risk_arose_on": "2025-03-20",
        "pushed_on": "2025-03-23",
        "details": "out-of-pocket medical costs above the threshold",
    }
    s.emit("department_risk_alert_pushed", h1, date(2025, 3, 23), alert, **MEDICAL_INSURANCE)
    s.emit(
        "risk_lead_registered",
        h1,
        date(2025, 3, 24),
        {
            "lead_id": f"L-{run}-1",
            "channel": "department_alert",
            "risk_types": ["illness"],
            "reported_on": "2025-03-24",
            "alert_id": alert["alert_id"],
        },
    )
    s.emit(
        "identification_decided",
        h1,
        date(2025, 4, 7),
        {
            "lead_id": f"L-{run}-1",
            "outcome": "identified",
            "decided_on": "2025-04-07",
            "category": "sudden_hardship",
            "risks": ["illness"],
            "per_capita_net_income_yuan": "6100",
            "monitoring_line_yuan": "7300",
        },
        **COUNTY,
    )
    s.emit(
        "assistance_measure_recorded",
        h1,
        date(2025, 4, 12),
        {
            "measure_id": f"M-{run}-1",
            "measure_type": "medical_aid",
            "responsible_department": "medical_insurance",
            "addresses_risks": ["illness"],
            "started_on": "2025-04-12",
            "amount_yuan": "12000",
        },
    )
    s.emit(
        "visit_recorded",
        h1,
        date(2025, 5, 6),
        visit(
            "cadre-li", date(2025, 5, 6), "recovering; wages resumed", income_estimate_yuan="8200"
        ),
    )
    s.emit(
        "risk_eliminated",
        h1,
        date(2025, 11, 20),
        {
            "kind": "stable",
            "decided_on": "2025-11-20",
            "per_capita_net_income_yuan": "9100",
            "monitoring_line_yuan": "7300",
        },
        **COUNTY,
    )

    # H2: an ordinary household applies; the lead is dismissed with a reason.
    s.emit(
        "household_registered",
        h2,
        d,
        {
            "village_code": VILLAGE,
            "household_type": "ordinary",
            "members": [member("P201", "张伟", date(1980, 1, 30), 21, "head")],
        },
    )
    s.emit(
        "risk_lead_registered",
        h2,
        date(2025, 6, 2),
        {
            "lead_id": f"L-{run}-2",
            "channel": "household_application",
            "risk_types": ["income_drop"],
            "reported_on": "2025-06-02",
        },
        actor={"person_id": "P201", "role": "household"},
    )
    s.emit(
        "identification_decided",
        h2,
        date(2025, 6, 14),
        {
            "lead_id": f"L-{run}-2",
            "outcome": "dismissed",
            "decided_on": "2025-06-14",
            "dismissal_reason": "per-capita net income 11,200 yuan, above the line",
            "per_capita_net_income_yuan": "11200",
            "monitoring_line_yuan": "7300",
        },
        **COUNTY,
    )

    # H3: a lifted household; a birth and monthly visits.
    s.emit(
        "household_registered",
        h3,
        d,
        {
            "village_code": VILLAGE,
            "household_type": "lifted",
            "members": [
                member(
                    "P301",
                    "刘强",
                    date(1975, 7, 7),
                    31,
                    "head",
                    labour="weak",
                    health="chronic_illness",
                )
            ],
        },
    )
    s.emit(
        "member_added",
        h3,
        date(2025, 4, 1),
        {
            "member": member(
                "P302", "刘小雨", date(2025, 3, 28), 32, "child", female=True, labour="none"
            ),
            "reason": "birth",
        },
    )
    for month in (3, 4, 5):
        day = date(2025, month, 15)
        s.emit("visit_recorded", h3, day, visit("helper-chen", day, f"monthly visit {month}"))

    # H4: a cadre's visit finds unsafe housing; identified and still monitored.
    s.emit(
        "household_registered",
        h4,
        d,
        {
            "village_code": VILLAGE,
            "household_type": "ordinary",
            "members": [
                member(
                    "P401",
                    "赵敏",
                    date(1958, 2, 11),
                    41,
                    "head",
                    female=True,
                    labour="lost",
                    health="disabled",
                )
            ],
        },
    )
    s.emit(
        "visit_recorded",
        h4,
        date(2025, 7, 3),
        visit(
            "cadre-li",
            date(2025, 7, 3),
            "roof damaged by the storm",
            housing_safe=False,
            risks_found=["housing"],
        ),
    )
    s.emit(
        "risk_lead_registered",
        h4,
        date(2025, 7, 3),
        {
            "lead_id": f"L-{run}-4",
            "channel": "cadre_visit",
            "risk_types": ["housing"],
            "reported_on": "2025-07-03",
        },
    )
    s.emit(
        "identification_decided",
        h4,
        date(2025, 7, 16),
        {
            "lead_id": f"L-{run}-4",
            "outcome": "identified",
            "decided_on": "2025-07-16",
            "category": "marginal_at_risk",
            "risks": ["housing"],
        },
        **COUNTY,
    )
    s.emit(
        "assistance_measure_recorded",
        h4,
        date(2025, 7, 20),
        {
            "measure_id": f"M-{run}-4",
            "measure_type": "housing_renovation",
            "responsible_department": "housing",
            "addresses_risks": ["housing"],
            "started_on": "2025-07-20",
            "amount_yuan": "35000",
        },
    )

    # H5: a member dies (a fact from public security).
    s.emit(
        "household_registered",
        h5,
        d,
        {
            "village_code": VILLAGE,
            "household_type": "lifted",
            "members": [
                member("P501", "陈涛", date(1950, 5, 5), 51, "head"),
                member("P502", "陈刚", date(1979, 8, 8), 52, "son"),
            ],
        },
    )
    s.emit(
        "member_changed",
        h5,
        date(2025, 9, 9),
        {
            "member": member("P501", "陈涛", date(1950, 5, 5), 51, "head"),
            "reason": "death",
            "left_household": True,
        },
        **PUBLIC_SECURITY,
    )

    # The producer resends H1's registration: absorbed, not stored twice.
    s.send(h1, first, "duplicate")

    # Messages that break the contract or the lifecycle: kept with their reason.
    s.send(h2, b"\x00\x01 not json at all", "NOT_JSON")
    s.send(h2, {"event_type": "visit_recorded", "household_id": h2}, "ENVELOPE_INVALID")
    s.emit("lottery_won", h2, d, {}, expect="UNKNOWN_EVENT_TYPE")
    bad = member("P203", "张小", date(2001, 1, 1), 23, "son")
    bad["id_number"] = bad["id_number"][:17] + ("0" if bad["id_number"][17] != "0" else "1")
    s.emit("member_added", h2, d, {"member": bad, "reason": "return"}, expect="PAYLOAD_INVALID")
    s.emit(
        "risk_eliminated",
        h2,
        date(2025, 8, 1),
        {"kind": "stable", "decided_on": "2025-08-01"},
        expect="NOT_MONITORED",
    )
    s.emit(
        "assistance_measure_recorded",
        h3,
        date(2025, 8, 1),
        {
            "measure_id": f"M-{run}-3",
            "measure_type": "employment",
            "responsible_department": "human_resources",
            "addresses_risks": ["unemployment"],
            "started_on": "2025-08-01",
        },
        expect="NEVER_IDENTIFIED",
    )
    s.emit(
        "visit_recorded",
        s.hid(9),
        d,
        visit("cadre-li", d, "unknown household"),
        expect="HOUSEHOLD_NOT_REGISTERED",
    )
    wrong_key = s.envelope("visit_recorded", h3, d, visit("cadre-li", d, "key mismatch"))
    s.send(h4, wrong_key, "KEY_MISMATCH")
    return s.messages
