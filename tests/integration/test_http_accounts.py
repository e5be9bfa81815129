"""Accounts through the HTTP API and the command line: every grant and disable a recorded
event (in the audit log), a disabled account's sessions and tokens end at once, logins are
rate-limited, an administrator acts only within their scope."""

from __future__ import annotations

import asyncio
import hashlib
import io

import httpx
import pytest
from http_support import PASSWORD, Api, catch_up

from services.adapters.account_store import AccountStore
from services.domain.accounts import ACCOUNT_TOPIC_PREFIX
from services.entrypoints.cli import main
from services.settings import Settings
from services.usecases.audit.verify import verify

pytestmark = pytest.mark.integration


async def test_a_disabled_accounts_session_and_token_stop_working_at_once(api: Api) -> None:
    admin = await api.session("admin")
    opened = await admin.post(
        "/api/accounts",
        json={
            "name": "wang.wu",
            "role": "village_cadre",
            "scope": "610326101201",
            "password": PASSWORD,
        },
    )
    assert opened.status_code == 201, opened.text
    browser, script = await api.session("wang.wu"), await api.bearer("wang.wu")
    assert (await browser.get("/api/problems")).status_code == 200
    assert (await script.get("/api/problems")).status_code == 200

    off = await admin.post("/api/accounts/wang.wu/disable", json={"reason": "调离岗位"})
    assert off.status_code == 200 and off.json()["disabled"] is True
    for client in (browser, script):
        reply = await client.get("/api/problems")
        assert reply.status_code == 401 and reply.json()["code"] == "SESSION_ENDED"
    async with api.client() as c:
        again = await c.post("/api/auth/login", data={"name": "wang.wu", "password": PASSWORD})
    assert again.status_code == 403 and again.json()["code"] == "ACCOUNT_DISABLED"

    account = AccountStore(api.store).load("wang.wu")
    assert account is not None
    stored = api.store.recorder.select_events(account.id)
    steps = [(type(e).__qualname__, e.by) for e in map(api.store.mapper.to_domain_event, stored)]
    assert steps == [
        ("Account.Opened", "admin"),
        ("Account.PasswordSet", "admin"),
        ("Account.Disabled", "admin"),
    ]
    on = await admin.post("/api/accounts/wang.wu/enable")
    assert on.json()["disabled"] is False
    assert (await api.session("wang.wu")).headers["X-CSRF-Token"]


async def test_grants_and_disables_are_in_the_tamper_evident_log(
    api: Api, seeded: Settings
) -> None:
    admin = await api.bearer("admin")
    granted = await admin.post(
        "/api/accounts/cadre/grant", json={"role": "township_official", "scope": "610326101"}
    )
    assert granted.status_code == 200 and granted.json()["granted_by"] == "admin"
    await admin.post(
        "/api/accounts/cadre/grant", json={"role": "village_cadre", "scope": "610326101201"}
    )
    catch_up(seeded, api.store)
    with api.store.connection() as conn:
        logged = conn.execute(
            f"SELECT count(*) AS n FROM audit_leaves l JOIN {api.store.events_table} e "
            "ON e.notification_id = l.notification_id WHERE e.topic LIKE %s",
            (ACCOUNT_TOPIC_PREFIX + "%",),
        ).fetchone()["n"]
    assert logged >= 2 * 12  # every account's opening and password, and these grants
    key = seeded.verifying_key()
    assert key is not None and verify(api.store, key).ok  # the grants break no checkpoint
    inspector = await api.bearer("inspector")
    grants = (await inspector.get("/api/audit/actors/admin")).json()
    assert [g["event_type"] for g in grants if g.get("role")][-2:] == [
        "Account.RoleGranted",
        "Account.RoleGranted",
    ]


async def test_an_administrator_acts_only_within_their_scope(api: Api) -> None:
    admin = await api.bearer("admin")
    listed = {a["name"] for a in (await admin.get("/api/accounts")).json()}
    assert "cadre" in listed and "county-other" not in listed

    async def refused(name: str, role: str, scope: str, password: str = PASSWORD) -> str:
        body = {"name": name, "role": role, "scope": scope, "password": password}
        reply = await admin.post("/api/accounts", json=body)
        assert reply.status_code in (409, 422), reply.text
        return str(reply.json()["code"])

    assert await refused("far.away", "village_cadre", "610399101201") == "ROLE_SCOPE_INVALID"
    assert await refused("mis.fit", "village_cadre", "610326") == "ROLE_SCOPE_INVALID"
    assert await refused("short.pw", "operator", "610326", "123") == "PASSWORD_TOO_SHORT"
    assert await refused("CADRE", "village_cadre", "610326101201") == "ACCOUNT_EXISTS"
    myself = await admin.post("/api/accounts/admin/disable", json={"reason": "x"})
    assert myself.json()["code"] == "ACCOUNT_SELF"


