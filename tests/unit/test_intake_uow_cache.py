"""The intake's cache after a batch the store refused: the aggregates the batch decided on
hold events that were never stored, so no later commit may put them back in the cache (the
next event of such a household would be stored a version too high, on a state that has an
event the store does not)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from services.adapters.intake_store import PostgresIntakeUnitOfWork
from services.usecases.intake.unit_of_work import IntakeRecord


class RefusingOnce:
    """An event store that refuses the first batch it is given (a value out of range…)."""

    def __init__(self) -> None:
        self.refused = False

    def load_households(self, ids: list[str]) -> dict[str, Any]:
        return {i: SimpleNamespace(household_id=i, version=5) for i in ids}

    def save_batch(self, households: Any, also: Any = None) -> None:
        if not self.refused:
            self.refused = True
            raise ValueError("the store refused the batch")


def test_a_refused_batch_leaves_nothing_unstored_in_the_cache() -> None:
    uow = PostgresIntakeUnitOfWork(RefusingOnce(), 100)  # type: ignore[arg-type]
    household = uow.households(["H1"])["H1"]
    household.version = 6  # decided on, in memory only
    uow.record(IntakeRecord(households=[household]))  # type: ignore[list-item]
    with pytest.raises(ValueError):
        uow.commit()
    uow.record(IntakeRecord())  # the batch split down and refused: no households
    uow.commit()
    cached, missing = uow.cache.take(["H1"])
    assert cached == {} and list(missing) == ["H1"]  # loaded again, as the store has it


def test_a_forgotten_household_is_not_put_back_by_the_commit() -> None:
    store = RefusingOnce()
    store.refused = True  # this one stores
    uow = PostgresIntakeUnitOfWork(store, 100)  # type: ignore[arg-type]
    handed = uow.households(["H1", "H2"])
    uow.forget(["H1"])
    uow.record(IntakeRecord(households=[handed["H2"]]))  # type: ignore[list-item]
    uow.commit()
    cached, missing = uow.cache.take(["H1", "H2"])
    assert set(cached) == {"H2"} and list(missing) == ["H1"]


def test_a_worker_collects_its_young_generation_seldom() -> None:
    """A batch allocates a few hundred thousand short-lived objects: collecting the young
    generation every 700 allocations was a fifth of the intake's CPU time."""
    import gc

    from services.adapters.household_cache import LongLived

    before = gc.get_threshold()
    try:
        LongLived()
        young, middle, old = gc.get_threshold()
        assert young >= 50_000 and middle >= 20 and old == before[2]
    finally:
        gc.set_threshold(*before)


def test_a_rebuild_collects_its_young_generation_more_seldom_and_as_before_after() -> None:
    """A rebuild's batch holds a few hundred thousand objects until it is written: walked
    at every 50,000 allocations, they were a tenth of its CPU time."""
    import gc

    from services.adapters.household_cache import REBUILD_YOUNG, young_collections_every

    before = gc.get_threshold()
    with young_collections_every(REBUILD_YOUNG):
        assert gc.get_threshold() == (max(REBUILD_YOUNG, before[0]), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), young_collections_every(REBUILD_YOUNG):
        raise RuntimeError("a failed rebuild")
    assert gc.get_threshold() == before
