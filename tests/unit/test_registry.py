"""One table of event types: every type of the contract is in it, complete, and each reader
of events handles it or says it does not read it — a new type cannot be half added."""

from __future__ import annotations

import pytest

from events.catalog import EVENT_TYPES
from services.domain import timeline
from services.domain.compliance import digest
from services.domain.household import Household
from services.domain.permissions import DEFAULT_PERMISSIONS, Permissions
from services.domain.registry import CORRECTABLE, FACTS, KINDS


def test_the_registry_holds_exactly_the_contracts_event_types() -> None:
    assert set(KINDS) == set(EVENT_TYPES)
    for name, kind in KINDS.items():
        assert (kind.model, kind.version) == EVENT_TYPES[name]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_event_type_is_complete(name: str) -> None:
    kind = KINDS[name]
    assert kind.stored and kind.producers, name
    assert kind.command is None or callable(kind.command)
    if kind.fact:
        assert kind.correctable and len(kind.stored) == 1
    for stored in kind.stored:  # the state row reads it, or says it does not
        assert (stored.__name__ in timeline.HANDLERS) != (stored.__name__ in timeline.NOT_READ)
    assert (name in digest._HANDLERS) != (name in digest.NOT_READ)  # and so do the checks


def test_only_the_registration_creates_a_household() -> None:
    assert [n for n, k in KINDS.items() if k.command is None] == ["household_registered"]
    assert all(
        getattr(Household, k.command.__name__, None) is k.command
        for n, k in KINDS.items()
        if k.command is not None and n not in ("event_retracted", "event_amended")
    )


def test_the_default_permissions_are_the_registrys_producers() -> None:
    Permissions(DEFAULT_PERMISSIONS)  # names no unknown type
    for name, kind in KINDS.items():
        allowed = {s for s, types in DEFAULT_PERMISSIONS.items() if name in types}
        assert allowed == set(kind.producers), name


def test_corrections_may_target_facts_and_the_three_recorded_findings_only() -> None:
    assert set(FACTS) < CORRECTABLE
    assert CORRECTABLE - set(FACTS) == {
        "income_assessed",
        "data_comparison_returned",
        "assistance_measure_verified",
    }
