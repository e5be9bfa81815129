"""Wiring: the store, the projections' pool and the running services, built from settings —
the intake consumer, every projection tailing the store in its own thread, and the
scheduler."""

from __future__ import annotations

import asyncio
import threading

from psycopg_pool import ConnectionPool

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.entrypoints.intake_consumer import IntakeService
from services.entrypoints.scheduler import Scheduler
from services.settings import Settings


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


class ProjectionThreads:
    """Every projection tailing the store in a thread of its own (eventsourcing is
    synchronous)."""

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
            if t.is_alive():
                t.join(10)


async def serve(
    settings: Settings,
    bootstrap: str | None,
    stop: asyncio.Event,
    *,
    intake: bool = True,
    projections: bool = True,
) -> None:
    """Run the intake and/or the projections (with the scheduler) until `stop` is set."""
    if intake and bootstrap is None:
        raise ValueError("the intake needs a Kafka bootstrap address")
    store = EventStore(settings)
    with projection_pool(settings) as pool:
        running = [
            ProjectionThreads(settings, projection_runners(settings, store, pool)),
            Scheduler(settings, store, pool),
        ]
        service = IntakeService(settings, store, bootstrap) if intake and bootstrap else None
        if service is not None and bootstrap is not None:
            await ensure_topics(settings, bootstrap)
            await service.broker.start()
            await service.publish_rejections()
        if projections:
            for r in running:
                r.start()
        web = asyncio.create_task(_web(settings, stop, service)) if settings.http_in_run else None
        try:
            await stop.wait()
        finally:
            if web is not None:
                await web
            if service is not None:
                await service.broker.stop()
            for r in running:
                r.stop()
            store.close()


async def _web(settings: Settings, stop: asyncio.Event, service: IntakeService | None) -> None:
    from services.entrypoints.http.server import serve_http

    assigned = (lambda: bool(service.stats.assigned)) if service is not None else None
    await serve_http(settings, stop, assigned)
