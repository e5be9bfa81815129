"""Elimination through its own procedure, its reversal, a new identification after it, and
the safety-net mark that holds it off."""

from __future__ import annotations

from household_steps import do, eliminated, identified, last_event, noticed, registered

from services.domain.household import MONITORED, RISK_ELIMINATED


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
