"""`dixian serve` as a real uvicorn process on a free port: a script logs in with a bearer
token and reads within its scope; SIGTERM stops it."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import time
from pathlib import Path

import httpx
import pytest
from support import ingest_village

from services.devtools.embedded import free_port, serving
from services.devtools.village import VILLAGE
from services.entrypoints.cli import main
from services.settings import Settings

pytestmark = pytest.mark.e2e


def test_dixian_serve_answers_a_script_with_a_bearer_token_and_stops_on_sigterm(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_village(settings, "S1")
    monkeypatch.setenv("DIXIAN_PG_URL", settings.pg_url or "")
    monkeypatch.setattr("sys.stdin", io.StringIO("a passphrase for scripts\n"))
    assert main(["users", "add", "script.li", "--role", "township_official",
                 "--scope", VILLAGE[:9], "--password-stdin"]) == 0  # fmt: skip
    env = os.environ | {"DIXIAN_PG_URL": settings.pg_url or "", "DIXIAN_DATA_DIR": str(tmp_path)}
    with serving(env, tmp_path / "serve.log") as (base, server):
        token = httpx.post(
            f"{base}/api/auth/token",
            data={"username": "script.li", "password": "a passphrase for scripts"},
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        hid = f"{VILLAGE}S1001"
        deadline = time.monotonic() + 60  # its own threads bring household_state up to date
        while httpx.get(f"{base}/api/households/{hid}", headers=auth).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        history = httpx.get(f"{base}/api/households/{hid}/history", headers=auth)
        assert history.status_code == 200
        assert history.json()[0]["event_type"] == "household_registered"
        assert httpx.get(f"{base}/api/households/{hid}").status_code == 401
        assert "dixian_http_requests_total" in httpx.get(f"{base}/metrics").text
    code = server.returncode
    # uvicorn shuts down gracefully, then re-raises the signal it caught
    assert code in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (tmp_path / "serve.log").read_text()


async def test_dixian_run_serves_the_api_and_is_ready_once_the_intake_holds_partitions(
    settings: Settings, kafka_bootstrap: str
) -> None:
    from services.adapters.kafka_topics import ensure_topics
    from services.entrypoints.runtime import serve

    port = free_port()
    s = settings.model_copy(
        update={"kafka_bootstrap": kafka_bootstrap, "http_in_run": True, "http_port": port}
    )
    await ensure_topics(s, kafka_bootstrap)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop))
    checks: dict[str, object] = {}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 90
            while True:  # ready: the database, the projections, and partitions assigned
                try:
                    reply = await client.get("/health/ready")
                    checks = reply.json()["checks"]
                    if reply.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline and not services.done(), checks
                await asyncio.sleep(0.2)
            assert checks == {"database": "ok", "projections": "ok", "intake": "ok"}
    finally:
        stop.set()
        await services
