"""The accounts of the people who use dixian, as an event-sourced aggregate in the same store
as the households: every account opened, role and scope granted, password set, disable and
enable is an event in the audit log — who granted what to whom, and when.

Passwords are not facts of the record: their hashes live apart (and can be replaced); an
event says only that one was set, and by whom. This module's path is part of every stored
account event's topic: do not move it.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from services.domain.roles import Principal, Role, scope_problem

ACCOUNT_TOPIC_PREFIX = f"{__name__}:"  # how every account event's stored topic begins
_ACCOUNT_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:account")
NAME = re.compile(r"[\w.@-]{2,64}")  # letters (Chinese too), digits, . _ @ -

ACCOUNT_REASONS: dict[str, str] = {
    "ACCOUNT_NAME_INVALID": "An account name has 2 to 64 letters, digits or . _ @ - characters.",
    "ACCOUNT_EXISTS": "An account of this name exists: grant it a role or enable it instead.",
    "ACCOUNT_NOT_FOUND": "Name an account that exists (and is within your scope).",
    "ROLE_SCOPE_INVALID": "Give a role and a scope of the level the role works at "
    "(village 12 digits, township 9, county 6).",
    "PASSWORD_TOO_SHORT": "A password has at least 12 characters.",
    "ACCOUNT_DISABLED": "The account is disabled; a county administrator can enable it.",
    "ACCOUNT_ALREADY_DISABLED": "The account is disabled already.",
    "ACCOUNT_NOT_DISABLED": "Only a disabled account can be enabled.",
    "ACCOUNT_SELF": "An administrator does not disable or regrade their own account.",
    "ACCOUNT_OF_ANOTHER_ORIGIN": "An account of this name was opened locally (or by another "
    "identity provider): the provider cannot log into it; an administrator renames one.",
    "INSPECTOR_INDEPENDENT": "A discipline inspector's account is managed by the server's "
    "operators (dixian users), not by the county's administrators.",
    "ACCOUNTS_CHANGED_MEANWHILE": "Someone changed the account while this ran; nothing was "
    "saved: run it again.",
}
MIN_PASSWORD = 12


class AccountViolation(Exception):
    def __init__(self, code: str, detail: str) -> None:
        assert code in ACCOUNT_REASONS, code
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


def account_uuid(name: str) -> UUID:
    """The aggregate id of an account name (case-blind): one account per name."""
    return uuid5(_ACCOUNT_NAMESPACE, name.strip().casefold())


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountViolation("PASSWORD_TOO_SHORT", f"{len(password)} characters")


def _check_grant(role: str, scope: str, department: str | None) -> None:
    problem = scope_problem(role, scope, department)
    if problem:
        raise AccountViolation("ROLE_SCOPE_INVALID", problem)


class Account(Aggregate):
    """One person's account: name, role, scope, whether it may sign in."""

    class Opened(Aggregate.Created):
        name: str
        role: str
        scope: str
        department: str | None
        origin: str  # "local", or "oidc:<issuer>" for an account a provider vouches for
        by: str

        def apply(self, a: Any) -> None:
            a.name, a.origin, a.opened_by = self.name, self.origin, self.by
            a.role, a.scope, a.department = self.role, self.scope, self.department
            a.disabled, a.granted_by = False, self.by

    class RoleGranted(Aggregate.Event):
        role: str
        scope: str
        department: str | None
        by: str

        def apply(self, a: Any) -> None:
            a.role, a.scope, a.department, a.granted_by = (
                self.role,
                self.scope,
                self.department,
                self.by,
            )

    class PasswordSet(Aggregate.Event):
        by: str

        def apply(self, a: Any) -> None:
            pass  # the hash is kept apart; the event records who set one, and when

    class Disabled(Aggregate.Event):
        reason: str
        by: str

        def apply(self, a: Any) -> None:
            a.disabled = True

    class Enabled(Aggregate.Event):
        by: str

        def apply(self, a: Any) -> None:
            a.disabled = False

    # --- commands -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        name: str,
        role: str,
        scope: str,
        by: str,
        department: str | None = None,
        origin: str = "local",
    ) -> Account:
        name = name.strip()
        if not NAME.fullmatch(name):
            raise AccountViolation("ACCOUNT_NAME_INVALID", repr(name))
        _check_grant(role, scope, department)
        return cls._create(
            cls.Opened,
            id=account_uuid(name),
            name=name,
            role=role,
            scope=scope,
            department=department,
            origin=origin,
            by=by,
        )

    def grant(self, role: str, scope: str, by: str, department: str | None = None) -> None:
        _check_grant(role, scope, department)
        if (role, scope, department) != (self.role, self.scope, self.department):
            self.trigger_event(
                self.RoleGranted, role=role, scope=scope, department=department, by=by
            )

    def password_set(self, by: str) -> None:
        self.trigger_event(self.PasswordSet, by=by)

    def disable(self, reason: str, by: str) -> None:
        if self.disabled:
            raise AccountViolation("ACCOUNT_ALREADY_DISABLED", self.name)
        self.trigger_event(self.Disabled, reason=reason, by=by)

    def enable(self, by: str) -> None:
        if not self.disabled:
            raise AccountViolation("ACCOUNT_NOT_DISABLED", self.name)
        self.trigger_event(self.Enabled, by=by)

    # --- reading --------------------------------------------------------------------------
    def principal(self) -> Principal:
        if self.disabled:
            raise AccountViolation("ACCOUNT_DISABLED", self.name)
        return Principal(str(self.id), self.name, Role(self.role), self.scope, self.department)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "scope": self.scope,
            "department": self.department,
            "origin": self.origin,
            "disabled": self.disabled,
            "granted_by": self.granted_by,
            "opened_on": self.created_on.isoformat(),
            "version": self.version,
        }
