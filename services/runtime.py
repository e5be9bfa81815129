"""Wiring: the store, the projections' pool and the running services, built from settings."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.audit.log import Signer, make_checkpoint
from services.compliance.sweep import CHINA, run_sweep
from services.intake.service import IntakeService
from services.settings import Settings
from services.store import EventStore
from services.topics import ensure_topics

log = logging.getLogger("dixian.runtime")


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


def sign_if_grown(pool: ConnectionPool, signer: Signer) -> dict[str, Any] | None:
    """Sign a checkpoint if the audit log grew since the last one."""
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM audit_leaves) > "
            "coalesce((SELECT max(tree_size) FROM audit_checkpoints), -1)"
        )
        row = cur.fetchone()
        return make_checkpoint(cur, signer) if row and row[0] else None


class RunningProjections:
    """Every projection tailing the store in its own thread (eventsourcing is synchronous),
    a checkpoint of the audit log signed regularly, and the compliance sweep as of the day
    before, every day at `sweep_daily_at` in the county's time (another process sweeping
    the same day raises nothing twice)."""

    def __init__(
        self, settings: Settings, runners: list[ProjectionRunner], pool: ConnectionPool
    ) -> None:
        self._stop = threading.Event()
        signer = Signer(settings.signing_key_file())

        def sweeps() -> None:
            params, at = settings.compliance_params(), settings.sweep_daily_at
            while True:
                now = datetime.now(CHINA)
                due = datetime.combine(now.date(), at, CHINA)
                due += timedelta(days=1) if due <= now else timedelta()
                if self._stop.wait((due - now).total_seconds()):
                    return
                try:  # the day that ended: its lapses are due
                    day = due.date() - timedelta(days=1)
                    run_sweep(runners[0].store, day, params, "daily sweep", settings.sweep_workers)
                except Exception:
                    log.exception("the daily sweep failed; trying again tomorrow")

        def checkpoints() -> None:
            while not self._stop.wait(settings.audit_checkpoint_seconds):
                try:
                    sign_if_grown(pool, signer)
                except Exception:
                    log.exception("the audit checkpoint failed; trying again later")

        self._threads = [
            threading.Thread(target=checkpoints, name="audit-checkpoints", daemon=True)
        ]
        if settings.sweep_daily and runners:
            self._threads.append(threading.Thread(target=sweeps, name="sweep", daemon=True))
        self._threads += [
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
            if t.is_alive():  # never started when the process runs the intake only
                t.join(10)


async def serve(
    settings: Settings,
    bootstrap: str | None,
    stop: asyncio.Event,
    *,
    intake: bool = True,
    projections: bool = True,
) -> None:
    """Run the intake and/or the projections until `stop` is set."""
    store = EventStore(settings)
    with projection_pool(settings) as pool:
        running = RunningProjections(settings, projection_runners(settings, store, pool), pool)
        if intake and bootstrap is None:
            raise ValueError("the intake needs a Kafka bootstrap address")
        service = IntakeService(settings, store, bootstrap) if intake and bootstrap else None
        if service:
            assert bootstrap is not None
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
