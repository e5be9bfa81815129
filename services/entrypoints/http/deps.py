"""The dependencies every route declares in its signature, so who may call it is read at a
glance and enforced in one place: the current account (from a session cookie, CSRF-checked,
or a bearer token), the permission its role must hold, and the problem of the path — found
only within the account's scope (outside it: 404, as if it did not exist; households are
found through the scoped queries, services/adapters/scoped_queries.py, the same way).

They serve the JSON routes and server-rendered pages alike: a page declares the same
`Allowed(...)` or `ProblemTo...` parameters; `optional_account` lets a
page show a login form instead of answering 401.
"""
# No `from __future__ import annotations`: the closures below annotate with their own
# locals, which FastAPI must resolve at run time. What does no I/O is `async def`: FastAPI
# runs a plain `def` dependency in a thread, a hop each.

import hmac
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any
from urllib.parse import unquote
from uuid import UUID

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.adapters.evidence_store import EvidenceStore
from services.domain.compliance.ledger import Problem
from services.domain.roles import Permission, Principal
from services.entrypoints.http import security
from services.entrypoints.http.problems import ApiProblem
from services.settings import Settings
from services.usecases import problems
from services.usecases.accounts import BEARER, COOKIE, LoginRefused, resolve

P = Permission


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_store(request: Request) -> EventStore:
    return request.app.state.store  # type: ignore[no-any-return]


async def get_accounts(request: Request) -> AccountStore:
    return request.app.state.accounts  # type: ignore[no-any-return]


async def get_evidence(request: Request) -> EvidenceStore:
    return request.app.state.evidence  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[EventStore, Depends(get_store)]
AccountsDep = Annotated[AccountStore, Depends(get_accounts)]
EvidenceDep = Annotated[EvidenceStore, Depends(get_evidence)]


async def optional_account(
    request: Request, accounts: AccountsDep, settings: SettingsDep
) -> Principal | None:
    """The account of the request's bearer token or session cookie (a state-changing
    request of a session must carry its CSRF token), or None if it carries neither.
    A credential that has ended — expired, revoked, its account disabled — is refused."""
    token, kind = security.bearer_token(request), BEARER
    if token is None:
        token, kind = request.cookies.get(settings.session_cookie_name), COOKIE
    if token is None:
        return None
    try:
        who, row = await run_in_threadpool(resolve, accounts, token, kind)
    except LoginRefused as e:
        raise ApiProblem("SESSION_ENDED", e.detail) from None
    if kind == COOKIE:
        await security.check_csrf(request, row["csrf_token"])
    request.state.credential = row  # the session or token, for logout and /me
    request.state.account = who.name  # for the access log: an account, never a household
    request.state.principal = who  # for a page's error page (its menu)
    return who


async def current_account(who: Annotated[Principal | None, Depends(optional_account)]) -> Principal:
    if who is None:
        raise ApiProblem(
            "AUTH_REQUIRED", "no session or token", {"WWW-Authenticate": 'Bearer realm="dixian"'}
        )
    return who


CurrentAccount = Annotated[Principal, Depends(current_account)]


@cache
def permitted(*permissions: Permission) -> Callable[..., Any]:
    """A dependency: the current account, if its role holds one of the permissions (else
    403)."""

    async def check(who: CurrentAccount) -> Principal:
        if not any(who.may(p) for p in permissions):
            raise ApiProblem("PERMISSION_DENIED", f"{who.role} lacks {' or '.join(permissions)}")
        return who

    check.permissions = permissions  # type: ignore[attr-defined]  # read into the OpenAPI doc
    return check


def Allowed(*permissions: Permission) -> Any:  # named as a type: it reads as one
    """`who: Allowed(P.X)` in a route's signature: the account, if its role may do X."""
    return Annotated[Principal, Depends(permitted(*permissions))]


@cache
def problem_for(permission: Permission) -> Callable[..., Problem]:
    """A dependency: the problem of the path, for an account whose role holds the
    permission (else 403) and whose scope holds the problem (else 404)."""

    def load(
        who: Annotated[Principal, Depends(permitted(permission))],
        store: StoreDep,
        problem_id: UUID,
    ) -> Problem:
        return problems.problem_in_scope(store, who, problem_id)

    return load


ProblemToRead = Annotated[Problem, Depends(problem_for(P.PROBLEMS_READ))]
ProblemToRectify = Annotated[Problem, Depends(problem_for(P.PROBLEMS_RECTIFY))]
ProblemToClose = Annotated[Problem, Depends(problem_for(P.PROBLEMS_CLOSE))]

PURPOSE_HEADER = "X-Read-Purpose"


async def read_purpose(
    request: Request,
    who: Annotated[Principal | None, Depends(optional_account)],
    purpose: str | None = None,
    csrf: str | None = None,
) -> str | None:
    """Why the reader wants personal data unmasked: the X-Read-Purpose header
    (percent-encoded UTF-8: headers are ASCII), or ?purpose=; recorded with the read. A
    browser session's ?purpose= needs its CSRF token as well (the header, or ?csrf=): a
    link from another site must not record a read in someone's name."""
    header = request.headers.get(PURPOSE_HEADER)
    if header:
        return unquote(header)
    if purpose and who is not None and security.bearer_token(request) is None:
        row = getattr(request.state, "credential", None) or {}
        given = request.headers.get(security.CSRF_HEADER) or csrf
        expected = row.get("csrf_token")
        if not expected or not given or not hmac.compare_digest(given, expected):
            raise ApiProblem(
                "CSRF_TOKEN_INVALID", "a purpose in the address needs the session's token"
            )
    return purpose


Purpose = Annotated[str | None, Depends(read_purpose)]


def required_permissions(dependant: Any) -> tuple[Permission, ...]:
    """The permissions (any one of them) a route's dependencies require, for the OpenAPI
    document: () when it requires none."""
    for sub in dependant.dependencies:
        found = getattr(sub.call, "permissions", None) or required_permissions(sub)
        if found:
            return found  # type: ignore[no-any-return]
    return ()
