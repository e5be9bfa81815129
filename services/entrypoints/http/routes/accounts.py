"""Accounts, for county administrators: list, open, grant a role and scope, disable, enable,
set a password — each an Account event naming the administrator, within their scope."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.domain.accounts import Account
from services.domain.roles import Permission, Role
from services.entrypoints.http.deps import AccountsDep, Allowed
from services.usecases import accounts as uc

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
Admin = Allowed(Permission.ACCOUNTS_MANAGE)


class Grant(BaseModel):
    role: Role
    scope: str = Field(pattern=r"^[0-9]{6,12}$", description="A region code: 6, 9 or 12 digits.")
    department: str | None = Field(default=None, max_length=64, description="department only")


class NewAccount(Grant):
    name: str = Field(min_length=2, max_length=64)
    password: str = Field(max_length=1024)


class Disable(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class Password(BaseModel):
    password: str = Field(max_length=1024)


def _shown(a: Account) -> dict[str, Any]:
    return a.summary()


@router.get("")
def list_accounts(who: Admin, accounts: AccountsDep) -> list[dict[str, Any]]:
    """The accounts whose scope lies within yours."""
    return uc.list_accounts(accounts, who.scope)


@router.post("", status_code=201)
def open_account(body: NewAccount, who: Admin, accounts: AccountsDep) -> dict[str, Any]:
    """Open an account with a role, a scope within yours, and a first password."""
    return _shown(
        uc.open_account(
            accounts,
            body.name,
            body.role,
            body.scope,
            body.password,
            who.name,
            department=body.department,
            within=who.scope,
        )
    )


@router.post("/{name}/grant")
def grant(name: str, body: Grant, who: Admin, accounts: AccountsDep) -> dict[str, Any]:
    """Give the account another role or scope (recorded: who granted what to whom)."""
    return _shown(
        uc.grant(
            accounts, name, body.role, body.scope, who.name,
            department=body.department, within=who.scope,
        )
    )  # fmt: skip


@router.post("/{name}/disable")
def disable(name: str, body: Disable, who: Admin, accounts: AccountsDep) -> dict[str, Any]:
    """Disable the account: its sessions and tokens stop working at once."""
    return _shown(uc.disable(accounts, name, body.reason, who.name, who.scope))


@router.post("/{name}/enable")
def enable(name: str, who: Admin, accounts: AccountsDep) -> dict[str, Any]:
    return _shown(uc.enable(accounts, name, who.name, who.scope))


@router.post("/{name}/password")
def set_password(name: str, body: Password, who: Admin, accounts: AccountsDep) -> dict[str, Any]:
    """Set a new password for the account (its holder should change it)."""
    return _shown(uc.set_password(accounts, name, body.password, who.name, who.scope))
