"""Every transition of the Household aggregate, and every rejection, without I/O."""

from __future__ import annotations

import pytest
from builders import decide_raw
from lifecycle import MEMBER, Steps, meta

from events.identity import check_digit
from services.domain.errors import LIFECYCLE_REASONS, LifecycleViolation
from services.domain.rules import LifecycleRules


def rejected(code: str) -> pytest.RaisesExc:
    assert code in LIFECYCLE_REASONS
    return pytest.raises(LifecycleViolation, match=f"^{code}:")


def test_a_registered_household_is_not_monitored_and_holds_its_members() -> None:
    h = Steps().h
    assert (h.monitoring_status, list(h.members), h.version) == ("not_monitored", ["P1"], 1)


def test_a_second_registration_is_rejected() -> None:
    with rejected("HOUSEHOLD_ALREADY_REGISTERED"):
        Steps().do(
            "household_registered",
            village_code="610326101201",
            household_type="ordinary",
            members=[MEMBER],
        )


def test_members_join_change_and_leave() -> None:
    s = Steps()
    born = "11010520200101001"
    new = {
        "person_id": "P2",
        "name": "王小",
        "id_number": born + check_digit(born),
        "relation_to_head": "child",
        "labour_capacity": "none",
        "health": "healthy",
    }
    s.do("member_added", member=new, reason="birth")
    assert set(s.h.members) == {"P1", "P2"}
    with rejected("MEMBER_ALREADY_PRESENT"):
        s.do("member_added", member=new, reason="birth")
    s.do("member_changed", member=new, reason="death", left_household=True)
    assert set(s.h.members) == {"P1"}
    with rejected("MEMBER_NOT_FOUND"):
        s.do("member_changed", member=new, reason="update")


def test_the_identification_procedure_makes_the_household_monitored() -> None:
    s = Steps().lead()
    s.do(
        "household_consent_signed",
        "2025-03-25",
        lead_id="L1",
        signed_on="2025-03-25",
        signed_by="P1",
    )
    s.do(
        "data_comparison_requested",
        "2025-03-25",
        lead_id="L1",
        requested_on="2025-03-25",
        departments=["civil_affairs"],
    )
    s.do(
        "data_comparison_returned",
        "2025-03-26",
        "civil_affairs",
        lead_id="L1",
        returned_on="2025-03-26",
        department="civil_affairs",
        findings="no allowance",
    )
    s.do(
        "village_review_held",
        "2025-03-27",
        case_id="L1",
        case_kind="identification",
        held_on="2025-03-27",
        participants=["a", "b"],
        outcome="approved",
    )
    s.notice("L1")
    s.do(
        "township_review_done",
        "2025-04-03",
        "township_system",
        case_id="L1",
        case_kind="identification",
        reviewed_on="2025-04-03",
        reviewer_id="t",
        outcome="approved",
    )
    assert s.h.cases["L1"]["consent"] and s.h.cases["L1"]["township_review"] == "approved"
    s.identify()
    assert (s.h.monitoring_status, s.h.category, s.h.cases) == ("monitored", "marginal_at_risk", {})


def test_a_dismissed_lead_closes_without_a_notice() -> None:
    s = Steps().lead()
    s.do(
        "identification_decided",
        "2025-04-01",
        "county_system",
        lead_id="L1",
        outcome="dismissed",
        decided_on="2025-04-01",
        dismissal_reason="income above the line",
    )
    assert (s.h.monitoring_status, s.h.cases) == ("not_monitored", {})


def test_a_second_open_identification_is_rejected() -> None:
    s = Steps().lead("L1")
    with rejected("IDENTIFICATION_ALREADY_OPEN"):
        s.lead("L2")
    with rejected("LEAD_ALREADY_REGISTERED"):
        s.lead("L1")


