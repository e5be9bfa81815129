"""What dixian knows of a household, for the comparison and the import, takes corrections
into account as the other as-of views do: a retracted income is not known, an amended one is
known as amended — and a correction received after the day compared does not count yet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from builders.payloads import VILLAGE

from services.domain.compliance.facts import RecordedEvent
from services.domain.national.known import known_view

HID = f"{VILLAGE}0001"


def event(eid: str, kind: str, day: str, facts: dict[str, Any]) -> RecordedEvent:
    at = f"{day}T00:00:00+08:00"
    return RecordedEvent(eid, kind, HID, at, at, "p1", "village_cadre", facts)


REGISTERED = event(
    "e1", "household_registered", "2025-01-02",
    {"village_code": VILLAGE, "household_type": "ordinary", "members": []},
)  # fmt: skip


def income(eid: str, day: str, yuan: str) -> RecordedEvent:
    return event(eid, "income_assessed", day, {"per_capita_net_income_yuan": yuan})


AMENDED = {"per_capita_net_income_yuan": "6500"}


def test_a_retracted_income_is_not_known_and_an_amended_one_is_known_as_amended() -> None:
    history = [
        REGISTERED,
        income("e2", "2025-02-01", "6000.00"),
        income("e3", "2025-03-01", "9000.00"),
        event("e4", "event_retracted", "2025-04-01", {"target_event_id": "e3"}),
        event(
            "e5",
            "event_amended",
            "2025-05-01",
            {"target_event_id": "e2", "amended_payload": {"per_capita_net_income_yuan": "6500"}},
        ),
    ]
    view = known_view(history)
    assert view is not None and view.income == Decimal("6500.00")
    assert view.evidence["income"] == ["e2"]
    before = known_view(history, date(2025, 4, 15))  # retracted by then, not yet amended
    assert before is not None and before.income == Decimal("6000.00")
    earlier = known_view(history, date(2025, 3, 15))  # nothing corrected yet
    assert earlier is not None and earlier.income == Decimal("9000.00")
