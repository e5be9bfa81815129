"""A projection verified from the web app's 系统 page: rebuilt in the shadow schema and
compared with the live tables (projections.shadow), in a thread of its own, one at a time;
the last result of each kept for the page. Nothing is changed: a rebuild that swaps the
tables in stays an operator's command on the server (`dixian projections rebuild NAME`)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from projections.registry import PROJECTIONS
from projections.runner import projection_pool
from projections.shadow import ShadowRebuild
from services.adapters.eventstore import EventStore
from services.settings import Settings
from services.usecases.errors import NotFound, Refused

log = logging.getLogger("dixian.projections")


class ProjectionChecks:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.results: dict[str, dict[str, Any]] = {}
        self.running: str | None = None

    def start(self, settings: Settings, store: EventStore, name: str, by: str) -> None:
        if name not in PROJECTIONS:
            raise NotFound("NOT_FOUND", name)
        if not self._lock.acquire(blocking=False):
            raise Refused("SWEEP_RUNNING", "a projection is being verified")
        self.running = name

        def run() -> None:
            started = time.time()
            try:
                with projection_pool(settings) as pool:
                    shadow = ShadowRebuild(
                        store, pool, settings.pg_url or "", PROJECTIONS[name](),
                        settings.projection_batch_size,
                    )  # fmt: skip
                    result = shadow.verify()
                self.results[name] = {
                    "ok": result.ok, "position": result.position, "rows": result.rows,
                    "differences": len(result.differences), "by": by, "at": started,
                }  # fmt: skip
            except Exception as e:
                log.exception("verifying %s failed", name)
                self.results[name] = {"ok": None, "error": type(e).__name__, "by": by,
                                      "at": started}  # fmt: skip
            finally:
                self.running = None
                self._lock.release()

        threading.Thread(target=run, name=f"verify-{name}", daemon=True).start()
