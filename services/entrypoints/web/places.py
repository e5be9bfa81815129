"""The place names pages show (the county's table over the registrations'), read once a
minute at most: they change when the county configures them or a village registers."""

from __future__ import annotations

import threading
import time

from services.adapters.eventstore import EventStore
from services.adapters.places import load_places
from services.domain.places import Places
from services.settings import Settings

_lock = threading.Lock()
_cached: dict[int, tuple[float, Places]] = {}


def place_names(store: EventStore, settings: Settings, max_age: float = 60.0) -> Places:
    with _lock:
        hit = _cached.get(id(store))
        if hit and time.monotonic() - hit[0] < max_age:
            return hit[1]
    names = load_places(settings.places_file, store)
    with _lock:
        _cached[id(store)] = (time.monotonic(), names)
    return names
