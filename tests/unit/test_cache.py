"""The household cache is bounded: memory does not grow with the number of households."""

import gc
import weakref

from household_steps import registered
from hypothesis import given, settings
from hypothesis import strategies as st

from services.adapters.household_cache import HouseholdCache, LongLived
from services.domain.household import Household


def household(n: int) -> Household:
    return registered(f"610326101201H{n:03d}")


def hid(n: int) -> str:
    return f"610326101201H{n:03d}"


def test_the_cache_keeps_at_most_its_size_and_drops_the_least_recently_used() -> None:
    cache = HouseholdCache(2)
    cache.put([household(1), household(2)])
    cache.take([hid(1)])  # H001 is now the most recent
    cache.put([household(3)])
    found, missing = cache.take([hid(1), hid(2), hid(3)])
    assert len(cache) == 2
    assert set(found) == {hid(1), hid(3)} and missing == {hid(2)}


def test_putting_a_household_again_makes_it_the_most_recent_and_replaces_it() -> None:
    cache = HouseholdCache(2)
    old, new = household(1), household(1)
    cache.put([old, household(2)])
    cache.put([new])
    cache.put([household(3)])
    found, missing = cache.take([hid(1), hid(2), hid(3)])
    assert found[hid(1)] is new and missing == {hid(2)}


def test_a_batch_larger_than_the_cache_keeps_only_its_last_households() -> None:
    cache = HouseholdCache(3)
    cache.put([household(n) for n in range(10)])
    assert len(cache) == 3
    assert set(cache.take([hid(n) for n in range(10)])[0]) == {hid(7), hid(8), hid(9)}


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    cache = HouseholdCache(0)
    cache.put([household(1)])
    assert len(cache) == 0
    assert cache.take([hid(1)]) == ({}, {hid(1)})


def test_taking_returns_the_cached_aggregate_itself_not_a_copy() -> None:
    cache = HouseholdCache(5)
    h = household(1)
    cache.put([h])
    assert cache.take([hid(1)])[0][hid(1)] is h


def test_evicted_and_cleared_households_must_be_loaded_again() -> None:
    cache = HouseholdCache(10)
    cache.put([household(1), household(2)])
    cache.evict([hid(1), hid(9)])  # evicting one that is not cached is harmless
    assert cache.take([hid(1), hid(2)])[1] == {hid(1)}
    cache.clear()
    assert len(cache) == 0
    assert cache.take([hid(2)])[1] == {hid(2)}


@settings(max_examples=100, deadline=None, database=None)
@given(
    st.integers(0, 5),
    st.lists(
        st.tuples(st.sampled_from(["put", "take", "evict"]), st.lists(st.integers(0, 8))),
        max_size=30,
    ),
)
def test_the_cache_behaves_like_a_least_recently_used_list_of_its_size(
    size: int, operations: list[tuple[str, list[int]]]
) -> None:
    cache = HouseholdCache(size)
    model: list[str] = []  # least recent first
    pool = {n: household(n) for n in range(9)}
    for op, numbers in operations:
        ids = [hid(n) for n in numbers]
        if op == "put":
            cache.put([pool[n] for n in numbers])
            for i in ids:
                if i in model:
                    model.remove(i)
                model.append(i)
            del model[: max(0, len(model) - size)]
        elif op == "take":
            found, missing = cache.take(ids)
            assert set(found) == {i for i in ids if i in model}
            assert missing == {i for i in ids if i not in model}
            for i in ids:
                if i in model:
                    model.remove(i)
                    model.append(i)
        else:
            cache.evict(ids)
            model = [i for i in model if i not in ids]
        assert len(cache) == len(model) <= size


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only a collection frees it


def test_long_lived_objects_are_frozen_every_so_many_batches_and_thawed_now_and_then() -> None:
    gc.unfreeze()
    try:
        kept = [{"household": i} for i in range(1000)]  # what a cache holds
        long_lived = LongLived(every=3, refresh=2)
        long_lived.batch_done()
        long_lived.batch_done()
        assert gc.get_freeze_count() == 0
        long_lived.batch_done()  # the third: frozen
        assert gc.get_freeze_count() >= len(kept)
        node = _Node()
        gone = weakref.ref(node)
        gc.collect()
        gc.freeze()  # the cycle frozen by chance, with the rest
        del node
        gc.collect()
        assert gone() is not None  # a frozen cycle outlives a collection
        for _ in range(3):
            long_lived.batch_done()  # the second freeze: thawed and collected first
        assert gone() is None
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
