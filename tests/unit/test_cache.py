"""The household cache is bounded: memory does not grow with the number of households."""

from services.domain.household import Household
from services.intake.cache import HouseholdCache


def household(hid: str) -> Household:
    meta = {
        "event_id": hid,
        "event_type": "household_registered",
        "schema_version": 1,
        "household_id": hid,
        "occurred_at": "2025-01-01T00:00:00+08:00",
        "recorded_at": "2025-01-01T00:00:00+08:00",
        "source_system": "village_app",
        "actor_id": "c",
        "actor_role": "village_cadre",
    }
    facts = {"village_code": "532524105201", "household_type": "ordinary", "members": []}
    return Household.register(meta, facts)


def test_the_cache_keeps_at_most_its_size_and_drops_the_least_recently_used() -> None:
    cache = HouseholdCache(2)
    cache.put([household("H001"), household("H002")])
    cache.take(["H001"])  # H001 is now the most recent
    cache.put([household("H003")])
    found, missing = cache.take(["H001", "H002", "H003"])
    assert len(cache) == 2
    assert set(found) == {"H001", "H003"} and missing == {"H002"}


def test_evicted_and_cleared_households_must_be_loaded_again() -> None:
    cache = HouseholdCache(10)
    cache.put([household("H001"), household("H002")])
    cache.evict(["H001"])
    assert cache.take(["H001", "H002"])[1] == {"H001"}
    cache.clear()
    assert len(cache) == 0
