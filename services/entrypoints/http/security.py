"""How the HTTP API knows who calls it. A browser holds a session cookie (Secure, HttpOnly,
SameSite=Lax — Strict would drop it on the way back from the identity provider and on a
link from elsewhere; only its SHA-256 is stored) and proves each state-changing request with
the session's CSRF token (the X-CSRF-Token header, or a csrf_token form field); a script
holds a short-lived bearer token, revocable, and needs no CSRF token (nothing ambient).
Passwords are Argon2id (services.adapters.passwords); logins are rate-limited per name and
per client (services.usecases.accounts.log_in) and counted in the metrics."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import Request, Response

from services.adapters.metrics import HTTP_LOGINS
from services.entrypoints.http.problems import ApiProblem
from services.settings import Settings
from services.usecases.accounts import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


async def check_csrf(request: Request, expected: str | None) -> None:
    """A state-changing request of a browser session carries the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(FORMS):
        value = (await request.form()).get(CSRF_FIELD)  # parsed once, kept for the route
        given = value if isinstance(value, str) else None
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise ApiProblem("CSRF_TOKEN_INVALID", "state-changing request without the token")


def check_same_site(request: Request) -> None:
    """A password login comes from this site's own page: another site's form must not log
    a browser into an account it chose (login CSRF). Browsers say where a request comes
    from (Sec-Fetch-Site); older ones, by the Origin header."""
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None:
        cross = site == "cross-site"
    else:
        cross = (
            bool(origin)
            and origin != "null"
            and (urlsplit(origin).netloc != request.headers.get("host"))
        )
    if cross:
        raise ApiProblem("CSRF_TOKEN_INVALID", "a login from another site's page")


def set_session_cookie(response: Response, settings: Settings, session: Session) -> None:
    response.set_cookie(
        settings.session_cookie_name,
        session.token,
        max_age=settings.session_ttl_seconds,
        path="/",
        secure=settings.session_cookie_secure,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        settings.session_cookie_name,
        path="/",
        secure=settings.session_cookie_secure,
        httponly=True,
        samesite="lax",
    )


def client_address(request: Request) -> str:
    """The client as the server saw it (behind a trusted proxy, the address it forwarded)."""
    return request.client.host if request.client else "unknown"


def count_login(outcome: str) -> None:
    HTTP_LOGINS.labels(outcome=outcome).inc()
