"""OpenID Connect login with a provincial identity provider (Keycloak is the common one):
the authorization-code flow with PKCE (authlib's helpers), the ID token's signature checked
against the provider's published keys and its issuer, audience, expiry and nonce checked
(joserfc), and the claims mapped to a role and a scope as the settings say."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from services.domain.roles import Role
from services.settings import Settings


class OidcFailed(Exception):
    """OIDC_FAILED: the provider did not vouch for anyone (a sentence says what failed)."""

    code = "OIDC_FAILED"

    def __init__(self, detail: str) -> None:
        super().__init__(f"OIDC_FAILED: {detail}")
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Vouched:
    name: str
    role: str
    scope: str
    department: str | None


@dataclass(frozen=True, slots=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


class OidcClient:
    def __init__(self, settings: Settings, timeout: float = 10.0) -> None:
        if not (settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_uri):
            raise ValueError("OIDC is not configured")
        self.settings = settings
        self.issuer = settings.oidc_issuer.rstrip("/")
        self.timeout = timeout
        self._discovery: tuple[float, dict[str, Any]] | None = None

    async def discovery(self) -> dict[str, Any]:
        """The provider's metadata (kept for an hour)."""
        if self._discovery is None or time.monotonic() - self._discovery[0] > 3600:
            doc = await self._get(f"{self.issuer}/.well-known/openid-configuration")
            if doc.get("issuer", "").rstrip("/") != self.issuer:
                raise OidcFailed("the provider names another issuer")
            self._discovery = (time.monotonic(), doc)
        return self._discovery[1]

    async def start(self) -> Started:
        meta = await self.discovery()
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        url = add_params_to_uri(
            meta["authorization_endpoint"],
            {
                "response_type": "code",
                "client_id": self.settings.oidc_client_id,
                "redirect_uri": self.settings.oidc_redirect_uri,
                "scope": "openid profile",
                "state": state,
                "nonce": nonce,
                "code_challenge": create_s256_code_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        return Started(url, state, nonce, verifier)

    async def finish(self, code: str, nonce: str, code_verifier: str) -> Vouched:
        """Exchange the code for tokens, check the ID token, map its claims."""
        meta = await self.discovery()
        s = self.settings
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            reply = await client.post(
                meta["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": s.oidc_redirect_uri,
                    "client_id": s.oidc_client_id,
                    "code_verifier": code_verifier,
                },
                auth=(s.oidc_client_id or "", s.oidc_client_secret or ""),
            )
        if reply.status_code != 200 or "id_token" not in reply.json():
            raise OidcFailed(f"the token endpoint answered {reply.status_code}")
        keys = KeySet.import_key_set(await self._get(meta["jwks_uri"]))
        try:
            token = jwt.decode(reply.json()["id_token"], keys)
            jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": meta["issuer"]},
                aud={"essential": True, "value": s.oidc_client_id},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(token.claims)
        except (JoseError, ValueError) as e:
            raise OidcFailed(f"the ID token does not verify: {type(e).__name__}") from None
        return self.vouched(token.claims)

    def vouched(self, claims: dict[str, Any]) -> Vouched:
        s = self.settings
        name = claims.get(s.oidc_name_claim) or claims.get("sub")
        roles = claims.get(s.oidc_role_claim)
        candidates = roles if isinstance(roles, list) else [roles]
        mapped = [s.oidc_roles.get(str(r), str(r)) for r in candidates if r]
        role = next((r for r in mapped if r in set(Role)), None)
        scope = claims.get(s.oidc_scope_claim)
        if not isinstance(name, str) or role is None or not isinstance(scope, str):
            raise OidcFailed("the provider's claims give no name, known role or scope")
        department = claims.get("dixian_department")
        return Vouched(name, role, scope, department if isinstance(department, str) else None)

    async def _get(self, url: str) -> Any:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            reply = await client.get(url)
        if reply.status_code != 200:
            raise OidcFailed(f"{url} answered {reply.status_code}")
        return reply.json()
