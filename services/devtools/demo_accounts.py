"""The demo's accounts: one per role, each with the scope its role works at around the demo
village, and a fresh random password each run (printed once, at the end of the summary)."""

from __future__ import annotations

import secrets
from typing import Any

from services.adapters.account_store import AccountStore
from services.adapters.eventstore import EventStore
from services.devtools.village import VILLAGE
from services.domain.compliance.findings import township_of
from services.usecases import accounts as uc

BY = "dixian-demo"


def demo_accounts() -> list[tuple[str, str, str, str | None]]:
    """(name, role, scope, department) of each demo account."""
    county, township = VILLAGE[:6], township_of(VILLAGE)
    return [
        ("demo-village", "village_cadre", VILLAGE, None),
        ("demo-township", "township_official", township, None),
        ("demo-county", "county_official", county, None),
        ("demo-admin", "county_administrator", county, None),
        ("demo-inspector", "discipline_inspector", county, None),
        ("demo-operator", "operator", county, None),
        ("demo-civil-affairs", "department", county, "civil_affairs"),
    ]


def create_demo_accounts(store: EventStore) -> list[dict[str, Any]]:
    """Open (or, if they exist, regrant and re-password) the demo accounts."""
    accounts = AccountStore(store)
    made = []
    for name, role, scope, department in demo_accounts():
        password = secrets.token_urlsafe(9)
        existing = accounts.load(name)
        if existing is None:
            uc.open_account(accounts, name, role, scope, password, BY, department=department)
        else:
            if existing.disabled:
                uc.enable(accounts, name, BY)
            uc.grant(accounts, name, role, scope, BY, department=department)
            uc.set_password(accounts, name, password, BY)
        made.append(
            {"name": name, "role": role, "scope": scope, "password": password}
            | ({"department": department} if department else {})
        )
    return made


def login_lines(made: list[dict[str, Any]], host: str, port: int) -> list[str]:
    """How to log in, with the accounts and their passwords."""
    width = max(len(a["name"]) for a in made)
    lines = [
        "\nlog in (accounts made for this run; the passwords are shown only here):",
        *(
            f"  {a['name']:<{width}}  {a['password']}  {a['role']} of {a['scope']}"
            + (f" ({a['department']})" if a.get("department") else "")
            for a in made
        ),
        f"  the web app: http://{host}:{port}/ (make demo serves it; later: .venv/bin/dixian "
        "serve)",
        f"  a script: curl -s -d username={made[1]['name']} -d 'password={made[1]['password']}' "
        f"http://{host}:{port}/api/auth/token",
        "  (docs/web.md: the pages and roles; docs/api.md: the API)",
    ]
    return lines
