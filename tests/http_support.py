"""The HTTP API's tests share this: a database holding the demo village (through the
intake), a sweep and its problems, the projections caught up, and an account per role —
in the village's scope and outside it — and clients of the app through httpx's ASGI
transport (https, so the cookies are Secure as in production)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from support import fresh_database, ingest_village

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.devtools.village import VILLAGE
from services.domain.compliance.findings import township_of
from services.entrypoints.http.app import create_app
from services.settings import Settings
from services.usecases.accounts import open_account
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.compliance.sweep import run_sweep

RUN = "H1"
DAY = date(2026, 3, 1)  # after the village script's last step
PASSWORD = "correct horse battery staple"
TOWNSHIP, COUNTY = township_of(VILLAGE), VILLAGE[:6]
OTHER_VILLAGE, OTHER_TOWNSHIP, OTHER_COUNTY = VILLAGE[:-1] + "9", TOWNSHIP[:-1] + "9", "610399"

# name → (role, scope, department)
ACCOUNTS: dict[str, tuple[str, str, str | None]] = {
    "cadre": ("village_cadre", VILLAGE, None),
    "township": ("township_official", TOWNSHIP, None),
    "county": ("county_official", COUNTY, None),
    "admin": ("county_administrator", COUNTY, None),
    "inspector": ("discipline_inspector", COUNTY, None),
    "operator": ("operator", COUNTY, None),
    "department": ("department", COUNTY, "civil_affairs"),
    # the same roles elsewhere: what is in the village's scope does not exist for them
    "cadre-other": ("village_cadre", OTHER_VILLAGE, None),
    "township-other": ("township_official", OTHER_TOWNSHIP, None),
    "county-other": ("county_official", OTHER_COUNTY, None),
    "admin-other": ("county_administrator", OTHER_COUNTY, None),
    "inspector-other": ("discipline_inspector", OTHER_TOWNSHIP, None),
}
IN_SCOPE = {"village_cadre": "cadre", "township_official": "township", "county_official": "county",
            "county_administrator": "admin", "discipline_inspector": "inspector",
            "operator": "operator", "department": "department"}  # fmt: skip
OUT_OF_SCOPE = {ACCOUNTS[n][0]: n for n in ACCOUNTS if n.endswith("-other")}
HOUSEHOLD = f"{VILLAGE}{RUN}001"


def catch_up(settings: Settings, store: EventStore) -> None:
    with projection_pool(settings) as pool:
        for cls in PROJECTIONS.values():
            runner = ProjectionRunner(store, pool, cls(), 1000)
            runner.setup()
            runner.catch_up()


@contextlib.contextmanager
def seeded_database(server: str) -> Iterator[Settings]:
    """A database of its own with the village, a sweep, the projections and the accounts."""
    with fresh_database(server) as url:
        settings = Settings(pg_url=url, projection_poll_ms=20)
        ingest_village(settings, RUN)
        store = EventStore(settings)
        try:
            catch_up(settings, store)
            run_sweep(store, DAY, settings.compliance_params(), ran_by="test-sweep")
            accounts = AccountStore(store)
            for n, (role, scope, department) in ACCOUNTS.items():
                open_account(accounts, n, role, scope, PASSWORD, "test", department=department)
            catch_up(settings, store)
            checkpoint_now(settings, store)
        finally:
            store.close()
        yield settings


@dataclass
class Api:
    """The app, and a way to get a client logged in as an account."""

    app: Any
    settings: Settings

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url="https://testserver"
        )

    async def session(self, name: str, password: str = PASSWORD) -> httpx.AsyncClient:
        """A client holding a browser session of the account, sending its CSRF token."""
        client = self.client()
        reply = await client.post("/api/auth/login", data={"name": name, "password": password})
        assert reply.status_code == 200, reply.text
        client.headers["X-CSRF-Token"] = reply.json()["csrf_token"]
        return client

    async def bearer(self, name: str, password: str = PASSWORD) -> httpx.AsyncClient:
        """A client with a bearer token of the account (no cookie, no CSRF token)."""
        client = self.client()
        reply = await client.post("/api/auth/token", data={"username": name, "password": password})
        assert reply.status_code == 200, reply.text
        client.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
        return client

    @property
    def store(self) -> EventStore:
        return self.app.state.store  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def running(settings: Settings, **kw: Any) -> AsyncIterator[Api]:
    """The app with its lifespan entered (httpx's transport does not run it)."""
    app = create_app(settings, projections=False, **kw)
    async with app.router.lifespan_context(app):
        yield Api(app, settings)


def a_problem(store: EventStore, village: str = VILLAGE, ongoing: bool | None = None) -> str:
    """An open problem of the village that is not a suspicion of favoritism (a standing
    condition or not, if asked), the first in the ledger's order that no one has touched."""
    with store.connection() as conn:
        rows = conn.execute(
            "SELECT problem_id FROM problem_ledger WHERE village = %s "
            "AND concern IS DISTINCT FROM 'favoritism' AND status = 'open' "
            "ORDER BY rule_id, problem_id",
            (village,),
        ).fetchall()
    for r in rows:
        p = store.repository.get(r["problem_id"])  # the store's word: the projection may lag
        if p.status == "open" and (ongoing is None or p.ongoing == ongoing):
            return str(r["problem_id"])
    raise AssertionError(f"no such problem in {village}")
