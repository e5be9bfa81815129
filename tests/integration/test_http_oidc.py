"""OpenID Connect login against a stand-in issuer this test runs on uvicorn (a provincial
Keycloak cannot run here): the code flow with PKCE, the ID token's signature, issuer,
audience and nonce checked, the claims mapped to a role and a scope — the account opened
and regraded as recorded events granted by the provider."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Form, Request
from fastapi.responses import RedirectResponse
from http_support import running
from joserfc import jwt
from joserfc.jwk import RSAKey

from services.adapters.account_store import AccountStore
from services.devtools.embedded import free_port
from services.settings import Settings
from services.usecases.accounts import open_account

pytestmark = pytest.mark.integration
CLIENT, SECRET = "dixian-web", "s3cret"
CALLBACK = "https://testserver/api/auth/oidc/callback"


@dataclass
class Issuer:
    """A minimal OpenID provider: discovery, authorize, token, JWKS."""

    url: str
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048))
    claims: dict[str, Any] = field(default_factory=dict)
    sign_with: RSAKey | None = None  # another key: a forged token
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        def discovery() -> dict[str, str]:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
            }

        @app.get("/authorize")
        def authorize(request: Request) -> RedirectResponse:
            q = request.query_params
            assert q["client_id"] == CLIENT and q["code_challenge_method"] == "S256"
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": q["nonce"], "challenge": q["code_challenge"]}
            back = f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}"
            return RedirectResponse(back, status_code=302)

        @app.post("/token")
        def token(
            request: Request, code: str = Form(), code_verifier: str = Form()
        ) -> dict[str, str]:
            basic = base64.b64decode(request.headers["authorization"].split()[1]).decode()
            assert basic == f"{CLIENT}:{SECRET}"
            grant = self.codes.pop(code)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == grant["challenge"]
            now = int(time.time())
            claims = {"iss": self.url, "aud": CLIENT, "sub": "u-17", "iat": now,
                      "exp": now + 300, "nonce": grant["nonce"]} | self.claims  # fmt: skip
            signed = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.sign_with or self.key)
            return {"id_token": signed, "access_token": "unused", "token_type": "Bearer"}

        @app.get("/jwks")
        def jwks() -> dict[str, Any]:
            return {"keys": [self.key.as_dict(private=False) | {"kid": "k1", "use": "sig"}]}

        return app


@pytest.fixture
async def issuer() -> AsyncIterator[Issuer]:
    port = free_port()
    provider = Issuer(f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(provider.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield provider
    server.should_exit = True
    await task


def oidc_settings(settings: Settings, issuer: Issuer) -> Settings:
    return settings.model_copy(
        update={
            "oidc_issuer": issuer.url,
            "oidc_client_id": CLIENT,
            "oidc_client_secret": SECRET,
            "oidc_redirect_uri": CALLBACK,
            "oidc_roles": {"乡镇工作人员": "township_official", "村干部": "village_cadre"},
        }
    )


async def log_in(
    client: httpx.AsyncClient, issuer: Issuer, back_in: httpx.AsyncClient | None = None
) -> httpx.Response:
    """Through the provider and back, as a browser goes (`back_in`: the way back opened in
    another browser, as a forwarded link is)."""
    start = await client.get("/api/auth/oidc/login", params={"next": "/api/auth/me"})
    assert start.status_code == 302 and start.headers["location"].startswith(issuer.url)
    async with httpx.AsyncClient() as browser:
        back = await browser.get(start.headers["location"])
    location = urlparse(back.headers["location"])
    return await (back_in or client).get(f"{location.path}?{location.query}")


async def test_a_provider_vouches_for_a_township_official_who_then_holds_a_session(
    settings: Settings, issuer: Issuer
) -> None:
    issuer.claims = {"preferred_username": "zhou.qi", "dixian_role": ["offline_access",
                     "乡镇工作人员"], "dixian_scope": "610326101"}  # fmt: skip
    async with running(oidc_settings(settings, issuer)) as api, api.client() as client:
        done = await log_in(client, issuer)
        assert done.status_code == 303 and done.headers["location"] == "/api/auth/me"
        me = (await client.get("/api/auth/me")).json()
        assert (me["name"], me["role"], me["scope"]) == (
            "zhou.qi",
            "township_official",
            "610326101",
        )
        account = AccountStore(api.store).load("zhou.qi")
        assert account is not None and account.origin == f"oidc:{issuer.url}"

        issuer.claims |= {"dixian_role": "村干部", "dixian_scope": "610326101201"}
        async with api.client() as again:
            await log_in(again, issuer)
            me = (await again.get("/api/auth/me")).json()
        assert (me["role"], me["scope"]) == ("village_cadre", "610326101201")
        events = [
            type(api.store.mapper.to_domain_event(s)).__qualname__
            for s in api.store.recorder.select_events(account.id)
        ]
        assert events == ["Account.Opened", "Account.RoleGranted"]


async def test_a_provider_cannot_log_into_a_local_account_of_the_same_name(
    settings: Settings, issuer: Issuer
) -> None:
    issuer.claims = {"preferred_username": "ZhangWei", "dixian_role": "乡镇工作人员",
                     "dixian_scope": "610326101"}  # fmt: skip
    async with running(oidc_settings(settings, issuer)) as api, api.client() as client:
        accounts = AccountStore(api.store)
        open_account(
            accounts, "zhangwei", "discipline_inspector", "610326", "a long passphrase!", "t"
        )
        refused = await log_in(client, issuer)
        assert refused.json()["code"] == "ACCOUNT_OF_ANOTHER_ORIGIN"
        local = accounts.load("zhangwei")
        assert local is not None and (local.role, local.scope) == ("discipline_inspector", "610326")
        assert (await client.get("/api/auth/me")).status_code == 401


async def test_a_callback_forwarded_to_another_browser_logs_nobody_in(
    settings: Settings, issuer: Issuer
) -> None:
    issuer.claims = {"preferred_username": "mallory", "dixian_role": "乡镇工作人员",
                     "dixian_scope": "610326101"}  # fmt: skip
    async with (
        running(oidc_settings(settings, issuer)) as api,
        api.client() as attacker,
        api.client() as victim,
    ):
        forwarded = await log_in(attacker, issuer, back_in=victim)
        assert forwarded.json()["code"] == "OIDC_FAILED"
        assert (await victim.get("/api/auth/me")).status_code == 401


async def test_a_password_login_from_another_sites_page_is_refused(
    settings: Settings, issuer: Issuer
) -> None:
    async with running(oidc_settings(settings, issuer)) as api, api.client() as c:
        body = {"name": "nobody", "password": "whatever it is"}
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
            refused = await c.post("/api/auth/login", data=body, headers=headers)
            assert refused.json()["code"] == "CSRF_TOKEN_INVALID", headers
        own = {"Sec-Fetch-Site": "same-origin", "Origin": "https://testserver"}
        assert (await c.post("/api/auth/login", data=body, headers=own)).json()["code"] == (
            "LOGIN_FAILED"
        )


async def test_a_forged_or_replayed_answer_of_the_provider_opens_nothing(
    settings: Settings, issuer: Issuer
) -> None:
    issuer.claims = {"preferred_username": "mallory", "dixian_role": "乡镇工作人员",
                     "dixian_scope": "610326101"}  # fmt: skip
    issuer.sign_with = RSAKey.generate_key(2048)
    async with running(oidc_settings(settings, issuer)) as api, api.client() as client:
        forged = await log_in(client, issuer)
        assert forged.status_code == 401 and forged.json()["code"] == "OIDC_FAILED"
        assert AccountStore(api.store).load("mallory") is None
        issuer.sign_with = None
        start = await client.get("/api/auth/oidc/login")
        async with httpx.AsyncClient() as browser:
            back = urlparse((await browser.get(start.headers["location"])).headers["location"])
        state = parse_qs(back.query)["state"][0]
        assert (await client.get(f"{back.path}?{back.query}")).status_code == 303
        replayed = await client.get("/api/auth/oidc/callback", params={"code": "x", "state": state})
        assert replayed.json()["code"] == "OIDC_FAILED"


async def test_without_a_configured_provider_the_oidc_login_is_not_found(
    settings: Settings,
) -> None:
    async with running(settings) as api, api.client() as client:
        reply = await client.get("/api/auth/oidc/login")
    assert reply.status_code == 404 and reply.json()["code"] == "OIDC_NOT_CONFIGURED"
