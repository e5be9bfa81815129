"""`dixian users add|grant|disable|enable|password|list`: accounts from the server's command
line (the first county administrator is made here); each change an Account event, recorded
as done by `cli:<the system user>`."""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
from typing import Any

from services.adapters.account_store import AccountStore
from services.adapters.exports import render
from services.domain.accounts import AccountViolation
from services.domain.roles import Role
from services.entrypoints.cli.common import open_store
from services.settings import Settings
from services.usecases import accounts as uc


def by() -> str:
    return f"cli:{getpass.getuser()}"


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password from stdin (one line), or a new random one to print once."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return secrets.token_urlsafe(12), True


def cmd_users(settings: Settings, args: argparse.Namespace) -> int:
    with open_store(settings) as (_, store):
        accounts = AccountStore(store)
        try:
            return _USERS[args.what](accounts, args)
        except AccountViolation as e:
            print(f"{e.code}: {e.detail}")
            return 2


def _add(accounts: AccountStore, args: argparse.Namespace) -> int:
    password, made = _password(args)
    a = uc.open_account(
        accounts, args.name, args.role, args.scope, password, by(), department=args.department
    )
    print(
        f"account {a.name}: {a.role} of {a.scope}" + (f" ({a.department})" if a.department else "")
    )
    if made:
        print(f"password: {password}   (shown once; change it after the first login)")
    return 0


def _grant(accounts: AccountStore, args: argparse.Namespace) -> int:
    a = uc.grant(accounts, args.name, args.role, args.scope, by(), department=args.department)
    print(f"account {a.name}: {a.role} of {a.scope}")
    return 0


def _disable(accounts: AccountStore, args: argparse.Namespace) -> int:
    a = uc.disable(accounts, args.name, args.reason, by())
    print(f"account {a.name} disabled; its sessions and tokens have ended")
    return 0


def _enable(accounts: AccountStore, args: argparse.Namespace) -> int:
    a = uc.enable(accounts, args.name, by())
    print(f"account {a.name} enabled")
    return 0


def _set_password(accounts: AccountStore, args: argparse.Namespace) -> int:
    password, made = _password(args)
    a = uc.set_password(accounts, args.name, password, by())
    print(f"account {a.name}: password set" + (f": {password}" if made else ""))
    return 0


def _list(accounts: AccountStore, args: argparse.Namespace) -> int:
    rows = [
        {
            "name": r["name"],
            "role": r["role"],
            "scope": r["scope"],
            "department": r["department"] or "",
            "disabled": "disabled" if r["disabled"] else "",
            "changed": f"{r['updated_at']:%Y-%m-%d %H:%M}",
        }
        for r in uc.list_accounts(accounts, args.scope or "")
    ]
    print(render(rows))
    return 0


_USERS: dict[str, Any] = {
    "add": _add,
    "grant": _grant,
    "disable": _disable,
    "enable": _enable,
    "password": _set_password,
    "list": _list,
}


def add_users_parser(sub: Any) -> None:
    users = sub.add_parser("users", help="accounts: add, grant, disable, enable, password, list")
    steps = users.add_subparsers(dest="what", required=True)
    roles = [r.value for r in Role]
    add = steps.add_parser("add", help="open an account with a role and a scope")
    grant = steps.add_parser("grant", help="give an account another role or scope")
    for p in (add, grant):
        p.add_argument("name")
        p.add_argument("--role", required=True, choices=roles)
        p.add_argument(
            "--scope", required=True, help="region code: village 12, township 9, county 6 digits"
        )
        p.add_argument("--department", help="a department account's source system")
    disable = steps.add_parser("disable", help="disable an account: its sessions end at once")
    disable.add_argument("name")
    disable.add_argument("--reason", default="disabled from the command line")
    enable = steps.add_parser("enable", help="enable a disabled account")
    enable.add_argument("name")
    password = steps.add_parser("password", help="set an account's password")
    password.add_argument("name")
    for p in (add, password):
        p.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from stdin (else a random one is made and shown once)",
        )
    listing = steps.add_parser("list", help="the accounts, their roles and scopes")
    listing.add_argument("--scope", help="only those within this region code")
    users.set_defaults(func=cmd_users)
