"""The HTTP API inside `dixian run` (DIXIAN_HTTP_IN_RUN): uvicorn on the run's event loop,
stopped by the run's own signal handling, its readiness including the run's intake."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from services.entrypoints.http.app import create_app
from services.settings import Settings

log = logging.getLogger("dixian.http")


class _InRun(uvicorn.Server):
    """uvicorn that leaves SIGINT and SIGTERM to `dixian run`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def options(settings: Settings) -> dict[str, Any]:
    """How `dixian serve` and `dixian run` run uvicorn; the access log is ours, at INFO."""
    logging.getLogger("dixian.http.access").setLevel(logging.INFO)
    return {
        "host": settings.http_host,
        "port": settings.http_port,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.http_forwarded_allow_ips,
        "timeout_keep_alive": 5,
        "timeout_graceful_shutdown": 10,
        "server_header": False,
        "log_level": "info",
        "access_log": False,  # its lines hold the URL's values: ours (middleware) hold routes
    }


def app_from_environment() -> Any:
    """The app of a uvicorn worker process (`dixian serve --workers N`), from DIXIAN_*."""
    logging.getLogger("dixian.http.access").setLevel(logging.INFO)
    return create_app(Settings(), projections=False)


async def serve_http(
    settings: Settings, stop: asyncio.Event, intake_assigned: Callable[[], bool] | None
) -> None:
    """Serve until `stop` is set (the run's threads keep the projections); if the server
    ends first (its port taken, say), set `stop`: the run ends with it, saying why."""
    app = create_app(settings, projections=False, intake_assigned=intake_assigned)
    server = _InRun(uvicorn.Config(app, **options(settings)))
    task = asyncio.create_task(server.serve())
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    if not stop.is_set():
        log.error("the HTTP API stopped on its own; stopping the services")
        stop.set()
    server.should_exit = True
    with contextlib.suppress(SystemExit):  # uvicorn exits so when it cannot listen
        await task
