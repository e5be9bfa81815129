"""The small HTTP server of each running process: /metrics (Prometheus, the registry of
services.adapters.metrics), /health/live (the process's loop still turns) and
/health/ready (it can do its work: its checks pass). In a thread of its own, so that a
scrape never waits for a batch."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.adapters.metrics import REGISTRY

log = logging.getLogger("dixian.ops")

Check = Callable[[], str | None]  # None: fine; else what is wrong, in a sentence


class Health:
    """What the probes ask: a heartbeat the process beats (liveness), and named checks
    (readiness)."""

    def __init__(self, stale_after: float = 60.0) -> None:
        self.stale_after = stale_after
        self.checks: dict[str, Check] = {}
        self.port: int | None = None  # where it is served, once it is
        self._beat = time.monotonic()

    def beat(self) -> None:
        self._beat = time.monotonic()

    def live(self) -> tuple[bool, dict[str, Any]]:
        quiet = time.monotonic() - self._beat
        return quiet < self.stale_after, {"heartbeat_seconds_ago": round(quiet, 1)}

    def ready(self) -> tuple[bool, dict[str, Any]]:
        problems: dict[str, str] = {}
        for name, check in self.checks.items():
            try:
                problem = check()
            except Exception as e:  # a check that fails is a problem, not a crash
                problem = f"{type(e).__name__}: {e}"
            if problem:
                problems[name] = problem
        return not problems, {"checks": sorted(self.checks), "problems": problems}


class OpsServer:
    """Serves the registry and the health of one process on host:port (0: a free port)."""

    def __init__(self, health: Health, host: str, port: int) -> None:
        self.health = health
        handler = _handler(health)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = health.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="ops-server", daemon=True
        )

    def start(self) -> None:
        self._thread.start()
        log.info("metrics and health served", extra={"port": self.port})

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _handler(health: Health) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path == "/metrics":
                self._send(200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST)
            elif path in ("/health/live", "/health/ready"):
                ok, detail = health.live() if path.endswith("live") else health.ready()
                body = json.dumps({"ok": ok, **detail}, ensure_ascii=False).encode()
                self._send(200 if ok else 503, body, "application/json")
            else:
                self._send(404, b'{"error": "NOT_FOUND"}', "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # scrapes are not news
            pass

    return Handler
