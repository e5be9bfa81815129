"""A bounded cache of household aggregates, so a hot household is not reloaded per batch;
and the garbage collector kept off the cached ones, and off the short-lived objects of batch
jobs."""

from __future__ import annotations

import contextlib
import gc
from collections import OrderedDict
from collections.abc import Iterable, Iterator

from services.domain.household import Household


class HouseholdCache:
    """Least-recently-used; its size bounds the worker's memory, not the history's length."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._items: OrderedDict[str, Household] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def take(self, household_ids: Iterable[str]) -> tuple[dict[str, Household], set[str]]:
        """The cached households among these ids, and the ids still to load."""
        found: dict[str, Household] = {}
        missing: set[str] = set()
        for hid in household_ids:
            h = self._items.get(hid)
            if h is None:
                missing.add(hid)
            else:
                self._items.move_to_end(hid)
                found[hid] = h
        return found, missing

    def put(self, households: Iterable[Household]) -> None:
        for h in households:
            self._items[h.household_id] = h
            self._items.move_to_end(h.household_id)
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)

    def put_new(self, households: Iterable[Household]) -> None:
        """Put those not cached as they are (new, or reloaded): the cached ones a batch took
        were moved to the end by `take`, so putting them again only repeats that."""
        items = self._items
        self.put(h for h in households if items.get(h.household_id) is not h)

    def evict(self, household_ids: Iterable[str]) -> None:
        for hid in household_ids:
            self._items.pop(hid, None)

    def clear(self) -> None:
        self._items.clear()


class LongLived:
    """Python's full collections walk every live object: with a county's households cached
    they took half the intake's time (60 full collections of 0.3 s each on the medium
    county). Every `every` batches, what survived the young generations is frozen (no
    collection walks it again; freed by reference counting as before); every `refresh`
    freezes, everything is thawed and collected once, so that a cycle frozen by chance is
    not kept for ever."""

    def __init__(self, every: int = 20, refresh: int = 50, young: int = 50_000) -> None:
        self.every, self.refresh = every, refresh
        self.batches = self.freezes = 0
        seldom_young_collections(young)

    def batch_done(self) -> None:
        self.batches += 1
        if self.batches % self.every:
            return
        self.freezes += 1
        if self.freezes % self.refresh == 0:
            gc.unfreeze()
            gc.collect()
        else:
            gc.collect(1)
        gc.freeze()


def seldom_young_collections(young: int = 50_000) -> None:
    """Collect the young generation every `young` allocations, not every 700 (for the
    process: a batch job's). A batch allocates a few hundred thousand objects, nearly all
    freed by reference counting; the collections that walked them were a fifth of the
    intake's CPU time, and of household_state's rebuild."""
    first, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, first), max(middle, 20), old)


# A rebuild's batch of 20,000 events keeps a few hundred thousand objects alive until it is
# written (the rows read, their values, the tree's nodes): collected every 50,000
# allocations, they were walked again and again (a tenth of a rebuild's CPU time).
REBUILD_YOUNG = 1_000_000


@contextlib.contextmanager
def young_collections_every(young: int) -> Iterator[None]:
    """The young generation collected every `young` allocations while inside (the whole
    process's: a rebuild in a web worker's thread too), as it was after."""
    before = gc.get_threshold()
    gc.set_threshold(max(young, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
