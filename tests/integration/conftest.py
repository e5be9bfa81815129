"""The event store on the test's own database."""

from collections.abc import Iterator

import pytest

from services.settings import Settings
from services.store import EventStore


@pytest.fixture
def store(settings: Settings) -> Iterator[EventStore]:
    s = EventStore(settings)
    yield s
    s.close()
