"""What administrators and people do with accounts — open one, grant a role and scope,
disable, enable, set a password, log in, hold a session or a bearer token — for the command
line and the HTTP API alike. Each change is an Account event; an administrator acts only
within their own scope ("" for the server's command line)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from services.adapters.account_store import AccountStore
from services.adapters.passwords import hash_password, needs_rehash, verify_password
from services.domain.accounts import Account, AccountViolation, check_password
from services.domain.roles import Principal, Role

COOKIE, BEARER = "cookie", "bearer"


class LoginRefused(Exception):
    """A login that did not succeed; `code` is stable: LOGIN_FAILED, LOGIN_RATE_LIMITED."""

    def __init__(self, code: str, detail: str, retry_after: int = 0) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.retry_after = code, detail, retry_after


@dataclass(frozen=True, slots=True)
class LoginLimits:
    max_failures: int
    window_seconds: float


@dataclass(frozen=True, slots=True)
class Session:
    token: str  # given to the client once; only its SHA-256 is kept
    token_id: UUID
    kind: str
    csrf_token: str | None
    expires_at: datetime


def _within(account: Account | None, name: str, within: str) -> Account:
    """The account, if an administrator of `within` (or, with "", the server's operator)
    may manage it."""
    if account is None or not account.scope.startswith(within):
        raise AccountViolation("ACCOUNT_NOT_FOUND", name)
    if within and account.role == Role.DISCIPLINE_INSPECTOR:
        # the inspectors watch the county: its administrators never hold their accounts
        raise AccountViolation("INSPECTOR_INDEPENDENT", name)
    return account


def _in_scope(scope: str, within: str, role: str) -> None:
    if not scope.startswith(within):
        raise AccountViolation("ROLE_SCOPE_INVALID", f"{scope} is outside your scope {within}")
    if within and role == Role.DISCIPLINE_INSPECTOR:
        raise AccountViolation("INSPECTOR_INDEPENDENT", role)


def open_account(
    accounts: AccountStore,
    name: str,
    role: str,
    scope: str,
    password: str | None,
    by: str,
    *,
    department: str | None = None,
    within: str = "",
    origin: str = "local",
) -> Account:
    """A new account (with a password, or none: it then signs in only through a provider)."""
    _in_scope(scope, within, role)
    account = Account.open(name, role, scope, by, department, origin)
    also = None
    if password is not None:
        check_password(password)
        account.password_set(by)
        also = accounts.writes_password(account.id, hash_password(password))
    accounts.save(account, also)
    return account


def grant(
    accounts: AccountStore,
    name: str,
    role: str,
    scope: str,
    by: str,
    *,
    department: str | None = None,
    within: str = "",
) -> Account:
    account = _within(accounts.load(name), name, within)
    _in_scope(scope, within, role)
    if within and account.name == by:
        raise AccountViolation("ACCOUNT_SELF", name)
    account.grant(role, scope, by, department)
    accounts.save(account)
    return account


def disable(accounts: AccountStore, name: str, reason: str, by: str, within: str = "") -> Account:
    """Disable the account: its sessions and tokens end in the same transaction."""
    account = _within(accounts.load(name), name, within)
    if within and account.name == by:
        raise AccountViolation("ACCOUNT_SELF", name)
    account.disable(reason, by)
    accounts.save(account)
    return account


def enable(accounts: AccountStore, name: str, by: str, within: str = "") -> Account:
    account = _within(accounts.load(name), name, within)
    account.enable(by)
    accounts.save(account)
    return account


def set_password(
    accounts: AccountStore,
    name: str,
    password: str,
    by: str,
    within: str = "",
    keep: UUID | None = None,
) -> Account:
    """A new password; the account's sessions and tokens (but `keep`) end with it."""
    account = _within(accounts.load(name), name, within)
    check_password(password)
    account.password_set(by)
    accounts.save(account, accounts.writes_password(account.id, hash_password(password), keep))
    return account


def change_own_password(
    accounts: AccountStore, who: Principal, current: str, new: str, keep: UUID | None
) -> None:
    """A person's own new password, given the current one; their other sessions end."""
    account_id = UUID(who.account_id)
    if not verify_password(accounts.password_hash(account_id), current):
        raise LoginRefused("LOGIN_FAILED", "the current password is not right")
    set_password(accounts, who.name, new, who.name, keep=keep)


def list_accounts(accounts: AccountStore, within: str = "") -> list[dict[str, Any]]:
    return accounts.rows(within)


def log_in(
    accounts: AccountStore, name: str, password: str, client: str, limits: LoginLimits
) -> Account:
    """The account, if the password is right and neither the name nor the client has
    failed too often lately; every attempt is noted (never the password)."""
    # counted under the name as accounts are found: "Admin " is "admin"
    attempt, by_name, by_client = accounts.begin_attempt(
        name.strip().casefold(), client, limits.window_seconds
    )
    if by_name > limits.max_failures or by_client > 4 * limits.max_failures:
        accounts.settle_attempt(attempt, False, "LOGIN_RATE_LIMITED")
        raise LoginRefused(
            "LOGIN_RATE_LIMITED",
            f"too many failed logins in {limits.window_seconds:.0f} s",
            retry_after=int(limits.window_seconds),
        )
    account = accounts.load(name) if name.strip() else None
    stored = accounts.password_hash(account.id) if account is not None else None
    if not verify_password(stored, password) or account is None or stored is None:
        accounts.settle_attempt(attempt, False, "LOGIN_FAILED")
        raise LoginRefused("LOGIN_FAILED", "the name or the password is not right")
    if account.disabled:
        accounts.settle_attempt(attempt, False, "ACCOUNT_DISABLED")
        raise AccountViolation("ACCOUNT_DISABLED", name)
    if needs_rehash(stored):
        accounts.replace_hash(account.id, hash_password(password))
    accounts.settle_attempt(attempt, True, "OK")
    return account


def start_session(accounts: AccountStore, account: Account, kind: str, ttl: int) -> Session:
    """A browser session (with its CSRF token) or a bearer token for the account."""
    session = Session(
        token=secrets.token_urlsafe(32),
        token_id=uuid4(),
        kind=kind,
        csrf_token=secrets.token_urlsafe(32) if kind == COOKIE else None,
        expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
    )
    accounts.add_session(
        session.token,
        session.token_id,
        account.id,
        kind,
        session.csrf_token,
        session.expires_at,
    )
    return session


def resolve(accounts: AccountStore, token: str, kind: str) -> tuple[Principal, dict[str, Any]]:
    """The principal of a live session or token; LoginRefused when it has ended (expired,
    revoked, or its account disabled)."""
    row = accounts.session(token, kind)
    if row is None:
        raise LoginRefused("SESSION_ENDED", "log in again")
    who = Principal(
        str(row["account_id"]), row["name"], Role(row["role"]), row["scope"], row["department"]
    )
    return who, row


def provider_account(
    accounts: AccountStore,
    name: str,
    role: str,
    scope: str,
    department: str | None,
    issuer: str,
) -> Account:
    """The account an identity provider vouches for: opened on its first login, regraded
    when the provider's claims change; a disabled one stays disabled (refused)."""
    by = f"oidc:{issuer}"
    account = accounts.load(name)
    if account is None:
        return open_account(accounts, name, role, scope, None, by, department=department, origin=by)
    if account.origin != by:  # a local account (or another provider's) of the same name
        raise AccountViolation("ACCOUNT_OF_ANOTHER_ORIGIN", f"{name} ({account.origin})")
    if account.disabled:
        raise AccountViolation("ACCOUNT_DISABLED", name)
    account.grant(role, scope, by, department)
    accounts.save(account)
    return account