async def test_failed_logins_are_limited_per_name_and_noted(api: Api) -> None:
    async with api.client() as c:
        for _ in range(api.settings.login_max_failures):
            wrong = await c.post("/api/auth/login", data={"name": "operator", "password": "guess"})
            assert wrong.status_code == 401 and wrong.json()["code"] == "LOGIN_FAILED"
        limited = await c.post("/api/auth/login", data={"name": "operator", "password": PASSWORD})
        assert limited.status_code == 429 and limited.json()["code"] == "LOGIN_RATE_LIMITED"
        assert int(limited.headers["Retry-After"]) > 0
        for variant in ("OPERATOR", " Operator"):  # the same account, the same count
            again = await c.post("/api/auth/login", data={"name": variant, "password": PASSWORD})
            assert again.json()["code"] == "LOGIN_RATE_LIMITED", variant
        nobody = await c.post("/api/auth/login", data={"name": "no.one", "password": PASSWORD})
        assert nobody.json()["code"] == "LOGIN_FAILED"  # the same answer as a wrong password
    with api.store.connection() as conn:
        noted = conn.execute(
            "SELECT reason, count(*) AS n FROM login_attempts WHERE name = 'operator' GROUP BY 1"
        ).fetchall()
    assert {r["reason"]: r["n"] for r in noted} == {"LOGIN_FAILED": 5, "LOGIN_RATE_LIMITED": 3}
    async with api.client() as c:
        metrics = (await c.get("/metrics")).text
    assert 'dixian_http_logins_total{outcome="LOGIN_RATE_LIMITED"}' in metrics


async def test_a_burst_of_guesses_at_once_is_limited_as_a_burst(api: Api) -> None:
    async def guess(c: httpx.AsyncClient) -> str:
        reply = await c.post("/api/auth/login", data={"name": "township-other", "password": "x"})
        return str(reply.json()["code"])

    elsewhere = httpx.ASGITransport(app=api.app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=elsewhere, base_url="https://testserver") as c:
        codes = await asyncio.gather(*(guess(c) for _ in range(12)))
    assert codes.count("LOGIN_FAILED") <= api.settings.login_max_failures
    assert codes.count("LOGIN_RATE_LIMITED") >= 12 - api.settings.login_max_failures


async def test_a_person_changes_their_password_and_their_other_sessions_end(api: Api) -> None:
    first, second = await api.session("department"), await api.session("department")
    changed = await first.post(
        "/api/auth/password", json={"current": PASSWORD, "new": "another long passphrase"}
    )
    assert changed.status_code == 200, changed.text
    assert (await first.get("/api/auth/me")).status_code == 200
    assert (await second.get("/api/auth/me")).json()["code"] == "SESSION_ENDED"
    await api.session("department", "another long passphrase")


async def test_a_password_reset_ends_the_accounts_sessions_and_spares_the_inspectors(
    api: Api,
) -> None:
    cadre = await api.bearer("cadre-other")  # someone who knew the old password
    county_admin = await api.bearer("admin")
    new = {"password": "a new long passphrase"}
    reset = await county_admin.post("/api/accounts/cadre-other/password", json=new)
    assert reset.status_code == 200, reset.text
    assert (await cadre.get("/api/auth/me")).json()["code"] == "SESSION_ENDED"
    for path, body in (
        ("/api/accounts/inspector/password", {"password": "a new long passphrase"}),
        ("/api/accounts/inspector/disable", {"reason": "x"}),
        ("/api/accounts/cadre/grant", {"role": "discipline_inspector", "scope": "610326"}),
    ):
        reply = await county_admin.post(path, json=body)
        assert reply.status_code == 403 and reply.json()["code"] == "INSPECTOR_INDEPENDENT", path
    await api.session("inspector")  # still theirs


def test_the_command_line_adds_lists_and_disables_accounts_as_recorded_events(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIXIAN_PG_URL", seeded.pg_url or "")
    monkeypatch.setattr("sys.stdin", io.StringIO("a passphrase from stdin\n"))
    assert main(["users", "add", "li.si", "--role", "township_official", "--scope",
                 "610326101", "--password-stdin"]) == 0  # fmt: skip
    assert main(["users", "add", "zhao.liu", "--role", "operator", "--scope", "610326"]) == 0
    out = capsys.readouterr().out
    assert "password: " in out  # a random one, shown once
    assert main(["users", "add", "bad", "--role", "village_cadre", "--scope", "610326"]) == 2
    assert "ROLE_SCOPE_INVALID" in capsys.readouterr().out
    assert main(["users", "disable", "li.si", "--reason", "retired"]) == 0
    assert main(["users", "list", "--scope", "610326101"]) == 0
    listing = capsys.readouterr().out
    assert "li.si" in listing and "disabled" in listing and "zhao.liu" not in listing
    from services.adapters.eventstore import EventStore

    store = EventStore(seeded)
    try:
        account = AccountStore(store).load("li.si")
        assert account is not None and account.disabled and account.opened_by.startswith("cli:")
    finally:
        store.close()


async def test_the_session_cookie_is_secure_httponly_and_same_site(api: Api) -> None:
    async with api.client() as c:
        reply = await c.post("/api/auth/login", data={"name": "county", "password": PASSWORD})
    cookie = reply.headers["set-cookie"].lower()
    assert cookie.startswith(f"{api.settings.session_cookie_name}=")
    for flag in ("secure", "httponly", "samesite=lax", "path=/"):
        assert flag in cookie, flag
    token = reply.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    with api.store.connection() as conn:  # only its digest is kept
        kept = conn.execute("SELECT count(*) AS n FROM account_sessions WHERE token_sha256 = %s",
                            (hashlib.sha256(token.encode()).digest(),)).fetchone()["n"]  # fmt: skip
    assert kept == 1
