"""The Prometheus metrics of dixian's processes, in one registry that `/metrics` exposes
(names begin `dixian_`; labels carry route templates and codes, never personal data)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()

HTTP_REQUESTS = Counter(
    "dixian_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "dixian_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
HTTP_LOGINS = Counter(
    "dixian_http_logins",
    "Login attempts, by outcome (ok, or the reason code of the refusal).",
    ["outcome"],
    registry=REGISTRY,
)
