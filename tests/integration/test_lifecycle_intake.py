"""The lifecycle's intake checks that need the store: corrections, permissions, bitemporal
state against the live projection."""

from __future__ import annotations

import json
from datetime import date

import pytest
from support import as_raw, count, intake

from projections.household_state import COLUMNS, HouseholdState
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.eventstore import EventStore
from services.adapters.queries import household_events
from services.devtools.village import CADRE, VillageScript, findings, village_messages
from services.domain.timeline import state_on
from services.settings import Settings

pytestmark = pytest.mark.integration


REGISTRATION = {
    "village_code": "610326101201",
    "household_type": "ordinary",
    "members": [
        {
            "person_id": "P",
            "name": "N",
            "id_number": "11010519491231002X",
            "relation_to_head": "head",
            "labour_capacity": "ordinary",
            "health": "healthy",
        }
    ],
}


def reasons(store: EventStore) -> dict[int, str]:
    with store.connection() as conn:
        rows = conn.execute('SELECT "offset", reason_code FROM intake_rejected').fetchall()
    return {r["offset"]: r["reason_code"] for r in rows}


def test_corrections_must_name_an_accepted_event_of_the_same_household(
    store: EventStore,
) -> None:
    s = VillageScript("C1")
    h1, h2 = s.hid(1), s.hid(2)
    for h in (h1, h2):
        s.emit(
            "household_registered",
            h,
            "2025-03-01",
            REGISTRATION,
        )
    v = s.emit(
        "visit_recorded",
        h1,
        "2025-03-05",
        {"visitor_id": "c", "visit_date": "2025-03-05", "findings": findings("ok")},
    )
    s.emit(
        "event_retracted",
        h2,
        "2025-03-06",
        {"target_event_id": v["event_id"], "reason": "wrong household"},
    )
    s.emit(
        "event_retracted",
        h1,
        "2025-03-06",
        {"target_event_id": "00000000-0000-0000-0000-000000000000", "reason": "no such event"},
    )
    s.emit(
        "event_amended",
        h1,
        "2025-03-06",
        {
            "target_event_id": v["event_id"],
            "reason": "bad",
            "amended_payload": {"visit_date": "not a date"},
        },
    )
    s.emit(
        "event_amended",
        h1,
        "2025-03-06",
        {
            "target_event_id": v["event_id"],
            "reason": "it was the 4th",
            "amended_payload": v["payload"] | {"visit_date": "2025-03-04"},
        },
    )
    raw = as_raw(s.messages, "events", 1)  # one partition: the order as sent

    outcome = intake(store, 10).process(raw)

    assert outcome.accepted == 4
    assert list(reasons(store).values()) == [
        "CORRECTION_TARGET_UNKNOWN",
        "CORRECTION_TARGET_UNKNOWN",
        "PAYLOAD_INVALID",
    ]
    amended = [e for _, e in household_events(store, h1) if e.event_type == "event_amended"]
    assert amended[0].facts["target_event_type"] == "visit_recorded"
    assert amended[0].facts["amended_payload"]["visit_date"] == "2025-03-04"


def test_a_producer_outside_the_permissions_is_rejected_and_kept(store: EventStore) -> None:
    s = VillageScript("C2")
    s.emit(
        "household_registered",
        s.hid(1),
        "2025-03-01",
        REGISTRATION,
        who={"source": "civil_affairs", "actor": CADRE["actor"]},
    )
    intake(store, 10).process(as_raw(s.messages, "events", 1))
    assert list(reasons(store).values()) == ["PRODUCER_NOT_PERMITTED"]
    assert count(store, "SELECT count(*) FROM intake_rejected WHERE message_value IS NOT NULL") == 1


def test_the_live_projection_honours_corrections_and_equals_the_state_as_of_now(
    settings: Settings, store: EventStore
) -> None:
    intake(store, 100).process(as_raw(village_messages("C3"), "events"))
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, HouseholdState(), 7)
        runner.setup()
        runner.catch_up()
        with pool.connection() as conn:
            live = conn.execute("SELECT * FROM household_state ORDER BY household_id").fetchall()
    for row in live:
        live_row = dict(zip(COLUMNS, row, strict=True))
        computed = state_on([e for _, e in household_events(store, live_row["household_id"])])
        assert computed is not None
        for column in (
            "monitoring_status",
            "last_visit_on",
            "correction_count",
            "risks",
            "safety_net_marked",
            "member_count",
            "version",
        ):
            want = computed[column]
            got = live_row[column]
            assert (str(got) if isinstance(got, date) else got) == want, column
    h3 = next(dict(zip(COLUMNS, r, strict=True)) for r in live if r[0].endswith("C3003"))
    assert (str(h3["last_visit_on"]), h3["correction_count"]) == ("2025-05-16", 2)
    assert json.loads(json.dumps(h3["risks"])) == []
