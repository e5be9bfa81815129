"""Wiring: the store, the projections' pool and the running services, built from settings."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from psycopg_pool import ConnectionPool

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.intake.service import IntakeService
from services.settings import Settings
from services.store import EventStore
from services.topics import ensure_topics


@contextmanager
def projection_pool(settings: Settings) -> Iterator[ConnectionPool]:
    pool = ConnectionPool(settings.pg_url or "", min_size=1, max_size=4, open=True)
    try:
        yield pool
    finally:
        pool.close()


def projection_runners(
    settings: Settings, store: EventStore, pool: ConnectionPool
) -> list[ProjectionRunner]:
    runners = [
        ProjectionRunner(store, pool, cls(), settings.projection_batch_size)
        for cls in PROJECTIONS.values()
    ]
    for r in runners:
        r.setup()
    return runners


class RunningProjections:
    """Every projection tailing the store in its own thread (eventsourcing is synchronous)."""

    def __init__(self, settings: Settings, runners: list[ProjectionRunner]) -> None:
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(
                target=r.run_until,
                args=(self._stop, settings.projection_poll_ms / 1000),
                name=f"projection-{r.projection.name}",
                daemon=True,
            )
            for r in runners
        ]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(10)


async def serve(
    settings: Settings,
    bootstrap: str,
    stop: asyncio.Event,
    *,
    intake: bool = True,
    projections: bool = True,
) -> None:
    """Run the intake and/or the projections until `stop` is set."""
    store = EventStore(settings)
    with projection_pool(settings) as pool:
        running = RunningProjections(settings, projection_runners(settings, store, pool))
        service = IntakeService(settings, store, bootstrap) if intake else None
        if service:
            await ensure_topics(settings, bootstrap)
            await service.broker.start()
            await service.publish_rejections()
        if projections:
            running.start()
        try:
            await stop.wait()
        finally:
            if service:
                await service.broker.stop()
            running.stop()
            store.close()
