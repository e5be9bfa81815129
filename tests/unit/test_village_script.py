"""The demo village, replayed in memory through the intake's own parsing and decisions."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from fakes import process_in_memory
from household_steps import replayed, state

from events.catalog import CONTRACT_REASONS
from services.devtools.village import VILLAGE, village_messages
from services.domain.errors import LIFECYCLE_REASONS
from services.domain.household import MONITORED, NOT_MONITORED, Household
from services.usecases.intake.unit_of_work import RawMessage


@dataclass
class Replay:
    """What the intake decided for each message, and the households it built."""

    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (expected, got)
    households: dict[str, Household] = field(default_factory=dict)
    stored: int = 0  # events stored
    events: dict[str, list[Any]] = field(default_factory=dict)  # household → its events


def replay(run: str) -> Replay:
    """The intake's decisions in memory, the whole village as one batch."""
    messages = village_messages(run)
    raw = [RawMessage("t", 0, offset, m.key, m.value) for offset, m in enumerate(messages)]
    uow, got = process_in_memory(raw)
    return Replay(
        outcomes=list(zip([m.expect for m in messages], got, strict=True)),
        households={hid: uow.household(hid) for hid in uow.events},
        stored=sum(len(events) for events in uow.events.values()),
        events=uow.events,
    )


@pytest.fixture(scope="module")
def village() -> Replay:
    return replay("U1")


def hid(n: int) -> str:
    return f"{VILLAGE}U1{n:03d}"


def test_every_message_of_the_demo_village_ends_as_the_script_expects(village: Replay) -> None:
    assert [got for _, got in village.outcomes] == [want for want, _ in village.outcomes]
    rejected = {want for want, _ in village.outcomes if want not in ("accepted", "duplicate")}
    assert len(rejected) == 9


def test_every_expectation_of_the_script_is_a_documented_outcome() -> None:
    known = {"accepted", "duplicate", *CONTRACT_REASONS, *LIFECYCLE_REASONS}
    assert {m.expect for m in village_messages("U1")} <= known


def test_a_resent_event_is_absorbed_once_and_not_stored_twice(village: Replay) -> None:
    counts = Counter(got for _, got in village.outcomes)
    assert counts["duplicate"] == 1
    assert village.stored == counts["accepted"]


def test_only_the_scripts_five_households_exist_after_it(village: Replay) -> None:
    assert set(village.households) == {hid(n) for n in range(1, 6)}


def test_the_ill_household_was_eliminated_then_reverted_and_is_monitored_again(
    village: Replay,
) -> None:
    h = village.households[hid(1)]
    assert h.monitoring_status == MONITORED and h.category == "sudden_hardship"
    assert h.last_elimination_id is None and h.eliminated_on is None
    assert h.cases == {} and h.plans == 1
    assert all(m["verified"] for m in h.measures.values()) and len(h.measures) == 1
    assert h.leaflets == ["application_policy", "assistance_policy"]
    assert h.last_income is not None and h.last_income["below_line"] is True


def test_the_applicant_whose_lead_was_dismissed_is_not_monitored(village: Replay) -> None:
    h = village.households[hid(2)]
    assert h.monitoring_status == NOT_MONITORED and not h.ever_identified and h.cases == {}


def test_the_lifted_household_has_its_newborn_visits_and_two_corrections(
    village: Replay,
) -> None:
    h = village.households[hid(3)]
    assert set(h.members) == {"P301", "P302"}
    assert h.corrections == 2
    assert (h.last_visit_on, h.last_screening_on) == ("2025-05-15", "2025-06-20")
    assert h.measures == {}


def test_the_storm_household_was_identified_after_its_objection_and_never_eliminated(
    village: Replay,
) -> None:
    h = village.households[hid(4)]
    assert h.monitoring_status == MONITORED and h.identified_on == "2025-07-16"
    assert h.category == "marginal_at_risk" and h.risks == ["housing"]
    assert h.eliminated_on is None
    assert [m["ended_on"] for m in h.measures.values()] == ["2025-12-05"]
    assert not h.safety_net_marked  # the mark was removed at the end


def test_the_household_with_a_three_day_notice_was_identified_and_the_notice_recorded_short(
    village: Replay,
) -> None:
    h = village.households[hid(5)]
    assert set(h.members) == {"P502"}  # the father died
    assert h.monitoring_status == MONITORED and h.cases == {}
    decision = village.events[hid(5)][-1]
    assert decision.facts["irregularities"][0]["code"] == "NOTICE_TOO_SHORT"


def test_every_household_of_the_village_replays_from_its_stored_events_to_the_same_state(
    village: Replay,
) -> None:
    for hid, h in village.households.items():
        assert state(replayed(village.events[hid])) == state(h), hid


def test_every_message_carries_its_household_as_key_except_the_deliberate_mismatches() -> None:
    for m in village_messages("U1"):
        try:
            body = json.loads(m.value)
        except ValueError:
            continue
        if m.expect != "KEY_MISMATCH" and "household_id" in body:
            assert m.key == body["household_id"].encode()


def test_the_script_is_deterministic_for_a_run_and_distinct_between_runs() -> None:
    assert village_messages("U2") == village_messages("U2")

    def values(run: str) -> set[bytes]:
        return {m.value for m in village_messages(run) if m.expect != "NOT_JSON"}

    assert not values("U3") & values("U4")


@pytest.mark.parametrize("run", ["U5", "U6"])
def test_household_ids_start_with_the_village_code(run: str) -> None:
    keys = {m.key for m in village_messages(run) if m.key}
    assert all(k.startswith(b"610326101201") for k in keys)


@pytest.mark.parametrize("run", ["U7", "R2"])
def test_the_script_ends_as_expected_whatever_the_run_id(run: str) -> None:
    outcomes = replay(run).outcomes
    assert [got for _, got in outcomes] == [want for want, _ in outcomes]
