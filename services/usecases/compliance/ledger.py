"""The ledger's commands for people: plan a rectification, record an action, close out
(销号), reopen. Each loads the problem, lets the aggregate decide, and saves its event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services.adapters.compliance_store import load_problems, save
from services.adapters.eventstore import EventStore
from services.domain.compliance.ledger import LedgerViolation, Problem


def find_problem(store: EventStore, ref: str) -> Problem:
    """The problem whose id is `ref` or starts with it (at least 8 characters)."""
    ref = ref.strip().lower()
    if len(ref) < 8:
        raise LedgerViolation("PROBLEM_NOT_FOUND", f"{ref!r}: give at least 8 characters")
    found = list(load_problems(store, prefix=ref).values())
    if len(found) != 1:
        raise LedgerViolation("PROBLEM_NOT_FOUND", f"{ref!r} names {len(found)} problems, not one")
    return found[0]


def apply(store: EventStore, ref: str, decide: Callable[[Problem], Any]) -> Problem:
    """Decide on the problem and save what it decided (a concurrent change fails the save)."""
    problem = find_problem(store, ref)
    decide(problem)
    save(store, [problem])
    return problem
