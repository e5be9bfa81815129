"""The service around the routes: health and readiness, Prometheus metrics, security
headers, body limits and timeouts, and logs that name routes, never households."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from http_support import HOUSEHOLD, Api, running

from services.settings import Settings

pytestmark = pytest.mark.integration


async def test_live_and_ready_need_no_login_and_ready_names_a_stalled_projection(
    api: Api,
) -> None:
    async with api.client() as c:
        assert (await c.get("/health/live")).json() == {"status": "live"}
        ready = await c.get("/health/ready")
        assert ready.status_code == 200, ready.text
        with api.store.connection() as conn:
            conn.execute(
                "UPDATE projection_positions SET position = 0, "
                "updated_at = now() - interval '1 hour' WHERE name = 'audit_trail'"
            )
        stalled = await c.get("/health/ready")
        assert stalled.status_code == 503
        assert stalled.json()["checks"]["projections"] == {"stalled": ["audit_trail"]}
    with api.store.connection() as conn:
        conn.execute(
            "UPDATE projection_positions SET position = (SELECT max(position) FROM "
            "audit_trail), updated_at = now() WHERE name = 'audit_trail'"
        )


async def test_ready_waits_for_the_intake_to_hold_partitions_when_it_runs(
    seeded: Settings,
) -> None:
    assigned = {"now": False}
    async with (
        running(seeded, intake_assigned=lambda: assigned["now"]) as api,
        api.client() as c,
    ):
        waiting = await c.get("/health/ready")
        assert waiting.status_code == 503
        assert waiting.json()["checks"]["intake"] == "no partitions assigned"
        assigned["now"] = True
        assert (await c.get("/health/ready")).status_code == 200


async def test_metrics_count_requests_by_route_template_and_logs_name_no_household(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    cadre = await api.bearer("cadre")
    with caplog.at_level(logging.INFO, logger="dixian.http.access"):
        assert (await cadre.get(f"/api/households/{HOUSEHOLD}")).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "dixian.http.access"]
    assert any("/api/households/{household_id} 200" in line for line in lines), lines
    assert not any(HOUSEHOLD in line for line in lines)
    async with api.client() as c:
        metrics = await c.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert (
        'dixian_http_requests_total{method="GET",route="/api/households/{household_id}",'
        'status="200"}' in metrics.text
    )
    assert "dixian_http_request_duration_seconds_bucket" in metrics.text
    assert HOUSEHOLD not in metrics.text


async def test_every_answer_carries_the_security_headers_and_hsts_only_behind_tls(
    api: Api,
) -> None:
    async with api.client() as tls:
        headers = (await tls.get("/api/problems")).headers  # a refusal is an answer too
    assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    assert "unsafe-inline" not in headers["content-security-policy"].split("style-src")[0]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert headers["strict-transport-security"].startswith("max-age=")
    plain = httpx.AsyncClient(transport=httpx.ASGITransport(app=api.app), base_url="http://t")
    async with plain:
        assert "strict-transport-security" not in (await plain.get("/health/live")).headers


async def test_a_body_too_large_is_refused_declared_or_streamed(seeded: Settings) -> None:
    async def stream() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"name=" + b"y" * 1000

    small = seeded.model_copy(update={"http_max_body_bytes": 2048})
    async with running(small) as api, api.client() as c:
        declared = await c.post("/api/auth/login", content=b"x" * 5000)
        assert declared.status_code == 413 and declared.json()["code"] == "BODY_TOO_LARGE"
        streamed = await c.post(
            "/api/auth/login",
            content=stream(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert streamed.status_code == 413 and streamed.json()["code"] == "BODY_TOO_LARGE"


async def test_a_request_not_answered_in_time_gets_504(
    api: Api, seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.usecases import operations

    def slow(store: object) -> list[object]:
        time.sleep(3)
        return []

    monkeypatch.setattr(operations, "projections_status", slow)
    token = (await api.bearer("operator")).headers["Authorization"]  # logged in beforehand
    impatient = seeded.model_copy(update={"http_request_timeout_seconds": 0.3})
    async with running(impatient) as quick, quick.client() as operator:
        reply = await operator.get("/api/projections", headers={"Authorization": token})
        assert reply.status_code == 504 and reply.json()["code"] == "REQUEST_TIMEOUT"
