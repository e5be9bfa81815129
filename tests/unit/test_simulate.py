"""The simulated county: deterministic, valid for the intake, with its truth written down."""

from __future__ import annotations

import collections
import json
from typing import Any

from fakes import process_in_memory

from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import PLANTABLE, generate
from services.usecases.intake.unit_of_work import RawMessage


def simulated(size: str, seed: int, rate: float) -> tuple[list[Any], list[dict[str, Any]]]:
    truth: list[dict[str, Any]] = []
    return list(generate(build_county(size, seed), seed, rate, truth)), truth


def test_the_same_seed_gives_the_same_county_and_events() -> None:
    assert simulated("small", 3, 0.1) == simulated("small", 3, 0.1)
    assert simulated("small", 3, 0.1)[0] != simulated("small", 4, 0.1)[0]


def test_every_simulated_event_is_accepted_by_the_intakes_checks_and_the_aggregates() -> None:
    events, _ = simulated("small", 11, 0.2)
    raw = [
        RawMessage("t", 0, i, key.encode(), json.dumps(env).encode())
        for i, (key, env) in enumerate(events)
    ]
    uow, got = process_in_memory(raw)
    assert collections.Counter(got) == {"accepted": len(raw)}
    assert len(uow.events) == 40
    statuses = collections.Counter(uow.household(h).monitoring_status for h in uow.events)
    assert statuses["monitored"] + statuses["risk_eliminated"] > 0


def test_violations_of_the_rules_are_planted_and_written_down() -> None:
    _, truth = simulated("small", 5, 0.3)
    rules = {t["rule"] for t in truth}
    assert {"R1.1", "R2.1", "R2.2", "R2.4", "R8.1"} <= rules <= set(PLANTABLE)
    assert all(t["subject"] and t["due"] for t in truth)
    _, none = simulated("small", 5, 0.0)
    assert none == []


def test_the_sweep_finds_every_plant_and_little_it_was_not_planted() -> None:
    """The bench's measure on a county in memory (20 villages of 60 households, a high rate):
    recall per rule and per concern, precision against the planted truth."""
    from datetime import date

    from compliance_history import recorded_households

    from services.devtools.bench.recall import Raised, score
    from services.devtools.simulate import county as simulated_county
    from services.devtools.simulate.plan import END
    from services.domain.compliance.engine import evaluate
    from services.domain.compliance.params import ComplianceParams

    simulated_county.SIZES["recall"] = (4, 5, 60)
    try:
        built = build_county("recall", 9)
    finally:
        del simulated_county.SIZES["recall"]
    truth: list[dict[str, Any]] = []
    households = recorded_households(generate(built, 9, 0.08, truth))
    found = evaluate(households, date(2026, 1, 31), ComplianceParams()).findings
    raised = [
        Raised(f.rule_id, f.subject, f.check, f.concern, f.due_on.isoformat(), f.occurrence_dues)
        for f in found
    ]
    s = score(raised, truth, "2026-01-31", END.isoformat())
    assert {"favoritism", "perfunctory", "paper_only"} <= set(s["recall_by_concern"])
    assert {"F1.1", "F1.2", "F1.4", "R2.3", "R6.2", "R8.1"} <= set(s["recall_by_rule"])
    assert min(s["recall_by_rule"].values()) >= 0.99, s["recall_by_rule"]
    assert min(s["recall_by_concern"].values()) >= 0.99, s["recall_by_concern"]
    assert s["precision"] >= 0.99, s["unexplained"]


def test_a_planted_month_is_recalled_only_if_the_problem_lists_it() -> None:
    """Recall is per planted fact: a household's months without a visit are one problem, and
    each planted month must be among its occurrences (not only the household named)."""
    from services.devtools.bench.recall import Raised, score

    truth = [
        {"rule": "R2.1", "subject": "H1", "due": "2025-03-31"},
        {"rule": "R2.1", "subject": "H1", "due": "2025-05-31"},
        {"rule": "R1.1", "subject": "H1", "due": "2025-02-01"},
    ]
    raised = [
        Raised("R2.1", "H1", "monthly_visit_missing", None, "2025-03-31", ("2025-03-31",)),
        Raised("R1.1", "H1", "application_leaflet_missing", None, "2025-02-01"),
    ]
    s = score(raised, truth, "2026-01-31", "2025-12-31")
    assert s["recall_by_rule"] == {"R1.1": 1.0, "R2.1": 0.5}
    listed = [
        Raised("R2.1", "H1", "monthly_visit_missing", None, "2025-03-31",
               ("2025-03-31", "2025-05-31")),
        raised[1],
    ]  # fmt: skip
    assert score(listed, truth, "2026-01-31", "2025-12-31")["recall"] == 1.0
    assert s["precision"] == 1.0 and s["raised_pairs"] == 2  # one problem, one pair


def test_the_in_memory_measure_runs_the_county_through_the_intake_and_scores_it(
    tmp_path: Any,
) -> None:
    """The bench's recall without Kafka or PostgreSQL (services/devtools/bench/in_memory.py):
    every simulated message accepted by the intake's own processing, every household read
    back as the sweep reads the store, the plants found."""
    from services.devtools.bench.in_memory import measure

    r = measure("small", 5, tmp_path)
    assert r["rejected"] == 0 and r["households"] == 40 and r["events"] > 500
    assert r["planted_due"] > 0 and r["recall"] >= 0.99 and r["precision"] >= 0.99
    again = measure("small", 5, tmp_path)  # the same county: the same score
    assert again["recall"] == r["recall"] and again["findings"] == r["findings"]
