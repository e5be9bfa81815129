"""The event store on the test's own database; the HTTP API's seeded database and app,
one per module."""

from collections.abc import AsyncIterator, Iterator

import pytest
from http_support import Api, running, seeded_database

from services.adapters.eventstore import EventStore
from services.settings import Settings


@pytest.fixture
def store(settings: Settings) -> Iterator[EventStore]:
    s = EventStore(settings)
    yield s
    s.close()


@pytest.fixture(scope="module")
def seeded(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A database with the demo village, a sweep and an account per role (http_support)."""
    with seeded_database(pg_server) as settings:
        yield settings.model_copy(update={"upload_dir": tmp_path_factory.mktemp("evidence")})


@pytest.fixture(scope="module")
async def api(seeded: Settings) -> AsyncIterator[Api]:
    async with running(seeded) as api:
        yield api
