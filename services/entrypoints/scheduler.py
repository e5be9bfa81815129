"""What the running services do by the clock: the compliance sweep as of the day before,
every day at `sweep_daily_at` in the county's time, and a signed checkpoint of the audit
log every `audit_checkpoint_seconds` when it has grown, published to the witnesses. Each
in a thread of its own (eventsourcing is synchronous); another process sweeping the same
day raises nothing twice."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from psycopg_pool import ConnectionPool

from services.adapters import metrics
from services.adapters.audit_log import Signer, make_checkpoint
from services.adapters.eventstore import EventStore
from services.settings import Settings
from services.usecases.audit.cosignatures import collect_cosignatures
from services.usecases.audit.publishing import publish_checkpoints
from services.usecases.compliance.sweep import CHINA, run_sweep

log = logging.getLogger("dixian.scheduler")


def sign_if_grown(pool: ConnectionPool, signer: Signer) -> dict[str, Any] | None:
    """Sign a checkpoint if the audit log grew since the last one."""
    with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM audit_leaves) > "
            "coalesce((SELECT max(tree_size) FROM audit_checkpoints), -1)"
        )
        row = cur.fetchone()
        return make_checkpoint(cur, signer) if row and row[0] else None


class Scheduler:
    def __init__(self, settings: Settings, store: EventStore, pool: ConnectionPool) -> None:
        self.settings, self.store, self.pool = settings, store, pool
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._checkpoints, name="checkpoints")]
        if settings.sweep_daily:
            self._threads.append(threading.Thread(target=self._sweeps, name="sweep"))

    def _sweeps(self) -> None:
        params, at = self.settings.compliance_params(), self.settings.sweep_daily_at
        while True:
            now = datetime.now(CHINA)
            due = datetime.combine(now.date(), at, CHINA)
            due += timedelta(days=1) if due <= now else timedelta()
            if self._stop.wait((due - now).total_seconds()):
                return
            try:  # the day that ended: its lapses are due
                day = due.date() - timedelta(days=1)
                started = time.perf_counter()
                run_sweep(self.store, day, params, "daily sweep", self.settings.sweep_workers)
                metrics.SWEEP_SECONDS.observe(time.perf_counter() - started)
            except Exception:
                metrics.SWEEP_FAILURES.inc()
                log.exception("the daily sweep failed; trying again tomorrow")

    def _checkpoints(self) -> None:
        signer = self.settings.signer()
        while not self._stop.wait(self.settings.audit_checkpoint_seconds):
            try:
                cp = sign_if_grown(self.pool, signer)
                if cp is not None:
                    log.info(
                        "audit checkpoint signed",
                        extra={"tree_size": cp["tree_size"], "root_hash": cp["root_hash"]},
                    )
            except Exception:
                log.exception("the audit checkpoint failed; trying again later")
            try:  # to the witnesses, each checkpoint once, in order
                asyncio.run(publish_checkpoints(self.settings, self.store))
            except Exception:
                log.exception("publishing checkpoints failed; trying again later")
            try:  # and back from them: who witnessed which
                asyncio.run(collect_cosignatures(self.settings, self.store))
            except Exception:
                log.exception("collecting co-signatures failed; trying again later")

    def start(self) -> None:
        for t in self._threads:
            t.daemon = True
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            if t.is_alive():
                t.join(10)
