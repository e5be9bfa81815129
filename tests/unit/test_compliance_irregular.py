"""Decisions taken against the procedure happened: the aggregate accepts them with what was
irregular, and the engine finds them (issue #18, finding 1) — each with its near miss."""

from __future__ import annotations

from datetime import date

from household_steps import do, eliminated, identified, noticed, registered

from services.domain.compliance.engine import evaluate
from services.domain.compliance.facts import STORED_FIELDS, RecordedEvent
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams
from services.domain.household import Household


def found_in(h: Household, as_of: str = "2026-06-01") -> tuple[Finding, ...]:
    events = [RecordedEvent(*(getattr(e, n) for n in STORED_FIELDS)) for e in h.pending_events]
    return evaluate([events], date.fromisoformat(as_of), ComplianceParams()).findings


def findings(h: Household, as_of: str = "2026-06-01") -> set[tuple[str, str]]:
    return {(f.rule_id, f.check) for f in found_in(h, as_of)}


def proposed(posted: str, closed: str) -> Household:
    h = identified(registered())
    do(h, "risk_elimination_proposed")  # E1, proposed 2025-11-01
    noticed(h, "E1", "elimination", "N2", posted, closed)
    do(h, "risk_eliminated")  # decided 2025-11-10
    return h


def test_an_elimination_after_a_four_day_notice_is_eliminated_and_found_r6_2_not_stalled() -> None:
    h = proposed("2025-11-03", "2025-11-07")
    got = findings(h)
    assert ("R6.2", "elimination_notice_missing_or_short") in got
    assert ("R6.1", "elimination_stalled") not in got
    assert h.monitoring_status == "risk_eliminated"


def test_an_elimination_after_a_five_day_notice_is_not_found_short() -> None:
    got = findings(proposed("2025-11-03", "2025-11-08"))
    assert ("R6.2", "elimination_notice_missing_or_short") not in got


def lead_noticed(closed: str | None, objection: bool = False, resolved: bool = False) -> Household:
    h = registered()
    do(h, "risk_lead_registered")
    do(h, "village_review_held", case_id="L1", case_kind="identification", held_on="2025-03-27")
    do(h, "public_notice_posted", case_id="L1", case_kind="identification", posted_on="2025-03-27")
    if objection:
        do(h, "objection_raised")
        if resolved:
            do(h, "objection_resolved")
    if closed is not None:
        do(h, "public_notice_closed", closed_on=closed)
    return h


def test_an_identification_with_an_objection_open_is_found_r4_1() -> None:
    h = lead_noticed("2025-04-02", objection=True)
    do(h, "identification_decided")
    assert ("R4.1", "decided_with_objection_open") in findings(h)


def test_an_identification_after_the_objection_was_resolved_is_not_found() -> None:
    h = lead_noticed("2025-04-02", objection=True, resolved=True)
    do(h, "identification_decided")
    assert ("R4.1", "decided_with_objection_open") not in findings(h)


def test_an_identification_while_the_notice_runs_is_found_r4_1() -> None:
    h = lead_noticed(None)
    do(h, "identification_decided")
    assert ("R4.1", "decided_before_notice_closed") in findings(h)


def test_an_identification_after_the_notice_closed_is_not_found_running() -> None:
    h = lead_noticed("2025-04-02")
    do(h, "identification_decided")
    got = findings(h)
    assert ("R4.1", "decided_before_notice_closed") not in got
    assert not {c for r, c in got if r == "R4.1"}


def test_a_township_review_before_the_notice_closed_is_found_r4_1() -> None:
    h = lead_noticed(None)
    do(h, "township_review_done", case_id="L1", case_kind="identification")
    do(h, "public_notice_closed", closed_on="2025-04-02")
    do(h, "identification_decided")
    assert ("R4.1", "township_review_before_notice_closed") in findings(h)


def test_a_township_review_on_the_day_the_notice_closed_is_in_order() -> None:
    h = lead_noticed("2025-04-02")
    do(h, "township_review_done", case_id="L1", case_kind="identification")
    do(h, "identification_decided")
    assert ("R4.1", "township_review_before_notice_closed") not in findings(h)


def test_a_marked_household_eliminated_is_found_r7_1_whoever_its_members() -> None:
    h = identified(registered())
    do(h, "safety_net_mark_set")
    eliminated(h)
    assert ("R7.1", "safety_net_household_eliminated") in findings(h)


def test_an_unmarked_household_with_labour_eliminated_is_not_found_r7_1() -> None:
    h = eliminated(identified(registered()))
    assert ("R7.1", "safety_net_household_eliminated") not in findings(h)


def irregular_scenarios() -> list[Finding]:
    """Each irregular step's finding (test_i18n_summaries reads their summaries)."""
    objection = lead_noticed("2025-04-02", objection=True)
    do(objection, "identification_decided")
    running = lead_noticed(None)
    do(running, "identification_decided")
    early = lead_noticed(None)
    do(early, "township_review_done", case_id="L1", case_kind="identification")
    do(early, "public_notice_closed", closed_on="2025-04-02")
    do(early, "identification_decided")
    marked = identified(registered())
    do(marked, "safety_net_mark_set")
    eliminated(marked)
    return [f for h in (objection, running, early, marked) for f in found_in(h)]
