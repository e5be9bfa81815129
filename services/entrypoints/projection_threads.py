"""Every projection tailing the store in a thread of its own (eventsourcing is synchronous),
for the running services and for a web app that keeps its own projections up."""

from __future__ import annotations

import threading

from psycopg_pool import ConnectionPool

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner
from services.adapters.eventstore import EventStore
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
