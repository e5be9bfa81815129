"""What every request passes through: a body-size limit, a timeout, security headers, the
metrics, and an access log line — the route's template, never the URL's values or query
(no household number or purpose in the logs), and the account, never a password."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from services.adapters.metrics import HTTP_REQUESTS, HTTP_SECONDS
from services.entrypoints.http.problems import MEDIA_TYPE, problem_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("dixian.http.access")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI sets inline styles (never inline scripts).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# evidence uploads: the API's, and the pages' forms that carry a photo
UPLOADS = re.compile(r"^(/api/problems/[^/]+/evidence|/problems/[^/]+/(act|close))$")
EXPORT_UPLOAD = "/api/national/jobs"  # a national system's export: a county's is tens of MB
EXPORT_MAX = 200 * 1024 * 1024
OVERHEAD = 64 * 1024  # a multipart body's boundaries and headers around the file


async def _problem(send: Send, code: str, detail: str) -> None:
    body = problem_body(code, detail)
    await send(
        {
            "type": "http.response.start",
            "status": body["status"],
            "headers": [(b"content-type", MEDIA_TYPE.encode())],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


class BodyTooLarge(HTTPException):
    """Raised while the body is read: FastAPI passes an HTTPException on as it is, and the
    problem handler answers 413 BODY_TOO_LARGE."""

    def __init__(self) -> None:
        super().__init__(413, "the request body is larger than allowed")


class Guard:
    """Limits, timeout, headers, metrics and the access log, in one pass per request."""

    def __init__(
        self,
        app: ASGIApp,
        max_body: int,
        max_upload: int,
        timeout: float,
        max_export: int = EXPORT_MAX,
    ) -> None:
        self.app, self.max_body, self.max_upload, self.timeout = app, max_body, max_upload, timeout
        self.max_export = max_export

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.max_upload + OVERHEAD if UPLOADS.match(path) else self.max_body
        if path == EXPORT_UPLOAD:
            limit = self.max_export + OVERHEAD
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _problem(send, "BODY_TOO_LARGE", f"more than {limit} bytes")
            return
        started, status = time.perf_counter(), [0]
        https = scope.get("scheme") == "https"
        received = [0]

        async def limited() -> Message:
            message = await receive()
            received[0] += len(message.get("body", b""))
            if received[0] > limit:
                raise BodyTooLarge
            return message

        timed_out = False

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                message["headers"] = [*message.get("headers", []), *_headers(path, https)]
            if not timed_out:
                await send(message)

        def time_out() -> None:
            """Not begun to answer in time: 504 now; what the route says later is dropped
            (a route in a thread cannot be stopped; its answer goes nowhere)."""
            nonlocal timed_out
            if not status[0]:
                timed_out, status[0] = True, 504
                late.append(asyncio.ensure_future(_problem(send, "REQUEST_TIMEOUT", detail)))

        detail = f"not answered in {self.timeout:g} s"
        late: list[asyncio.Future[None]] = []
        alarm = asyncio.get_running_loop().call_later(self.timeout, time_out)
        try:
            await self.app(scope, limited, guarded)
        except BodyTooLarge:
            if not status[0]:
                status[0] = 413
                await _problem(send, "BODY_TOO_LARGE", f"more than {limit} bytes")
        finally:
            alarm.cancel()
            for answer in late:
                await answer
            self._observe(scope, status[0], time.perf_counter() - started)

    def _observe(self, scope: Scope, status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "(unrouted)"
        method = scope["method"]
        HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
        HTTP_SECONDS.labels(method=method, route=route).observe(seconds)
        account = scope.get("state", {}).get("account", "-")
        log.info("%s %s %d %.1f ms account=%s", method, route, status, seconds * 1000, account)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _headers(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"content-security-policy", (DOCS_CSP if path == "/api/docs" else CSP).encode()),
    ]
    if path.startswith("/api/") and not path.startswith("/api/docs"):
        headers.append((b"cache-control", b"no-store"))  # personal data stays off disks
    if https:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return headers