def test_steps_of_a_case_that_is_not_open_are_rejected() -> None:
    s = Steps()
    with rejected("CASE_NOT_OPEN"):
        s.do("household_consent_signed", lead_id="L9", signed_on="2025-03-01", signed_by="P1")
    with rejected("CASE_NOT_OPEN"):
        s.notice("L9")
    with rejected("CASE_NOT_OPEN"):
        s.identify("L9")


def test_a_county_decision_before_the_notice_has_run_its_minimum_days_is_rejected() -> None:
    s = Steps().lead().notice("L1", posted="2025-03-27", closed="2025-03-31")  # 4 days
    with rejected("NOTICE_TOO_SHORT"):
        s.identify()


def test_a_notice_of_exactly_the_minimum_days_is_enough() -> None:
    s = Steps().lead().notice("L1", posted="2025-03-27", closed="2025-04-01")  # 5 days
    s.identify()
    assert s.h.monitoring_status == "monitored"


def test_the_minimum_notice_days_come_from_the_rules() -> None:
    s = (
        Steps(LifecycleRules(min_notice_days=7))
        .lead()
        .notice("L1", "identification", "2025-03-27", "2025-04-02")
    )
    with rejected("NOTICE_TOO_SHORT"):
        s.identify()


def test_a_county_decision_without_a_closed_notice_is_rejected() -> None:
    with rejected("NOTICE_NOT_RUN"):
        Steps().lead().identify()
    with rejected("NOTICE_NOT_RUN"):
        Steps().lead().notice("L1", closed=None).identify()


def test_a_county_decision_while_an_objection_is_open_is_rejected_until_it_is_resolved() -> None:
    s = Steps().lead().notice("L1", closed=None)
    s.do(
        "objection_raised",
        "2025-03-29",
        notice_id="N1",
        objection_id="O1",
        raised_on="2025-03-29",
        summary="he has a car",
    )
    s.do("public_notice_closed", "2025-04-02", notice_id="N1", closed_on="2025-04-02")
    with rejected("OBJECTION_OPEN"):
        s.identify()
    s.do(
        "objection_resolved",
        "2025-04-05",
        notice_id="N1",
        objection_id="O1",
        resolved_on="2025-04-05",
        upheld=False,
        resolution="the car is the son's",
    )
    s.identify()
    assert s.h.monitoring_status == "monitored"


def test_objections_and_notices_must_exist_and_be_open() -> None:
    s = Steps().lead().notice("L1")
    with rejected("NOTICE_CLOSED"):
        s.do(
            "objection_raised",
            notice_id="N1",
            objection_id="O1",
            raised_on="2025-04-03",
            summary="late",
        )
    with rejected("NOTICE_NOT_FOUND"):
        s.do(
            "objection_raised",
            notice_id="N9",
            objection_id="O1",
            raised_on="2025-04-03",
            summary="which notice?",
        )
    with rejected("OBJECTION_NOT_FOUND"):
        s.do(
            "objection_resolved",
            notice_id="N1",
            objection_id="O7",
            resolved_on="2025-04-03",
            upheld=False,
            resolution="none raised",
        )
    with rejected("NOTICE_CLOSED"):
        s.do("public_notice_closed", notice_id="N1", closed_on="2025-04-03")
    with rejected("NOTICE_ALREADY_POSTED"):
        s.notice("L1", notice_id="N2")


def test_a_township_review_before_the_notice_closes_is_rejected() -> None:
    s = Steps().lead().notice("L1", closed=None)
    with rejected("NOTICE_NOT_CLOSED"):
        s.do(
            "township_review_done",
            source="township_system",
            case_id="L1",
            case_kind="identification",
            reviewed_on="2025-03-30",
            reviewer_id="t",
            outcome="approved",
        )


def test_a_monitored_household_cannot_be_identified_a_second_time() -> None:
    s = (
        Steps()
        .monitored()
        .lead("L2", "2025-05-01")
        .notice("L2", "identification", "2025-05-02", "2025-05-08", "N2")
    )
    with rejected("ALREADY_MONITORED"):
        s.identify("L2", "2025-05-10")


