"""The processes' Prometheus metrics, in one registry that each process's HTTP server (and
the web app's) serves at /metrics. Names start with `dixian_`; docs/operations.md says
what each alert on them means."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

# --- the intake --------------------------------------------------------------------------
INTAKE_MESSAGES = Counter(
    "dixian_intake_messages",
    "Messages the intake decided on: accepted, duplicate (an exact resend, absorbed) or "
    "rejected (with its reason code), by the source the envelope named.",
    ["outcome", "reason_code", "source_system"],
    registry=REGISTRY,
)
INTAKE_BATCH_SECONDS = Histogram(
    "dixian_intake_batch_seconds",
    "Time to check, decide and store one batch (one PostgreSQL transaction).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
    registry=REGISTRY,
)
INTAKE_FETCH_FAILURES = Counter(
    "dixian_intake_fetch_failures",
    "Fetches from Kafka that failed (the consume loop is slowed and restarted).",
    registry=REGISTRY,
)
INTAKE_BATCH_FAILURES = Counter(
    "dixian_intake_batch_failures",
    "Batches that failed as a whole (the database, not a message) and were read again.",
    registry=REGISTRY,
)
INTAKE_OFFSET_GAPS = Counter(
    "dixian_intake_offset_gaps",
    "Batches that started after the stored position of a partition and were read again.",
    registry=REGISTRY,
)
INTAKE_CONSUMER_LAG = Gauge(
    "dixian_intake_consumer_lag_messages",
    "Messages on the partition after the last one this worker stored (high watermark "
    "minus position), per partition it holds.",
    ["topic", "partition"],
    registry=REGISTRY,
)
INTAKE_PARTITIONS_HALTED = Gauge(
    "dixian_intake_partitions_halted",
    "Partitions paused with POSITION_BEYOND_LOG_END: the broker lost messages the store has.",
    registry=REGISTRY,
)
# --- the projections, the sweep, the audit log --------------------------------------------
PROJECTION_LAG_EVENTS = Gauge(
    "dixian_projection_lag_events",
    "Events in the store after the projection's position that the projection reads.",
    ["projection"],
    registry=REGISTRY,
)
PROJECTION_LAG_SECONDS = Gauge(
    "dixian_projection_lag_seconds",
    "Seconds since the projection last had nothing left to read (0 while caught up).",
    ["projection"],
    registry=REGISTRY,
)
PROJECTION_SKIPPED = Gauge(
    "dixian_projection_skipped_events",
    "Events the projection could not apply and passed over (projection_skipped).",
    ["projection"],
    registry=REGISTRY,
)
SWEEP_SECONDS = Histogram(
    "dixian_sweep_seconds",
    "Duration of a compliance sweep.",
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800),
    registry=REGISTRY,
)
SWEEP_FAILURES = Counter("dixian_sweep_failures", "Daily sweeps that failed.", registry=REGISTRY)
CHECKPOINT_AGE_SECONDS = Gauge(
    "dixian_audit_checkpoint_age_seconds",
    "Seconds since the audit log's last signed checkpoint (as of the last look).",
    registry=REGISTRY,
)
AUDIT_UNCHECKPOINTED = Gauge(
    "dixian_audit_unsigned_leaves",
    "Audit log leaves after the last signed checkpoint.",
    registry=REGISTRY,
)

# --- the HTTP API and the web pages (labels: route templates and codes, never personal data)
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


# --- the process ---------------------------------------------------------------------------
UP_SINCE = Gauge(
    "dixian_process_start_time_seconds",
    "When this process started (Unix time).",
    ["service"],
    registry=REGISTRY,
)


def started(service: str) -> None:
    UP_SINCE.labels(service).set(time.time())
