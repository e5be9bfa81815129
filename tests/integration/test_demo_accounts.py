"""`make demo`'s accounts: one per role, with their scopes, each able to log in with the
password printed; a second run gives new passwords to the same accounts."""

from __future__ import annotations

import pytest
from http_support import running

from services.adapters.eventstore import EventStore
from services.devtools.demo_accounts import create_demo_accounts, login_lines
from services.domain.roles import Role
from services.settings import Settings

pytestmark = pytest.mark.integration


async def test_the_demo_makes_one_account_per_role_that_logs_in_with_its_printed_password(
    settings: Settings,
) -> None:
    store = EventStore(settings)
    try:
        first = create_demo_accounts(store)
        second = create_demo_accounts(store)
    finally:
        store.close()
    assert sorted(a["role"] for a in first) == sorted(Role)
    assert [a["name"] for a in first] == [a["name"] for a in second]
    assert all(a["password"] != b["password"] for a, b in zip(first, second, strict=True))
    printed = "\n".join(login_lines(second, "127.0.0.1", 8000))
    assert all(a["password"] in printed for a in second)
    async with running(settings) as api:
        for a in second:
            client = await api.bearer(a["name"], a["password"])
            me = (await client.get("/api/auth/me")).json()
            assert (me["role"], me["scope"]) == (a["role"], a["scope"])
            await client.aclose()
        async with api.client() as c:
            old = await c.post(
                "/api/auth/login", data={"name": first[0]["name"], "password": first[0]["password"]}
            )
        assert old.status_code == 401
