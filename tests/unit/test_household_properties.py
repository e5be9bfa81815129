"""Properties: random valid steps never crash the aggregate, and replaying what it stored
always gives the same household."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

from eventsourcing.application import Application
from hypothesis import given, settings
from hypothesis import strategies as st
from lifecycle import Steps

from services.domain.errors import LifecycleViolation

DAYS = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in (1, 8, 15, 22)]
CASES = ["L1", "L2", "E1", "E2"]
NOTICES = ["N1", "N2"]


def step(draw: Any) -> tuple[str, str, str, dict[str, Any]]:
    """One step of any procedure, with ids drawn from small pools so that steps collide."""
    day = draw(st.sampled_from(DAYS))
    case = draw(st.sampled_from(CASES))
    kind = "identification" if case.startswith("L") else "elimination"
    notice = draw(st.sampled_from(NOTICES))
    options = [
        (
            "risk_lead_registered",
            "village_app",
            {"lead_id": case, "channel": "petition", "risk_types": ["housing"], "reported_on": day},
        ),
        (
            "public_notice_posted",
            "village_app",
            {"notice_id": notice, "case_id": case, "case_kind": kind, "posted_on": day},
        ),
        (
            "objection_raised",
            "village_app",
            {"notice_id": notice, "objection_id": "O1", "raised_on": day, "summary": "s"},
        ),
        (
            "objection_resolved",
            "village_app",
            {
                "notice_id": notice,
                "objection_id": "O1",
                "resolved_on": day,
                "upheld": False,
                "resolution": "r",
            },
        ),
        ("public_notice_closed", "village_app", {"notice_id": notice, "closed_on": day}),
        (
            "township_review_done",
            "township_system",
            {
                "case_id": case,
                "case_kind": kind,
                "reviewed_on": day,
                "reviewer_id": "t",
                "outcome": "approved",
            },
        ),
        (
            "identification_decided",
            "county_system",
            {
                "lead_id": case,
                "outcome": draw(st.sampled_from(["identified", "dismissed"])),
                "decided_on": day,
                "category": "marginal_at_risk",
                "risks": ["housing"],
                "dismissal_reason": "r",
            },
        ),
        (
            "risk_elimination_proposed",
            "village_app",
            {"elimination_id": case, "proposed_on": day, "kind": "stable", "grounds": "g"},
        ),
        (
            "risk_eliminated",
            "county_system",
            {"elimination_id": case, "kind": "natural", "decided_on": day},
        ),
        (
            "risk_elimination_reverted",
            "county_system",
            {"elimination_id": case, "reverted_on": day, "reason": "r"},
        ),
        (
            "safety_net_mark_set",
            "township_system",
            {"marked_on": day, "evidence_refs": ["e"], "grounds": "g"},
        ),
        ("safety_net_mark_removed", "township_system", {"removed_on": day, "reason": "r"}),
        (
            "assistance_measure_started",
            "housing",
            {
                "measure_id": case,
                "measure_type": "housing_renovation",
                "responsible_department": "housing",
                "addresses_risks": ["housing"],
                "started_on": day,
            },
        ),
        (
            "assistance_measure_ended",
            "housing",
            {"measure_id": case, "ended_on": day, "reason": "r"},
        ),
        (
            "visit_recorded",
            "village_app",
            {
                "visitor_id": "v",
                "visit_date": day,
                "findings": {
                    "compulsory_education_secure": True,
                    "basic_medical_care_secure": True,
                    "housing_safe": True,
                    "drinking_water_safe": True,
                },
            },
        ),
    ]
    event_type, source, facts = draw(st.sampled_from(options))
    return event_type, day, source, facts


steps = st.lists(st.composite(step)(), max_size=40)
MAPPER = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def public_state(h: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(h).items() if not k.startswith("_")} | {"version": h.version}


@settings(max_examples=150, deadline=None)
@given(steps)
def test_random_steps_apply_or_are_rejected_and_replay_gives_the_same_household(
    sequence: list[tuple[str, str, str, dict[str, Any]]],
) -> None:
    s = Steps()
    for event_type, day, source, facts in sequence:
        with contextlib.suppress(LifecycleViolation):  # a rejection leaves it as it was
            s.do(event_type, day, source, **facts)
    stored = [MAPPER.to_stored_event(e) for e in s.h.collect_events()]
    replayed = None
    for record in stored:
        replayed = MAPPER.to_domain_event(record).mutate(replayed)
    assert public_state(replayed) == public_state(s.h)


@settings(max_examples=60, deadline=None)
@given(steps)
def test_a_rejected_step_changes_nothing(
    sequence: list[tuple[str, str, str, dict[str, Any]]],
) -> None:
    s = Steps()
    for event_type, day, source, facts in sequence:
        before = copy.deepcopy(public_state(s.h))
        try:
            s.do(event_type, day, source, **facts)
        except LifecycleViolation:
            assert public_state(s.h) == before
