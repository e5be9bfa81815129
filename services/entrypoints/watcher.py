"""What the projections process measures by looking at the store every few seconds: each
projection's lag (in the events it reads, and in seconds), its skipped events, the age of
the audit log's last checkpoint and the leaves after it — into the metrics."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from psycopg_pool import ConnectionPool

from projections.runner import ProjectionRunner
from services.adapters import metrics

log = logging.getLogger("dixian.watcher")


def measure_projections(runners: list[ProjectionRunner]) -> None:
    for r in runners:
        name = r.projection.name
        lag = r.backlog()
        metrics.PROJECTION_LAG_EVENTS.labels(name).set(lag)
        behind = 0.0 if lag == 0 or r.caught_up_at is None else time.time() - r.caught_up_at
        metrics.PROJECTION_LAG_SECONDS.labels(name).set(behind)
        metrics.PROJECTION_SKIPPED.labels(name).set(r.skipped())


def measure_audit_log(pool: ConnectionPool) -> None:
    with pool.connection() as conn:
        row = conn.execute(
            "SELECT (SELECT max(signed_at) FROM audit_checkpoints), "
            "(SELECT count(*) FROM audit_leaves) - "
            "coalesce((SELECT max(tree_size) FROM audit_checkpoints), 0)"
        ).fetchone()
    if row is None:
        return
    signed_at, unsigned = row
    metrics.AUDIT_UNCHECKPOINTED.set(max(0, int(unsigned or 0)))
    if signed_at:
        age = time.time() - datetime.fromisoformat(str(signed_at)).timestamp()
        metrics.CHECKPOINT_AGE_SECONDS.set(max(0.0, age))


class Watcher:
    """Measures every `interval` seconds in a thread of its own, until stopped."""

    def __init__(
        self, runners: list[ProjectionRunner], pool: ConnectionPool, interval: float = 5.0
    ) -> None:
        self.runners, self.pool, self.interval = runners, pool, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watcher", daemon=True)

    def measure(self) -> None:
        measure_projections(self.runners)
        measure_audit_log(self.pool)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.measure()
            except Exception as e:  # the database away: the projections say so already
                log.warning("could not measure the projections", extra={"error": repr(e)})

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