def test_plans_and_measures_need_an_identified_household() -> None:
    s = Steps()
    with rejected("NEVER_IDENTIFIED"):
        s.do(
            "assistance_plan_adopted",
            plan_id="P1",
            adopted_on="2025-03-01",
            measures=[
                {
                    "measure_type": "employment",
                    "addresses_risks": ["unemployment"],
                    "responsible_department": "human_resources",
                }
            ],
        )
    with rejected("NEVER_IDENTIFIED"):
        start_measure(s)
    with rejected("NEVER_IDENTIFIED"):
        s.do(
            "national_system_entry_recorded",
            case_id="L1",
            entered_on="2025-03-01",
            system_record_id="X",
        )


def start_measure(s: Steps, measure_id: str = "M1") -> Steps:
    return s.do(
        "assistance_measure_started",
        "2025-04-12",
        "medical_insurance",
        measure_id=measure_id,
        measure_type="medical_aid",
        responsible_department="medical_insurance",
        addresses_risks=["illness"],
        started_on="2025-04-12",
        amount_yuan="12000",
    )


def test_a_measure_is_started_verified_and_ended_once() -> None:
    s = start_measure(Steps().monitored())
    with rejected("MEASURE_ALREADY_STARTED"):
        start_measure(s)
    s.do(
        "assistance_measure_verified",
        measure_id="M1",
        verified_on="2025-05-06",
        verifier_id="helper",
        evidence_refs=["receipt"],
    )
    s.do("assistance_measure_ended", measure_id="M1", ended_on="2025-09-01", reason="cured")
    assert s.h.measures["M1"]["verified"] and s.h.measures["M1"]["ended_on"] == "2025-09-01"
    with rejected("MEASURE_ALREADY_ENDED"):
        s.do("assistance_measure_ended", measure_id="M1", ended_on="2025-09-02", reason="x")
    with rejected("MEASURE_NOT_FOUND"):
        s.do(
            "assistance_measure_verified",
            measure_id="M9",
            verified_on="2025-05-06",
            verifier_id="helper",
            evidence_refs=["receipt"],
        )


def test_elimination_runs_its_own_procedure_and_can_be_reverted() -> None:
    s = Steps().eliminated()
    assert (s.h.monitoring_status, s.h.last_elimination_id) == ("risk_eliminated", "E1")
    s.do(
        "risk_elimination_reverted",
        "2026-01-15",
        "county_system",
        elimination_id="E1",
        reverted_on="2026-01-15",
        reason="relapse",
    )
    assert s.h.monitoring_status == "monitored"
    with rejected("NOT_ELIMINATED"):
        s.do(
            "risk_elimination_reverted",
            "2026-01-16",
            "county_system",
            elimination_id="E1",
            reverted_on="2026-01-16",
            reason="twice",
        )


def test_an_elimination_decision_needs_its_notice_to_have_run() -> None:
    s = Steps().monitored().propose().notice("E1", "elimination", "2025-11-03", "2025-11-06", "N2")
    with rejected("NOTICE_TOO_SHORT"):
        s.eliminate()


def test_eliminating_a_household_that_is_not_monitored_is_rejected() -> None:
    with rejected("NOT_MONITORED"):
        Steps().propose()
    with rejected("NOT_MONITORED"):
        Steps().eliminate()


def test_a_second_elimination_under_way_is_rejected() -> None:
    with rejected("ELIMINATION_ALREADY_OPEN"):
        Steps().monitored().propose("E1").propose("E2")


