"""Every event the lifecycle forbids, from a household in the state that forbids it: rejected
with its reason code, and the household left as it was. Every reason code is tested."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from builders import HID, encoded, envelope, member
from fakes import process_in_memory
from household_steps import correction, do, eliminated, identified, noticed, registered, state

from services.domain.errors import IRREGULAR, LIFECYCLE_REASONS, LifecycleViolation
from services.domain.household import Household
from services.usecases.intake.unit_of_work import RawMessage

Setup = Callable[[], Household]


def then(setup: Setup, event_type: str, **over: Any) -> Setup:
    """The household `setup` builds, after one more event."""

    def build() -> Household:
        h = setup()
        do(h, event_type, **over)
        return h

    return build


def with_notice(
    setup: Setup, case_id: str, kind: str, notice_id: str, posted_on: str, closed_on: str | None
) -> Setup:
    """The household `setup` builds, after the review and notice of a case (see noticed)."""

    def build() -> Household:
        h = setup()
        noticed(h, case_id, kind, notice_id, posted_on, closed_on)
        return h

    return build


def monitored() -> Household:
    return identified(registered())


def eliminated_household() -> Household:
    return eliminated(monitored())


DISMISSAL = {"outcome": "dismissed", "category": None, "risks": [], "dismissal_reason": "x"}

lead = then(registered, "risk_lead_registered")
dismissed = then(lead, "identification_decided", **DISMISSAL)
member_left = then(
    registered, "member_changed", member=member("P1"), reason="migration", left_household=True
)
notice_running = with_notice(lead, "L1", "identification", "N1", "2025-03-27", None)
notice_closed = then(notice_running, "public_notice_closed")
notice_too_short = then(notice_running, "public_notice_closed", closed_on="2025-03-31")
objection_open_after_close = then(then(notice_running, "objection_raised"), "public_notice_closed")
objection_resolved = then(then(notice_running, "objection_raised"), "objection_resolved")
second_lead = then(monitored, "risk_lead_registered", lead_id="L2")
second_lead_noticed = with_notice(
    second_lead, "L2", "identification", "N3", "2025-05-01", "2025-05-08"
)
second_lead_notice_open = with_notice(second_lead, "L2", "identification", "N3", "2025-05-01", None)
monitored_with_open_lead = then(monitored, "risk_lead_registered", lead_id="X1")
measure_started = then(monitored, "assistance_measure_started")
measure_ended = then(measure_started, "assistance_measure_ended")
proposed = then(monitored, "risk_elimination_proposed")
proposed_and_noticed = with_notice(proposed, "E1", "elimination", "N2", "2025-11-03", "2025-11-09")
proposed_short_notice = with_notice(proposed, "E1", "elimination", "N2", "2025-11-03", "2025-11-06")
proposed_noticed_then_marked = then(proposed_and_noticed, "safety_net_mark_set")
marked = then(monitored, "safety_net_mark_set")
reverted = then(eliminated_household, "risk_elimination_reverted")


def eliminated_twice() -> Household:
    return eliminated(reverted(), "E2", "N3")


@dataclass(frozen=True)
class Forbidden:
    """`event_type` (with `over` replacing payload fields) cannot happen after `setup`."""

    sentence: str
    code: str
    setup: Setup
    event_type: str
    over: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] | None = None


FORBIDDEN = [
    Forbidden("a second registration", "HOUSEHOLD_ALREADY_REGISTERED", registered,
              "household_registered"),
    Forbidden("a member added twice", "MEMBER_ALREADY_PRESENT", registered, "member_added",
              {"member": member("P1")}),
    Forbidden("a change to a stranger", "MEMBER_NOT_FOUND", registered, "member_changed",
              {"member": member("P9", 9)}),
    Forbidden("a departure of a stranger", "MEMBER_NOT_FOUND", registered, "member_changed",
              {"member": member("P9", 9), "reason": "death", "left_household": True}),
    Forbidden("a change to a member who left", "MEMBER_NOT_FOUND", member_left,
              "member_changed"),
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
    Forbidden("a second identification of a monitored household", "ALREADY_MONITORED",
              second_lead_noticed, "identification_decided", {"lead_id": "L2"}),
    Forbidden("a second identification, even before its notice closed", "ALREADY_MONITORED",
              second_lead_notice_open, "identification_decided",
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
    Forbidden("an elimination decided for a household never monitored", "NOT_MONITORED",
              registered, "risk_eliminated"),
    Forbidden("an elimination proposed for a household already eliminated", "NOT_MONITORED",
              eliminated_household, "risk_elimination_proposed", {"elimination_id": "E2"}),
    Forbidden("a mark for a household never monitored", "NOT_MONITORED", registered,
              "safety_net_mark_set"),
    Forbidden("a mark for a household whose risk was eliminated", "NOT_MONITORED",
              eliminated_household, "safety_net_mark_set"),
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


@dataclass(frozen=True)
class Irregular:
    """`event_type` after `setup` did happen against the procedure: accepted, with `code`
    among the irregularities its facts record (the compliance engine judges it)."""

    sentence: str
    code: str
    setup: Setup
    event_type: str
    over: dict[str, Any] = field(default_factory=dict)


IRREGULAR_STEPS = [
    Irregular("a township review before the notice closed", "NOTICE_NOT_CLOSED",
              notice_running, "township_review_done"),
    Irregular("a township review before any notice", "NOTICE_NOT_CLOSED", lead,
              "township_review_done"),
    Irregular("an identification without a notice", "NOTICE_NOT_RUN", lead,
              "identification_decided"),
    Irregular("an identification while the notice runs", "NOTICE_NOT_RUN", notice_running,
              "identification_decided"),
    Irregular("an elimination without a notice", "NOTICE_NOT_RUN", proposed, "risk_eliminated"),
    Irregular("an elimination after a three-day notice", "NOTICE_TOO_SHORT",
              proposed_short_notice, "risk_eliminated"),
    Irregular("an identification after a three-day notice", "NOTICE_TOO_SHORT",
              notice_too_short, "identification_decided"),
    Irregular("an identification while an objection is open", "OBJECTION_OPEN",
              objection_open_after_close, "identification_decided"),
    Irregular("a proposal to eliminate a marked household", "SAFETY_NET_MARKED", marked,
              "risk_elimination_proposed"),
    Irregular("an elimination of a household marked during the procedure",
              "SAFETY_NET_MARKED", proposed_noticed_then_marked, "risk_eliminated"),
]  # fmt: skip


@pytest.mark.parametrize("case", IRREGULAR_STEPS, ids=[f.sentence for f in IRREGULAR_STEPS])
def test_a_step_against_the_procedure_is_accepted_with_what_was_irregular(
    case: Irregular,
) -> None:
    h = case.setup()
    pending = len(h.pending_events)
    do(h, case.event_type, **case.over)
    assert len(h.pending_events) == pending + 1
    recorded = h.pending_events[-1].facts["irregularities"]
    assert case.code in [i["code"] for i in recorded]


def test_a_step_by_the_procedure_records_no_irregularity() -> None:
    h = proposed_and_noticed()
    do(h, "risk_eliminated")
    assert "irregularities" not in h.pending_events[-1].facts


def test_every_lifecycle_reason_code_has_a_rejection_or_an_acceptance_test() -> None:
    tested = {f.code for f in FORBIDDEN} | {"HOUSEHOLD_NOT_REGISTERED"}
    assert tested == set(LIFECYCLE_REASONS) - set(IRREGULAR)
    assert {f.code for f in IRREGULAR_STEPS} == set(IRREGULAR)


def test_a_violation_with_a_code_that_is_not_documented_cannot_be_raised() -> None:
    with pytest.raises(ValueError):
        LifecycleViolation("NO_SUCH_CODE", "x")
    assert LifecycleViolation("CASE_NOT_OPEN", "L9").detail == "L9"
