"""The schema made by one process at a time. Two services starting together on a new
database (`dixian run` and a command, or several workers) would otherwise create the same
tables at once, and PostgreSQL refuses one of them: `tuple concurrently updated`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from services.settings import Settings

SCHEMA_LOCK = 0x6469786961  # "dixia": the advisory lock every schema maker takes


@contextmanager
def schema_lock(settings: Settings) -> Iterator[None]:
    """Held on a connection of its own (the makers use their own pools) until the
    schema is made; the lock goes with the connection if the process dies."""
    p = settings.eventsourcing_env()
    with psycopg.connect(
        dbname=p["POSTGRES_DBNAME"],
        host=p["POSTGRES_HOST"],
        port=p["POSTGRES_PORT"],
        user=p["POSTGRES_USER"],
        password=p["POSTGRES_PASSWORD"] or None,
        connect_timeout=int(float(p["POSTGRES_CONNECT_TIMEOUT"])),
        autocommit=True,
    ) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        yield


def make_schema(conn: psycopg.Connection[Any], *statements: str) -> None:
    """Statements that make tables, in one transaction that takes the lock first."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        for statement in statements:
            conn.execute(statement)  # type: ignore[arg-type]
