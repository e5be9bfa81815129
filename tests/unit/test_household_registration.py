"""A household's registration, its members, its incomes against the monitoring line and
the facts recorded about it, whatever its status; and what every decision stores."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from builders import HID, VILLAGE_WITHOUT_LINE, decide_raw, encoded, envelope, facts, member, meta
from fakes import process_in_memory
from household_steps import RULES, do, eliminated, identified, last_event, registered, state

from events.catalog import EVENT_TYPES
from events.monitoring_lines import MonitoringLine, MonitoringLines
from services.domain.corrections import CORRECTIONS
from services.domain.errors import LifecycleViolation
from services.domain.household import NOT_MONITORED, Household, household_uuid
from services.domain.registry import FACTS, KINDS
from services.domain.rules import LifecycleRules
from services.usecases.intake.unit_of_work import RawMessage


def test_a_registered_household_starts_unmonitored_with_its_members_and_village() -> None:
    h = registered(members=[member("P1"), member("P2", 2, labour_capacity="none")])
    assert h.id == household_uuid(HID)
    assert h.version == 1
    assert (h.household_id, h.village_code, h.household_type) == (HID, "610326101201", "lifted")
    assert h.monitoring_status == NOT_MONITORED
    assert not h.ever_identified and h.category is None and h.risks == []
    assert h.members["P2"] == {"labour_capacity": "none", "health": "healthy", "in_school": False}
    assert h.cases == {} and h.measures == {} and not h.safety_net_marked


def test_the_household_state_keeps_no_name_id_number_or_phone_of_its_members() -> None:
    h = registered()
    kept = repr(state(h))
    assert "王建国" not in kept
    assert member("P1")["id_number"] not in kept
    assert "13800000001" not in kept


def test_a_household_number_always_gives_the_same_aggregate_id_and_another_one_another() -> None:
    assert household_uuid(HID) == household_uuid(HID) == registered().id
    assert household_uuid(HID) != household_uuid(HID[:-1] + "2")


def test_a_registration_through_the_intake_creates_the_household() -> None:
    raw = RawMessage("t", 0, 0, HID.encode(), encoded(envelope("household_registered")))
    uow, got = process_in_memory([raw])
    assert got == ["accepted"] and uow.household(HID).members.keys() == {"P1"}


def test_the_stored_event_carries_who_did_what_when_and_from_where() -> None:
    h = registered()
    m = meta("visit_recorded")
    decide_raw(h, m, facts("visit_recorded"), RULES)
    event = last_event(h)
    for key, value in m.items():
        assert getattr(event, key) == value, key
    assert event.facts == facts("visit_recorded")


def test_every_event_type_but_registration_is_decided_by_a_command_of_the_household() -> None:
    decided = {name for name, k in KINDS.items() if k.command is not None}
    assert decided == set(EVENT_TYPES) - {"household_registered"}
    for name in decided - set(CORRECTIONS):
        assert getattr(Household, KINDS[name].command.__name__) is KINDS[name].command, name


def test_a_decision_leaves_no_transient_attribute_on_the_household_even_when_rejected() -> None:
    h = registered()
    do(h, "visit_recorded")
    with pytest.raises(LifecycleViolation):
        do(h, "assistance_plan_adopted")
    assert not hasattr(h, "_meta") and not hasattr(h, "_rules")


# --- members and income ---------------------------------------------------------------


def test_a_member_is_added_changed_and_removed_when_they_leave() -> None:
    h = registered()
    do(h, "member_added")
    assert set(h.members) == {"P1", "P2"}
    do(h, "member_changed", member=member("P2", 2, health="serious_illness", in_school=True))
    assert h.members["P2"] == {
        "labour_capacity": "ordinary",
        "health": "serious_illness",
        "in_school": True,
    }
    do(h, "member_changed", member=member("P1"), reason="death", left_household=True)
    assert set(h.members) == {"P2"}


def test_a_member_who_left_can_come_back() -> None:
    h = registered()
    do(h, "member_changed", member=member("P1"), reason="migration", left_household=True)
    do(h, "member_added", member=member("P1"), reason="return")
    assert set(h.members) == {"P1"}


def test_an_income_below_the_line_in_force_is_flagged_and_the_line_is_recorded() -> None:
    h = registered()
    do(h, "income_assessed", per_capita_net_income_yuan="7299.99")
    event = last_event(h)
    assert event.facts["below_line"] is True
    assert event.facts["monitoring_line"]["yuan"] == "7300"
    assert event.facts["monitoring_line"]["jurisdiction"] == "61"
    assert h.last_income == {
        "year": 2024,
        "per_capita_net_income_yuan": "7299.99",
        "below_line": True,
    }
    do(h, "income_assessed", per_capita_net_income_yuan="7300")
    assert h.last_income["below_line"] is False


def test_where_no_line_is_in_force_an_income_is_not_judged_and_a_decision_records_none() -> None:
    h = registered(village_code=VILLAGE_WITHOUT_LINE)
    do(h, "income_assessed", per_capita_net_income_yuan="100")
    assert last_event(h).facts["monitoring_line"] is None
    assert h.last_income["below_line"] is None
    identified(h)
    assert last_event(h).facts["monitoring_line"] is None


def test_an_income_assessed_before_the_line_took_effect_is_not_judged() -> None:
    h = registered()
    do(h, "income_assessed", assessed_on="2023-12-31", per_capita_net_income_yuan="100")
    assert h.last_income["below_line"] is None


def test_the_lifecycle_uses_the_configured_lines_most_specific_jurisdiction_first() -> None:
    lines = MonitoringLines(
        (
            MonitoringLine("61", 2025, Decimal("7500"), date(2025, 1, 1), "province"),
            MonitoringLine("610326", 2025, Decimal("8050"), date(2025, 1, 1), "county"),
        )
    )
    h = registered()
    do(h, "income_assessed", LifecycleRules(lines=lines), per_capita_net_income_yuan="8000")
    assert last_event(h).facts["monitoring_line"]["source"] == "county"
    assert h.last_income["below_line"] is True


# --- facts ----------------------------------------------------------------------------


def test_a_visit_dated_before_the_registration_is_recorded() -> None:
    h = registered()
    do(h, "visit_recorded", visit_date="2025-02-01")
    assert h.last_visit_on == "2025-02-01"


def test_the_latest_visit_and_screening_are_kept_when_an_older_one_is_recorded_late() -> None:
    h = registered()
    do(h, "visit_recorded", visit_date="2025-05-15")
    do(h, "visit_recorded", visit_date="2025-04-15")
    do(h, "screening_recorded", screening_date="2025-06-20")
    do(h, "screening_recorded", screening_date="2025-01-20")
    assert (h.last_visit_on, h.last_screening_on) == ("2025-05-15", "2025-06-20")


def test_a_leaflet_delivered_twice_counts_once() -> None:
    h = registered()
    do(h, "policy_leaflet_delivered")
    do(h, "policy_leaflet_delivered")
    do(h, "policy_leaflet_delivered", leaflet="assistance_policy")
    assert h.leaflets == ["application_policy", "assistance_policy"]


@pytest.mark.parametrize("event_type", sorted(FACTS))
def test_a_fact_is_recorded_for_any_registered_household_whatever_its_status(
    event_type: str,
) -> None:
    for h in (registered(), identified(registered()), eliminated(identified(registered()))):
        version = h.version
        do(h, event_type)
        assert h.version == version + 1
        assert type(last_event(h)) is FACTS[event_type]
