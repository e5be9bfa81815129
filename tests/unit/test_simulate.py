"""The simulated county: deterministic, valid for the intake, with its truth written down."""

from __future__ import annotations

import collections
import json
from typing import Any

from events.catalog import ContractViolation
from services.domain.errors import LifecycleViolation
from services.domain.household import Household
from services.intake.batch import IntakeProcessor, check_message
from services.permissions import Permissions
from services.simulate.county import build_county
from services.simulate.generator import PLANTABLE, generate
from services.store import RawMessage


def simulated(size: str, seed: int, rate: float) -> tuple[list[Any], list[dict[str, Any]]]:
    truth: list[dict[str, Any]] = []
    return list(generate(build_county(size, seed), seed, rate, truth)), truth


def test_the_same_seed_gives_the_same_county_and_events() -> None:
    assert simulated("small", 3, 0.1) == simulated("small", 3, 0.1)
    assert simulated("small", 3, 0.1)[0] != simulated("small", 4, 0.1)[0]


def test_every_simulated_event_is_accepted_by_the_intakes_checks_and_the_aggregates() -> None:
    events, _ = simulated("small", 11, 0.2)
    processor = IntakeProcessor(store=None, cache_size=0)  # type: ignore[arg-type]
    households: dict[str, Household] = {}
    refused = collections.Counter()
    for i, (key, env) in enumerate(events):
        value = json.dumps(env).encode()
        try:
            parsed, _ = check_message(RawMessage("t", 0, i, key.encode(), value), Permissions())
            processor._decide(households, parsed, {})
        except (ContractViolation, LifecycleViolation) as e:
            refused[e.code] += 1
    assert refused == {}
    assert len(households) == 40
    statuses = collections.Counter(h.monitoring_status for h in households.values())
    assert statuses["monitored"] + statuses["risk_eliminated"] > 0


def test_violations_of_the_rules_are_planted_and_written_down() -> None:
    _, truth = simulated("small", 5, 0.3)
    rules = {t["rule"] for t in truth}
    assert {"R1.1", "R2.1", "R2.2", "R2.4", "R8.1"} <= rules <= set(PLANTABLE)
    assert all(t["subject"] and t["due"] for t in truth)
    _, none = simulated("small", 5, 0.0)
    assert none == []
