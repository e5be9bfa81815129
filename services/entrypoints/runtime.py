"""Wiring: the store, the projections' pool and the running services, built from settings —
the intake consumer, every projection tailing the store in its own thread, the
scheduler, and the process's metrics and health server."""

from __future__ import annotations

import asyncio
import logging

from psycopg_pool import ConnectionPool

from projections.runner import projection_pool
from services.adapters import metrics
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.entrypoints.intake_consumer import IntakeService
from services.entrypoints.ops_server import Check, Health, OpsServer
from services.entrypoints.projection_threads import ProjectionThreads, projection_runners
from services.entrypoints.scheduler import Scheduler
from services.entrypoints.watcher import Watcher
from services.settings import Settings

log = logging.getLogger("dixian.runtime")


def ops_server(settings: Settings, health: Health) -> OpsServer | None:
    """The process's /metrics and health server, if a port is configured."""
    if settings.metrics_port is None:
        return None
    server = OpsServer(health, settings.metrics_host, settings.metrics_port)
    server.start()
    return server


def database_check(pool: ConnectionPool) -> Check:
    def check() -> str | None:
        with pool.connection(timeout=5) as conn:
            conn.execute("SELECT 1")
        return None

    return check


async def _heartbeat(health: Health, every: float = 5.0) -> None:
    """Beat while the event loop turns: a loop stuck in a call stops it (liveness)."""
    while True:
        health.beat()
        await asyncio.sleep(every)


async def serve(
    settings: Settings,
    bootstrap: str | None,
    stop: asyncio.Event,
    *,
    intake: bool = True,
    projections: bool = True,
    health: Health | None = None,
) -> None:
    """Run the intake and/or the projections (with the scheduler) until `stop` is set."""
    if intake and bootstrap is None:
        raise ValueError("the intake needs a Kafka bootstrap address")
    roles = [r for r, on in (("intake", intake), ("projections", projections)) if on]
    log.info("starting", extra={"roles": roles, "settings": settings.effective()})
    metrics.started("+".join(roles) or "none")
    health = health or Health()
    store = EventStore(settings)
    with projection_pool(settings) as pool:
        health.checks["database"] = database_check(pool)
        runners = projection_runners(settings, store, pool)
        running = [
            ProjectionThreads(settings, runners),
            Scheduler(settings, store, pool),
            Watcher(runners, pool),
        ]
        service = (
            IntakeService.on_store(settings, store, bootstrap) if intake and bootstrap else None
        )
        server = ops_server(settings, health)
        beating = asyncio.create_task(_heartbeat(health))
        web = None
        try:
            if service is not None and bootstrap is not None:
                await ensure_topics(settings, bootstrap)
                await service.broker.start()
                health.checks["kafka"] = service.readiness
                await service.publish_rejections()
            if projections:
                for r in running:
                    r.start()
            if settings.http_in_run:  # the HTTP API and pages in this process too
                web = asyncio.create_task(_web(settings, stop, service))
            log.info("started", extra={"roles": roles})
            await stop.wait()
        finally:
            log.info("stopping", extra={"roles": roles})
            beating.cancel()
            if web is not None:
                await web
            if service is not None:
                await service.broker.stop()
            for r in running:
                r.stop()
            if server is not None:
                server.stop()
            store.close()


async def _web(settings: Settings, stop: asyncio.Event, service: IntakeService | None) -> None:
    from services.entrypoints.http.server import serve_http

    assigned = (lambda: bool(service.stats.assigned)) if service is not None else None
    await serve_http(settings, stop, assigned)
