"""The HTTP API under load, for `make bench`: `dixian serve` in a process of its own on the
benchmark's store, 20 clients at once asking for households' histories and for pages of the
problem list (following their cursors), each request's time measured at the client."""

from __future__ import annotations

import asyncio
import os
import random
import time
from pathlib import Path
from typing import Any

import httpx

from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.devtools.embedded import serving
from services.usecases.accounts import open_account

NAME, PASSWORD = "bench-county", "a benchmark's own passphrase"


def _account(store: EventStore, county: str) -> None:
    accounts = AccountStore(store)
    if accounts.load(NAME) is None:
        open_account(accounts, NAME, "county_official", county, PASSWORD, "bench")


def _percentiles(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "p50_ms": times[len(times) // 2] * 1000,
        "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)] * 1000,
        "requests": len(times),
    }


async def _load(
    base: str,
    households: list[str],
    townships: list[str],
    clients: int,
    per_client: int,
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as http:
        reply = await http.post("/api/auth/token", data={"username": NAME, "password": PASSWORD})
        reply.raise_for_status()
        http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        history: list[float] = []
        pages: list[float] = []

        async def timed(path: str, params: dict[str, Any] | None, into: list[float]) -> Any:
            t = time.perf_counter()
            r = await http.get(path, params=params)
            into.append(time.perf_counter() - t)
            r.raise_for_status()
            return r.json()

        async def reader(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(per_client):
                await timed(f"/api/households/{rng.choice(households)}/history", None, history)

        async def pager(seed: int) -> None:
            rng = random.Random(seed)
            done = 0
            while done < per_client:
                params: dict[str, Any] = {"limit": 50, "township": rng.choice(townships)}
                for _ in range(rng.randint(1, 4)):  # a first page, and some after it
                    page = await timed("/api/problems", params, pages)
                    done += 1
                    if not page["next_cursor"] or done >= per_client:
                        break
                    params["cursor"] = page["next_cursor"]

        await timed(f"/api/households/{households[0]}/history", None, [])  # warm up
        await asyncio.gather(*(reader(i) for i in range(clients)))
        await asyncio.gather(*(pager(1000 + i) for i in range(clients)))
    return {"history": _percentiles(history), "problem_page": _percentiles(pages)}


def http_latency(
    store: EventStore,
    env: dict[str, str],
    households: list[str],
    work: Path,
    clients: int = 20,
    per_client: int = 50,
    workers: int = 1,
) -> dict[str, Any]:
    """p50 and p95 of a household's history and of a page of the problem list, through
    HTTP with `clients` concurrent clients."""
    with store.connection() as conn:
        townships = [
            r["township"]
            for r in conn.execute("SELECT DISTINCT township FROM problem_ledger").fetchall()
        ]
        county = conn.execute("SELECT left(min(village_code), 6) AS c FROM household_state")
        _account(store, county.fetchone()["c"])
    work.mkdir(parents=True, exist_ok=True)
    timeouts = {**env, "DIXIAN_HTTP_REQUEST_TIMEOUT_SECONDS": "120"}
    extra = ("--no-projections", "--workers", str(workers))
    with serving(timeouts, work / "serve.log", *extra) as (base, _):
        result = asyncio.run(_load(base, households, townships, clients, per_client))
    return result | {"clients": clients, "workers": workers, "cpus": os.cpu_count()}
