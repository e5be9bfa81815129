"""The Household aggregate: every transition of the lifecycle, and every rejection code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from builders import (
    HID,
    VILLAGE_WITHOUT_LINE,
    decide_raw,
    encoded,
    envelope,
    facts,
    member,
    meta,
)
from fakes import process_in_memory
from household_steps import (
    RULES,
    correction,
    do,
    eliminated,
    identified,
    noticed,
    registered,
    replayed,
    state,
)

from events.catalog import EVENT_TYPES
from events.monitoring_lines import MonitoringLine, MonitoringLines
from services.domain import events as ev
from services.domain.corrections import CORRECTIONS
from services.domain.errors import LIFECYCLE_REASONS, LifecycleViolation
from services.domain.household import (
    MONITORED,
    NOT_MONITORED,
    RISK_ELIMINATED,
    Household,
    household_uuid,
)
from services.domain.registry import CORRECTABLE, FACTS, KINDS
from services.domain.rules import LifecycleRules
from services.usecases.intake.unit_of_work import RawMessage


def last_event(h: Household) -> ev.HouseholdEvent:
    pending = h.pending_events
    assert pending, "no event was recorded"
    event = pending[-1]
    assert isinstance(event, ev.HouseholdEvent)
    return event


# --- registration ---------------------------------------------------------------------


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


def test_an_income_where_no_line_is_in_force_is_recorded_without_a_judgement() -> None:
    h = registered(village_code=VILLAGE_WITHOUT_LINE)
    do(h, "income_assessed", per_capita_net_income_yuan="100")
    assert last_event(h).facts["monitoring_line"] is None
    assert h.last_income["below_line"] is None


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


# --- identification ----------------------------------------------------------------------


def test_a_lead_opens_an_identification_case_that_records_each_step() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    assert h.cases["L1"]["kind"] == "identification"
    assert h.cases["L1"]["opened_on"] == "2025-03-24"
    do(h, "household_consent_signed")
    do(h, "data_comparison_requested")
    do(h, "data_comparison_returned")
    do(h, "village_review_held", outcome="returned")
    do(h, "public_notice_posted")
    case = h.cases["L1"]
    assert case["consent"] is True and case["village_review"] == "returned"
    assert case["notice"] == {
        "notice_id": "N1",
        "posted_on": "2025-03-27",
        "closed_on": None,
        "open_objections": [],
    }
    do(h, "objection_raised")
    assert h.cases["L1"]["notice"]["open_objections"] == ["O1"]
    do(h, "objection_resolved")
    assert h.cases["L1"]["notice"]["open_objections"] == []
    do(h, "public_notice_closed")
    assert h.cases["L1"]["notice"]["closed_on"] == "2025-04-02"
    do(h, "township_review_done")
    assert h.cases["L1"]["township_review"] == "approved"
    assert h.monitoring_status == NOT_MONITORED


def test_the_county_identification_makes_the_household_monitored_and_closes_the_case() -> None:
    h = identified(registered())
    assert h.monitoring_status == MONITORED
    assert h.category == "sudden_hardship" and h.risks == ["illness"]
    assert h.ever_identified and h.identified_on == "2025-04-07"
    assert h.cases == {}
    assert type(last_event(h)) is ev.Identified
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"


def test_the_minimum_notice_days_are_configuration() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    noticed(h, "L1", "identification", "N1", "2025-03-27", "2025-03-30")
    with pytest.raises(LifecycleViolation, match="NOTICE_TOO_SHORT"):
        do(h, "identification_decided")
    do(h, "identification_decided", LifecycleRules(min_notice_days=3))
    assert h.monitoring_status == MONITORED


def test_the_county_may_decide_without_a_township_review_left_to_compliance() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    do(h, "public_notice_posted")
    do(h, "public_notice_closed")
    do(h, "identification_decided")
    assert h.monitoring_status == MONITORED


def test_a_dismissed_lead_closes_its_case_without_a_notice_and_leaves_the_status() -> None:
    h = registered()
    do(h, "risk_lead_registered")
    do(
        h,
        "identification_decided",
        outcome="dismissed",
        category=None,
        risks=[],
        dismissal_reason="income 11,200 yuan, above the line",
    )
    assert h.cases == {} and h.monitoring_status == NOT_MONITORED and not h.ever_identified
    assert type(last_event(h)) is ev.LeadDismissed
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"
    do(h, "risk_lead_registered", lead_id="L2")
    assert set(h.cases) == {"L2"}


def test_a_lead_of_a_monitored_household_can_be_dismissed() -> None:
    h = identified(registered())
    do(h, "risk_lead_registered", lead_id="L2")
    do(
        h,
        "identification_decided",
        lead_id="L2",
        outcome="dismissed",
        category=None,
        risks=[],
        dismissal_reason="the same risk is already monitored",
    )
    assert h.monitoring_status == MONITORED and h.cases == {}


def test_the_national_system_entry_is_recorded_after_identification() -> None:
    h = identified(registered())
    do(h, "national_system_entry_recorded")
    assert type(last_event(h)) is ev.NationalSystemEntryRecorded


# --- assistance -----------------------------------------------------------------------


def test_plans_and_measures_are_recorded_for_an_identified_household() -> None:
    h = identified(registered())
    do(h, "assistance_plan_adopted")
    do(h, "assistance_plan_adopted", plan_id="PL-2")
    assert h.plans == 2
    do(h, "assistance_measure_started")
    assert h.measures["M1"] == {
        "measure_type": "medical_aid",
        "started_on": "2025-04-12",
        "verified": False,
        "ended_on": None,
    }
    do(h, "assistance_measure_verified")
    assert h.measures["M1"]["verified"] is True
    do(h, "assistance_measure_ended")
    assert h.measures["M1"]["ended_on"] == "2025-10-01"


def test_a_measure_that_ended_can_still_be_verified_afterwards() -> None:
    h = identified(registered())
    do(h, "assistance_measure_started")
    do(h, "assistance_measure_ended")
    do(h, "assistance_measure_verified")
    assert h.measures["M1"]["verified"] is True


def test_assistance_goes_on_after_the_risk_is_eliminated() -> None:
    h = eliminated(identified(registered()))
    do(h, "assistance_measure_started", measure_id="M9")
    assert "M9" in h.measures


# --- elimination and the safety net ---------------------------------------------------


def test_an_elimination_runs_its_own_procedure_and_ends_monitoring() -> None:
    h = identified(registered())
    do(h, "risk_elimination_proposed")
    assert h.cases["E1"]["kind"] == "elimination"
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"
    noticed(h, "E1", "elimination", "N2", "2025-11-03", "2025-11-09")
    assert h.cases["E1"]["township_review"] == "approved"
    do(h, "risk_eliminated")
    assert h.monitoring_status == RISK_ELIMINATED
    assert (h.eliminated_on, h.last_elimination_id) == ("2025-11-20", "E1")
    assert h.risks == [] and h.cases == {}
    assert last_event(h).facts["monitoring_line"]["yuan"] == "7300"


def test_a_reverted_elimination_makes_the_household_monitored_again() -> None:
    h = eliminated(identified(registered()))
    do(h, "risk_elimination_reverted")
    assert h.monitoring_status == MONITORED
    assert h.eliminated_on is None and h.last_elimination_id is None
    assert h.category == "sudden_hardship"


def test_a_household_whose_risk_was_eliminated_can_be_identified_again() -> None:
    h = eliminated(identified(registered()))
    identified(h, lead_id="L2", notice_id="N3")
    assert h.monitoring_status == MONITORED and h.eliminated_on is None


def test_a_marked_household_can_be_eliminated_once_the_mark_is_removed() -> None:
    h = identified(registered())
    do(h, "safety_net_mark_set")
    assert h.safety_net_marked
    do(h, "safety_net_mark_removed")
    assert not h.safety_net_marked
    eliminated(h)
    assert h.monitoring_status == RISK_ELIMINATED


def test_an_elimination_can_be_proposed_again_after_a_reversal() -> None:
    h = eliminated(identified(registered()))
    do(h, "risk_elimination_reverted")
    eliminated(h, "E2", "N3")
    assert h.last_elimination_id == "E2"


# --- corrections ----------------------------------------------------------------------


@pytest.mark.parametrize("target", sorted(CORRECTABLE))
def test_a_recorded_fact_can_be_retracted_or_amended(target: str) -> None:
    h = registered()
    do(h, "event_retracted", extra=correction(target))
    assert type(last_event(h)) is ev.EventRetracted
    do(h, "event_amended", extra=correction(target))
    assert type(last_event(h)) is ev.EventAmended
    assert h.corrections == 2


def test_the_county_may_correct_a_fact_another_system_recorded() -> None:
    h = registered()
    m = meta("event_amended") | {"source_system": "county_system"}
    decide_raw(h, m, facts("event_amended") | correction("visit_recorded", "village_app"), RULES)
    assert h.corrections == 1


# --- rejections -----------------------------------------------------------------------


def lead() -> Household:
    h = registered()
    do(h, "risk_lead_registered")
    return h


def notice_running() -> Household:
    h = lead()
    noticed(h, "L1", "identification", "N1", "2025-03-27", None)
    return h


def notice_closed() -> Household:
    h = notice_running()
    do(h, "public_notice_closed")
    return h


def notice_too_short() -> Household:
    h = notice_running()
    do(h, "public_notice_closed", closed_on="2025-03-31")
    return h


def objection_open_after_close() -> Household:
    h = notice_running()
    do(h, "objection_raised")
    do(h, "public_notice_closed")
    return h


def objection_resolved() -> Household:
    h = notice_running()
    do(h, "objection_raised")
    do(h, "objection_resolved")
    return h


def monitored() -> Household:
    return identified(registered())


def monitored_with_second_lead_noticed() -> Household:
    h = monitored()
    do(h, "risk_lead_registered", lead_id="L2")
    noticed(h, "L2", "identification", "N3", "2025-05-01", "2025-05-08")
    return h


def monitored_with_lead_noticed_but_open() -> Household:
    h = monitored()
    do(h, "risk_lead_registered", lead_id="L2")
    noticed(h, "L2", "identification", "N3", "2025-05-01", None)
    return h


def monitored_with_open_lead() -> Household:
    h = monitored()
    do(h, "risk_lead_registered", lead_id="X1")
    return h


def measure_started() -> Household:
    h = monitored()
    do(h, "assistance_measure_started")
    return h


def measure_ended() -> Household:
    h = measure_started()
    do(h, "assistance_measure_ended")
    return h


def proposed() -> Household:
    h = monitored()
    do(h, "risk_elimination_proposed")
    return h


def proposed_and_noticed() -> Household:
    h = proposed()
    noticed(h, "E1", "elimination", "N2", "2025-11-03", "2025-11-09")
    return h


def proposed_noticed_then_marked() -> Household:
    h = proposed_and_noticed()
    do(h, "safety_net_mark_set")
    return h


def marked() -> Household:
    h = monitored()
    do(h, "safety_net_mark_set")
    return h


def eliminated_household() -> Household:
    return eliminated(monitored())


def reverted() -> Household:
    h = eliminated_household()
    do(h, "risk_elimination_reverted")
    return h


def eliminated_twice() -> Household:
    h = reverted()
    return eliminated(h, "E2", "N3")


def dismissed() -> Household:
    h = lead()
    do(
        h,
        "identification_decided",
        outcome="dismissed",
        category=None,
        risks=[],
        dismissal_reason="above the line",
    )
    return h


@dataclass(frozen=True)
class Forbidden:
    """`event_type` (with `over` replacing payload fields) cannot happen after `setup`."""

    sentence: str
    code: str
    setup: Callable[[], Household]
    event_type: str
    over: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] | None = None


DISMISSAL = {"outcome": "dismissed", "category": None, "risks": [], "dismissal_reason": "x"}

FORBIDDEN = [
    Forbidden("a second registration", "HOUSEHOLD_ALREADY_REGISTERED", registered,
              "household_registered"),
    Forbidden("a member added twice", "MEMBER_ALREADY_PRESENT", registered, "member_added",
              {"member": member("P1")}),
    Forbidden("a change to a stranger", "MEMBER_NOT_FOUND", registered, "member_changed",
              {"member": member("P9", 9)}),
    Forbidden("a departure of a stranger", "MEMBER_NOT_FOUND", registered, "member_changed",
              {"member": member("P9", 9), "reason": "death", "left_household": True}),
    Forbidden("a lead id registered twice", "LEAD_ALREADY_REGISTERED", lead,
              "risk_lead_registered"),
    Forbidden("a lead id that is an open elimination's id", "LEAD_ALREADY_REGISTERED",
              proposed, "risk_lead_registered", {"lead_id": "E1"}),
    Forbidden("a second lead while one is open", "IDENTIFICATION_ALREADY_OPEN", lead,
              "risk_lead_registered", {"lead_id": "L2"}),
    Forbidden("a consent for an unknown lead", "CASE_NOT_OPEN", lead,
              "household_consent_signed", {"lead_id": "L9"}),
    Forbidden("a data comparison request for no lead", "CASE_NOT_OPEN", registered,
              "data_comparison_requested"),
    Forbidden("a data comparison answer for no lead", "CASE_NOT_OPEN", registered,
              "data_comparison_returned"),
    Forbidden("a consent for a decided lead", "CASE_NOT_OPEN", monitored,
              "household_consent_signed"),
    Forbidden("a consent for a dismissed lead", "CASE_NOT_OPEN", dismissed,
              "household_consent_signed"),
    Forbidden("a review naming the lead as an elimination", "CASE_NOT_OPEN", lead,
              "village_review_held", {"case_kind": "elimination"}),
    Forbidden("a notice for no case", "CASE_NOT_OPEN", registered, "public_notice_posted"),
    Forbidden("a township review of no case", "CASE_NOT_OPEN", registered,
              "township_review_done"),
    Forbidden("a decision on an unknown lead", "CASE_NOT_OPEN", lead, "identification_decided",
              {"lead_id": "L9"}),
    Forbidden("a dismissal of an unknown lead", "CASE_NOT_OPEN", registered,
              "identification_decided", DISMISSAL),
    Forbidden("an identification decided on an elimination case", "CASE_NOT_OPEN",
              proposed_and_noticed, "identification_decided", {"lead_id": "E1"}),
    Forbidden("an elimination decided on no proposal", "CASE_NOT_OPEN", monitored,
              "risk_eliminated"),
    Forbidden("a second notice of a case", "NOTICE_ALREADY_POSTED", notice_running,
              "public_notice_posted", {"notice_id": "N2"}),
    Forbidden("an objection to an unknown notice", "NOTICE_NOT_FOUND", notice_running,
              "objection_raised", {"notice_id": "N9"}),
    Forbidden("an objection to the notice of a decided case", "NOTICE_NOT_FOUND", monitored,
              "objection_raised"),
    Forbidden("a resolution on an unknown notice", "NOTICE_NOT_FOUND", notice_running,
              "objection_resolved", {"notice_id": "N9"}),
    Forbidden("closing an unknown notice", "NOTICE_NOT_FOUND", registered,
              "public_notice_closed"),
    Forbidden("an objection after the notice closed", "NOTICE_CLOSED", notice_closed,
              "objection_raised"),
    Forbidden("closing a notice twice", "NOTICE_CLOSED", notice_closed, "public_notice_closed"),
    Forbidden("resolving an objection never raised", "OBJECTION_NOT_FOUND", notice_running,
              "objection_resolved"),
    Forbidden("resolving an objection twice", "OBJECTION_NOT_FOUND", objection_resolved,
              "objection_resolved"),
    Forbidden("a township review before the notice closed", "NOTICE_NOT_CLOSED",
              notice_running, "township_review_done"),
    Forbidden("a township review before any notice", "NOTICE_NOT_CLOSED", lead,
              "township_review_done"),
    Forbidden("an identification without a notice", "NOTICE_NOT_RUN", lead,
              "identification_decided"),
    Forbidden("an identification while the notice runs", "NOTICE_NOT_RUN", notice_running,
              "identification_decided"),
    Forbidden("an elimination without a notice", "NOTICE_NOT_RUN", proposed, "risk_eliminated"),
    Forbidden("an identification after a three-day notice", "NOTICE_TOO_SHORT",
              notice_too_short, "identification_decided"),
    Forbidden("an identification while an objection is open", "OBJECTION_OPEN",
              objection_open_after_close, "identification_decided"),
    Forbidden("a second identification of a monitored household", "ALREADY_MONITORED",
              monitored_with_second_lead_noticed, "identification_decided", {"lead_id": "L2"}),
    Forbidden("a second identification, even before its notice closed", "ALREADY_MONITORED",
              monitored_with_lead_noticed_but_open, "identification_decided",
              {"lead_id": "L2"}),
    Forbidden("a plan for a household never identified", "NEVER_IDENTIFIED", registered,
              "assistance_plan_adopted"),
    Forbidden("a measure for a household never identified", "NEVER_IDENTIFIED", registered,
              "assistance_measure_started"),
    Forbidden("a measure for a household whose lead was dismissed", "NEVER_IDENTIFIED",
              dismissed, "assistance_measure_started"),
    Forbidden("a national entry for a household never identified", "NEVER_IDENTIFIED", lead,
              "national_system_entry_recorded"),
    Forbidden("a measure id started twice", "MEASURE_ALREADY_STARTED", measure_started,
              "assistance_measure_started"),
    Forbidden("a verification of a measure never started", "MEASURE_NOT_FOUND", monitored,
              "assistance_measure_verified"),
    Forbidden("the end of a measure never started", "MEASURE_NOT_FOUND", monitored,
              "assistance_measure_ended"),
    Forbidden("the end of a measure that ended", "MEASURE_ALREADY_ENDED", measure_ended,
              "assistance_measure_ended"),
    Forbidden("an elimination proposed for a household never monitored", "NOT_MONITORED",
              registered, "risk_elimination_proposed"),
    Forbidden("an elimination proposed for a household already eliminated", "NOT_MONITORED",
              eliminated_household, "risk_elimination_proposed", {"elimination_id": "E2"}),
    Forbidden("a mark for a household never monitored", "NOT_MONITORED", registered,
              "safety_net_mark_set"),
    Forbidden("a mark for a household whose risk was eliminated", "NOT_MONITORED",
              eliminated_household, "safety_net_mark_set"),
    Forbidden("a proposal to eliminate a marked household", "SAFETY_NET_MARKED", marked,
              "risk_elimination_proposed"),
    Forbidden("an elimination of a household marked during the procedure",
              "SAFETY_NET_MARKED", proposed_noticed_then_marked, "risk_eliminated"),
    Forbidden("a second elimination proposal", "ELIMINATION_ALREADY_OPEN", proposed,
              "risk_elimination_proposed", {"elimination_id": "E2"}),
    Forbidden("an elimination id that is an open lead's id", "CASE_ID_IN_USE",
              monitored_with_open_lead, "risk_elimination_proposed", {"elimination_id": "X1"}),
    Forbidden("a reversal of no elimination", "NOT_ELIMINATED", monitored,
              "risk_elimination_reverted"),
    Forbidden("a reversal of another elimination id", "NOT_ELIMINATED", eliminated_household,
              "risk_elimination_reverted", {"elimination_id": "E9"}),
    Forbidden("a reversal repeated", "NOT_ELIMINATED", reverted, "risk_elimination_reverted"),
    Forbidden("a reversal of an earlier elimination", "NOT_ELIMINATED", eliminated_twice,
              "risk_elimination_reverted"),
    Forbidden("a second mark", "SAFETY_NET_ALREADY_MARKED", marked, "safety_net_mark_set"),
    Forbidden("a removal of no mark", "SAFETY_NET_NOT_MARKED", monitored,
              "safety_net_mark_removed"),
    Forbidden("a retraction of an identification decision", "CORRECTION_NOT_ALLOWED",
              monitored, "event_retracted", extra=correction("identification_decided")),
    Forbidden("an amendment of an elimination", "CORRECTION_NOT_ALLOWED",
              eliminated_household, "event_amended", extra=correction("risk_eliminated")),
    Forbidden("a retraction of a registration", "CORRECTION_NOT_ALLOWED", registered,
              "event_retracted", extra=correction("household_registered")),
    Forbidden("a correction of another system's record", "CORRECTION_NOT_ALLOWED",
              registered, "event_retracted",
              extra=correction("department_fact_reported", source="civil_affairs")),
    Forbidden("a correction whose target was not resolved", "CORRECTION_NOT_ALLOWED",
              registered, "event_retracted"),
]  # fmt: skip


@pytest.mark.parametrize("case", FORBIDDEN, ids=[f.sentence for f in FORBIDDEN])
def test_an_event_the_lifecycle_forbids_is_rejected_with_its_code_and_changes_nothing(
    case: Forbidden,
) -> None:
    h = case.setup()
    before, pending = state(h), len(h.pending_events)
    with pytest.raises(LifecycleViolation) as e:
        do(h, case.event_type, extra=case.extra, **case.over)
    assert e.value.code == case.code
    assert state(h) == before
    assert len(h.pending_events) == pending


def test_an_event_for_a_household_never_registered_is_rejected() -> None:
    raw = RawMessage("t", 0, 0, HID.encode(), encoded(envelope("visit_recorded")))
    _, got = process_in_memory([raw])
    assert got == ["HOUSEHOLD_NOT_REGISTERED"]


def test_a_registration_through_the_intake_creates_the_household() -> None:
    raw = RawMessage("t", 0, 0, HID.encode(), encoded(envelope("household_registered")))
    uow, got = process_in_memory([raw])
    assert got == ["accepted"] and uow.household(HID).members.keys() == {"P1"}


def test_every_lifecycle_reason_code_has_a_rejection_test() -> None:
    tested = {f.code for f in FORBIDDEN} | {"HOUSEHOLD_NOT_REGISTERED"}
    assert tested == set(LIFECYCLE_REASONS)


def test_a_violation_with_a_code_that_is_not_documented_cannot_be_raised() -> None:
    with pytest.raises(ValueError):
        LifecycleViolation("NO_SUCH_CODE", "x")
    assert LifecycleViolation("CASE_NOT_OPEN", "L9").detail == "L9"


# --- replay ---------------------------------------------------------------------------


def test_a_household_through_its_whole_lifecycle_replays_to_the_same_state() -> None:
    h = identified(registered())
    do(h, "assistance_plan_adopted")
    do(h, "assistance_measure_started")
    do(h, "assistance_measure_verified")
    do(h, "visit_recorded", visit_date="2025-06-01")
    do(h, "income_assessed")
    eliminated(h)
    do(h, "risk_elimination_reverted")
    do(h, "event_retracted", extra=correction("visit_recorded"))
    assert state(replayed(h.collect_events())) == state(h)