def test_a_safety_net_marked_household_is_not_eliminated() -> None:
    s = Steps().monitored().propose()
    s.do(
        "safety_net_mark_set",
        "2025-11-02",
        "township_system",
        marked_on="2025-11-02",
        evidence_refs=["tekun-117"],
        grounds="no labour capacity",
    )
    with rejected("SAFETY_NET_MARKED"):
        s.eliminate()
    with rejected("SAFETY_NET_MARKED"):
        Steps().monitored().do(
            "safety_net_mark_set",
            "2025-11-02",
            "township_system",
            marked_on="2025-11-02",
            evidence_refs=["e"],
            grounds="g",
        ).propose()
    with rejected("SAFETY_NET_ALREADY_MARKED"):
        s.do(
            "safety_net_mark_set",
            "2025-11-03",
            "township_system",
            marked_on="2025-11-03",
            evidence_refs=["e"],
            grounds="again",
        )
    s.do(
        "safety_net_mark_removed",
        "2025-12-01",
        "township_system",
        removed_on="2025-12-01",
        reason="the son returned with work",
    )
    assert not s.h.safety_net_marked
    with rejected("SAFETY_NET_NOT_MARKED"):
        s.do(
            "safety_net_mark_removed",
            "2025-12-02",
            "township_system",
            removed_on="2025-12-02",
            reason="twice",
        )


def test_only_a_monitored_household_is_marked() -> None:
    with rejected("NOT_MONITORED"):
        Steps().do(
            "safety_net_mark_set",
            source="township_system",
            marked_on="2025-11-02",
            evidence_refs=["e"],
            grounds="g",
        )


def test_late_and_irregular_facts_are_accepted() -> None:
    s = Steps()
    s.do(
        "visit_recorded",
        "2025-03-01",
        visitor_id="c",
        visit_date="2025-02-01",
        findings={
            "compulsory_education_secure": True,
            "basic_medical_care_secure": True,
            "housing_safe": True,
            "drinking_water_safe": True,
        },
    )
    assert s.h.last_visit_on == "2025-02-01"


def test_decisions_record_the_monitoring_line_they_used() -> None:
    s = Steps().monitored()
    decided = s.h.pending_events[-1]
    assert decided.facts["monitoring_line"]["yuan"] == "7300"
    s.do(
        "income_assessed",
        assessed_on="2025-03-26",
        year=2024,
        components={"wages": "7000"},
        members_counted=1,
        per_capita_net_income_yuan="7299",
    )
    assert s.h.last_income["below_line"] is True
    s.do(
        "income_assessed",
        assessed_on="2025-03-26",
        year=2024,
        components={"wages": "7300"},
        members_counted=1,
        per_capita_net_income_yuan="7300",
    )
    assert s.h.last_income["below_line"] is False


def test_a_household_outside_every_jurisdiction_records_no_line() -> None:
    s = Steps(village="532524105201").monitored()
    assert s.h.pending_events[-1].facts["monitoring_line"] is None


def _correct(
    s: Steps, event_type: str, target_type: str, source: str, target_source: str, facts: dict
) -> Steps:
    payload = {
        "target_event_id": "00000000-0000-0000-0000-000000000001",
        "reason": "wrong",
        **facts,
        "target_event_type": target_type,
        "target_source_system": target_source,
    }
    decide_raw(s.h, meta(event_type, "2025-06-01", source), payload, s.rules)
    return s


def test_recorded_facts_can_be_retracted_or_amended_by_their_source_or_the_county() -> None:
    s = Steps()
    _correct(s, "event_retracted", "visit_recorded", "village_app", "village_app", {})
    _correct(
        s,
        "event_amended",
        "visit_recorded",
        "county_system",
        "village_app",
        {"amended_payload": {}},
    )
    assert s.h.corrections == 2


def test_decisions_and_other_sources_records_cannot_be_corrected() -> None:
    with rejected("CORRECTION_NOT_ALLOWED"):
        _correct(
            Steps(),
            "event_retracted",
            "identification_decided",
            "county_system",
            "county_system",
            {},
        )
    with rejected("CORRECTION_NOT_ALLOWED"):
        _correct(
            Steps(),
            "event_retracted",
            "department_fact_reported",
            "village_app",
            "civil_affairs",
            {},
        )
