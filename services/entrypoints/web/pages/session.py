"""登录, 退出, 修改密码: the API's login (a session cookie and its CSRF token), logout and
password change, as forms."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.domain.accounts import AccountViolation
from services.domain.roles import Permission
from services.entrypoints.http import security
from services.entrypoints.http.deps import AccountsDep, Allowed, SettingsDep
from services.entrypoints.http.problems import REASONS, ApiProblem
from services.entrypoints.http.routes.auth import browser_session
from services.entrypoints.web.render import back_to, page
from services.usecases import accounts as uc
from services.usecases.accounts import LoginRefused

router = APIRouter(include_in_schema=False)
Self = Allowed(Permission.SELF)


def _safe_next(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    oidc = request.app.state.oidc is not None
    return page(request, "login.html", None, next=_safe_next(next), name="", oidc=oidc)


@router.post("/login")
def log_in(
    request: Request,
    accounts: AccountsDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    try:
        browser_session(request, response, accounts, settings, name, password)
    except (LoginRefused, ApiProblem) as e:
        status, text = REASONS.get(e.code, REASONS["LOGIN_FAILED"])
        oidc = request.app.state.oidc is not None
        return page(
            request, "login.html", None, status=status, error=text, next=_safe_next(next),
            name=name, oidc=oidc,
        )  # fmt: skip
    return response


@router.post("/logout")
def log_out(request: Request, who: Self, accounts: AccountsDep, settings: SettingsDep) -> Response:
    accounts.revoke(UUID(who.account_id), request.state.credential["token_id"])
    response = RedirectResponse("/login", status_code=303)
    security.clear_session_cookie(response, settings)
    return response


@router.get("/password", response_class=HTMLResponse)
def password_form(request: Request, who: Self, done: str = "") -> HTMLResponse:
    return page(request, "password.html", who, done=bool(done))


@router.post("/password")
async def change_password(
    request: Request,
    who: Self,
    accounts: AccountsDep,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
) -> Response:
    token_id = request.state.credential["token_id"]
    try:
        await run_in_threadpool(uc.change_own_password, accounts, who, current, new, token_id)
    except (LoginRefused, AccountViolation) as e:
        status, text = REASONS.get(e.code, REASONS["LOGIN_FAILED"])
        return page(request, "password.html", who, status=status, error=text)
    return back_to("/password", done="1")
