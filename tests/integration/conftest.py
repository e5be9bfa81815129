"""The event store on the test's own database."""

from collections.abc import Iterator

import pytest

from services.adapters.eventstore import EventStore
from services.settings import Settings


@pytest.fixture
def store(settings: Settings) -> Iterator[EventStore]:
    s = EventStore(settings)
    yield s
    s.close()
