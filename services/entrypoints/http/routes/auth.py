"""Logging in and out: a browser session (cookie + CSRF token), a bearer token for scripts,
one's own account, password and live tokens, and OpenID Connect with a provider."""

from __future__ import annotations

import hmac
import logging
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from services.adapters.oidc import OidcClient, OidcFailed
from services.domain.roles import ROLE_LABELS, Permission
from services.entrypoints.http import security
from services.entrypoints.http.deps import AccountsDep, Allowed, SettingsDep
from services.entrypoints.http.problems import ApiProblem
from services.usecases import accounts as uc
from services.usecases.accounts import BEARER, COOKIE, LoginLimits

log = logging.getLogger("dixian.http")
router = APIRouter(prefix="/api/auth", tags=["auth"])
PUBLIC = {"x-dixian-public": True}
Self = Allowed(Permission.SELF)
OIDC_STATE_COOKIE = "dixian_oidc_state"


class LoggedIn(BaseModel):
    name: str
    role: str
    scope: str
    csrf_token: str = Field(description="Send it as X-CSRF-Token with every POST/PUT/DELETE.")
    expires_at: str


class BearerToken(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    token_id: str


def _limits(settings: Any) -> LoginLimits:
    return LoginLimits(settings.login_max_failures, settings.login_window_seconds)


def _log_in(request: Request, accounts: Any, settings: Any, name: str, password: str) -> Any:
    try:
        account = uc.log_in(
            accounts, name, password, security.client_address(request), _limits(settings)
        )
    except Exception as e:
        code = getattr(e, "code", "error")
        security.count_login(code)
        # the name tried stays in login_attempts: a password typed into it must not reach logs
        log.warning("login refused (%s) from %s", code, security.client_address(request))
        raise
    security.count_login("ok")
    return account


def browser_session(
    request: Request, response: Response, accounts: Any, settings: Any, name: str, password: str
) -> tuple[Any, Any]:
    """A password login from this site's page (the API's and the login page's): the
    account and its new session, whose cookie is set on the response."""
    security.check_same_site(request)
    account = _log_in(request, accounts, settings, name, password)
    session = uc.start_session(accounts, account, COOKIE, settings.session_ttl_seconds)
    security.set_session_cookie(response, settings, session)
    return account, session


@router.post("/login", openapi_extra=PUBLIC, response_model=LoggedIn)
def login(
    request: Request,
    response: Response,
    accounts: AccountsDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
) -> LoggedIn:
    """Log in with a name and password: a session cookie, and its CSRF token."""
    account, session = browser_session(request, response, accounts, settings, name, password)
    return LoggedIn(
        name=account.name,
        role=account.role,
        scope=account.scope,
        csrf_token=session.csrf_token or "",
        expires_at=session.expires_at.isoformat(),
    )


@router.post("/token", openapi_extra=PUBLIC, response_model=BearerToken)
def token(
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
) -> BearerToken:
    """A bearer token for a script (OAuth2 password form): short-lived, revocable."""
    account = _log_in(request, accounts, settings, username, password)
    session = uc.start_session(accounts, account, BEARER, settings.token_ttl_seconds)
    return BearerToken(
        access_token=session.token,
        expires_in=settings.token_ttl_seconds,
        token_id=str(session.token_id),
    )


@router.post("/logout")
def logout(
    request: Request, response: Response, who: Self, accounts: AccountsDep, settings: SettingsDep
) -> dict[str, Any]:
    """End this session (or revoke this bearer token)."""
    credential = request.state.credential
    accounts.revoke(UUID(who.account_id), credential["token_id"])
    security.clear_session_cookie(response, settings)
    return {"ended": str(credential["token_id"])}


@router.get("/me")
def me(request: Request, who: Self) -> dict[str, Any]:
    """Who is logged in: role, scope, permissions, and the session's CSRF token."""
    credential = request.state.credential
    return {
        "name": who.name,
        "role": who.role,
        "role_label": ROLE_LABELS[who.role],
        "scope": who.scope,
        "department": who.department,
        "permissions": sorted(who.permissions),
        "credential": credential["kind"],
        "csrf_token": credential["csrf_token"],
        "expires_at": credential["expires_at"],
    }


@router.get("/tokens")
def tokens(who: Self, accounts: AccountsDep) -> list[dict[str, Any]]:
    """One's own live sessions and bearer tokens."""
    return accounts.tokens(UUID(who.account_id))


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: UUID, who: Self, accounts: AccountsDep) -> dict[str, Any]:
    """Revoke one of one's own sessions or tokens."""
    if accounts.revoke(UUID(who.account_id), token_id) == 0:
        raise ApiProblem("NOT_FOUND", "no such live token of yours")
    return {"ended": str(token_id)}


class NewPassword(BaseModel):
    current: str = Field(max_length=1024)
    new: str = Field(max_length=1024)


@router.post("/password")
def change_password(
    body: NewPassword, request: Request, who: Self, accounts: AccountsDep
) -> dict[str, Any]:
    """A new password (given the current one); one's other sessions and tokens end."""
    uc.change_own_password(
        accounts, who, body.current, body.new, request.state.credential["token_id"]
    )
    return {"name": who.name, "password": "set"}


def _oidc(request: Request) -> OidcClient:
    client = request.app.state.oidc
    if client is None:
        raise ApiProblem("OIDC_NOT_CONFIGURED")
    return client  # type: ignore[no-any-return]


@router.get("/oidc/login", openapi_extra=PUBLIC)
async def oidc_login(
    request: Request, accounts: AccountsDep, settings: SettingsDep, next: str = "/"
) -> Response:
    """Go to the identity provider to log in; it sends the browser back to the callback."""
    client = _oidc(request)
    started = await client.start()
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    await run_in_threadpool(
        accounts.add_pending, started.state, started.nonce, started.code_verifier, target
    )
    response = RedirectResponse(started.url, status_code=302)
    # the state is this browser's: a callback forwarded to another's logs nobody in
    response.set_cookie(
        OIDC_STATE_COOKIE,
        started.state,
        max_age=600,
        path="/api/auth/oidc",
        secure=settings.session_cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


@router.get("/oidc/callback", openapi_extra=PUBLIC)
async def oidc_callback(
    request: Request, accounts: AccountsDep, settings: SettingsDep, code: str, state: str
) -> Response:
    """The provider vouched for someone: their account (opened or regraded as its claims
    say, recorded as granted by the provider) gets a session."""
    client = _oidc(request)
    mine = request.cookies.get(OIDC_STATE_COOKIE, "")
    if not hmac.compare_digest(mine.encode(), state.encode()):
        raise OidcFailed("this browser did not start this login (its state cookie differs)")
    pending = await run_in_threadpool(accounts.take_pending, state)
    if pending is None:
        raise OidcFailed("no login under way with this state (expired, or used already)")
    vouched = await client.finish(code, pending["nonce"], pending["code_verifier"])
    account = await run_in_threadpool(
        uc.provider_account,
        accounts,
        vouched.name,
        vouched.role,
        vouched.scope,
        vouched.department,
        client.issuer,
    )
    session = await run_in_threadpool(
        uc.start_session, accounts, account, COOKIE, settings.session_ttl_seconds
    )
    security.count_login("ok")
    response = RedirectResponse(pending["next_path"], status_code=303)
    response.delete_cookie(OIDC_STATE_COOKIE, path="/api/auth/oidc")
    security.set_session_cookie(response, settings, session)
    return response
