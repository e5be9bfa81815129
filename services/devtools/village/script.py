"""The tools the demo village is written with: envelopes, members, who acts."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from events.identity import check_digit
from services.devtools import steps
from services.devtools.steps import Step

CST = timezone(timedelta(hours=8))
VILLAGE = "610326101201"  # a village of a Shaanxi county: the seed's 7,300-yuan line applies
# The demo's place names: made up (a demo is no real village), carried by its registrations;
# places.json beside this module is the same as a county's code table (DIXIAN_PLACES_FILE).
PLACE_NAMES = {"county_name": "示范县", "township_name": "青山镇", "village_name": "柳湾村"}
PLACES_FILE = Path(__file__).with_name("places.json")


def by(source: str, person: str, role: str) -> dict[str, Any]:
    return {"source": source, "actor": {"person_id": person, "role": role}}


CADRE = by("village_app", "cadre-li", "village_cadre")
HELPER = by("village_app", "helper-chen", "assigned_helper")
TOWNSHIP = by("township_system", "township-wu", "township_official")
COUNTY = by("county_system", "county-zhao", "county_official")


def department(name: str) -> dict[str, Any]:
    return by(name, f"{name}-system", "department_system")


@dataclass(frozen=True, slots=True)
class Message:
    key: bytes | None
    value: bytes
    expect: str  # "accepted", "duplicate" or the reason code it must be rejected with


def id_number(region: str, born: date, seq: int, female: bool) -> str:
    first17 = f"{region[:6]}{born:%Y%m%d}{seq:02d}{(2 if female else 1) + (seq % 4) * 2}"
    return first17 + check_digit(first17)


def member(pid: str, name: str, born: str, seq: int, relation: str, **kw: Any) -> dict[str, Any]:
    return {
        "person_id": pid,
        "name": name,
        "id_number": id_number(VILLAGE, date.fromisoformat(born), seq, kw.pop("female", False)),
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

    def id(self, prefix: str, n: int) -> str:
        return f"{prefix}-{self.run}-{n}"

    def envelope(self, event_type: str, hid: str, day: str, payload: dict[str, Any], **kw: Any):
        self.n += 1
        d = date.fromisoformat(day)
        occurred = datetime(d.year, d.month, d.day, 10, 0, tzinfo=CST)
        who = kw.pop("who", CADRE)
        return {
            "event_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-demo:{self.run}:{self.n}")),
            "event_type": event_type,
            "schema_version": 1,
            "household_id": hid,
            "occurred_at": occurred.isoformat(),
            "recorded_at": (occurred + timedelta(hours=kw.pop("late_hours", 2))).isoformat(),
            "source_system": who["source"],
            "actor": who["actor"],
            "payload": payload,
            # a year of a village's history, loaded today: a declared historical import
            "import_batch": f"demo-{self.run}",
        }

    def emit(
        self, event_type: str, hid: str, day: str, payload: dict[str, Any], **kw: Any
    ) -> dict[str, Any]:
        expect = kw.pop("expect", "accepted")
        env = self.envelope(event_type, hid, day, payload, **kw)
        self.send(hid, env, expect)
        return env

    def retired(self) -> None:
        """A message the script once sent and no longer does (a step the intake refused then
        and would accept now, issue #18): its number stays taken, so that the ids of the
        messages after it, and the streams stored from them, do not move."""
        self.n += 1

    def step(self, hid: str, step: Step, **kw: Any) -> dict[str, Any]:
        """Emit one step of the household's on its day (who acts and what to expect in kw)."""
        return self.emit(step.event_type, hid, step.day, step.payload, **kw)

    def send(self, key: str | None, body: Any, expect: str) -> None:
        value = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.messages.append(Message(key.encode() if key else None, value, expect))

    def notice(self, hid: str, case_id: str, kind: str, posted: str, closed: str, n: int) -> str:
        """Village review, a public notice from `posted` to `closed`, and township review."""
        notice_id = self.id("N", n)
        participants = ["cadre-li", "villager rep. 1", "villager rep. 2"]
        minutes = "the household's situation was discussed"
        self.step(
            hid, steps.village_review_held(case_id, kind, posted, participants, minutes=minutes)
        )
        self.step(hid, steps.public_notice_posted(notice_id, case_id, kind, posted))
        self.step(hid, steps.public_notice_closed(notice_id, closed))
        self.step(
            hid, steps.township_review_done(case_id, kind, closed, "township-wu"), who=TOWNSHIP
        )
        return notice_id
