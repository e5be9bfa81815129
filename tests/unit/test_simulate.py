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
