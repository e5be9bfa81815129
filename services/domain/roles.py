"""Who may see and do what: a role is a set of permissions, a scope is a place (a region
code: county 6 digits, township 9, village 12) and everything below it (DOMAIN.md's table).

Pure: the HTTP dependencies and the scoped queries ask a `Principal` — never a role name —
whether it may do something and whether a place is within its scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VILLAGE_CADRE = "village_cadre"  # 村两委, 驻村工作队, 网格员
    TOWNSHIP_OFFICIAL = "township_official"  # 乡镇
    COUNTY_OFFICIAL = "county_official"  # 县乡村振兴局
    COUNTY_ADMINISTRATOR = "county_administrator"  # accounts, roles and scopes
    DISCIPLINE_INSPECTOR = "discipline_inspector"  # 纪检监察: reads everything, changes nothing
    OPERATOR = "operator"  # projections, lag, rejected messages, health; no personal data
    DEPARTMENT = "department"  # 行业部门: its own rejected messages


class Permission(StrEnum):
    SELF = "self"  # one's own account: who am I, password, tokens, log out
    HOUSEHOLDS_READ = "households:read"  # state and history, personal data masked
    PERSONAL_DATA_READ = "personal_data:read"  # unmasked, with a purpose, recorded
    PROBLEMS_READ = "problems:read"
    PROBLEMS_FAVORITISM = "problems:favoritism"  # the suspicions of 优亲厚友 (inspectors' copy)
    PROBLEMS_RECTIFY = "problems:rectify"  # plan, act, upload evidence
    PROBLEMS_CLOSE = "problems:close"  # close out (销号), reopen
    LEDGERS_READ = "ledgers:read"
    REPORTS_READ = "reports:read"
    SWEEPS_READ = "sweeps:read"
    SWEEPS_RUN = "sweeps:run"
    AUDIT_VERIFY = "audit:verify"  # verification status, checkpoints, consistency: no records
    AUDIT_READ = "audit:read"  # inclusion proofs, who did and read what
    ACCOUNTS_MANAGE = "accounts:manage"
    NATIONAL_IMPORT = "national:import"  # upload the national system's export: import, compare
    PROJECTIONS_READ = "projections:read"
    REJECTED_READ = "rejected:read"  # every rejection, without the message's bytes
    REJECTED_READ_OWN = "rejected:own"  # a department's own rejections, bytes included


P = Permission
_VILLAGE = frozenset(
    {
        P.SELF,
        P.HOUSEHOLDS_READ,
        P.PERSONAL_DATA_READ,
        P.PROBLEMS_READ,
        P.PROBLEMS_RECTIFY,
        P.LEDGERS_READ,
    }
)
_TOWNSHIP = _VILLAGE | {P.PROBLEMS_CLOSE, P.REPORTS_READ, P.SWEEPS_READ}
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VILLAGE_CADRE: _VILLAGE,
    Role.TOWNSHIP_OFFICIAL: _TOWNSHIP,
    Role.COUNTY_OFFICIAL: _TOWNSHIP | {P.PROBLEMS_FAVORITISM, P.SWEEPS_RUN, P.REJECTED_READ},
    Role.COUNTY_ADMINISTRATOR: frozenset({P.SELF, P.ACCOUNTS_MANAGE, P.NATIONAL_IMPORT}),
    Role.DISCIPLINE_INSPECTOR: frozenset(
        {
            P.SELF,
            P.HOUSEHOLDS_READ,
            P.PERSONAL_DATA_READ,
            P.PROBLEMS_READ,
            P.PROBLEMS_FAVORITISM,
            P.LEDGERS_READ,
            P.REPORTS_READ,
            P.SWEEPS_READ,
            P.AUDIT_VERIFY,
            P.AUDIT_READ,
        }
    ),
    Role.OPERATOR: frozenset(
        {P.SELF, P.PROJECTIONS_READ, P.REJECTED_READ, P.SWEEPS_READ, P.AUDIT_VERIFY}
    ),
    Role.DEPARTMENT: frozenset({P.SELF, P.REJECTED_READ_OWN}),
}

# The levels of place each role's scope may be (digits of the region code).
SCOPE_LEVELS: dict[Role, tuple[int, ...]] = {
    Role.VILLAGE_CADRE: (12,),
    Role.TOWNSHIP_OFFICIAL: (9,),
    Role.COUNTY_OFFICIAL: (6,),
    Role.COUNTY_ADMINISTRATOR: (6,),
    Role.DISCIPLINE_INSPECTOR: (6, 9),
    Role.OPERATOR: (6,),
    Role.DEPARTMENT: (6,),
}

ROLE_LABELS: dict[Role, str] = {
    Role.VILLAGE_CADRE: "村干部（村两委、驻村工作队、网格员）",
    Role.TOWNSHIP_OFFICIAL: "乡镇干部",
    Role.COUNTY_OFFICIAL: "县乡村振兴局",
    Role.COUNTY_ADMINISTRATOR: "县级账号管理员",
    Role.DISCIPLINE_INSPECTOR: "纪检监察",
    Role.OPERATOR: "运维人员",
    Role.DEPARTMENT: "行业部门",
}

_REGION = re.compile(r"[0-9]+")


def scope_problem(role: str, scope: str, department: str | None) -> str | None:
    """Why this role cannot have this scope (a sentence), or None when it can."""
    if role not in PERMISSIONS:
        return f"{role!r} is not a role; choose one of {', '.join(Role)}"
    levels = SCOPE_LEVELS[Role(role)]
    if not _REGION.fullmatch(scope) or len(scope) not in levels:
        want = " or ".join(f"{n} digits" for n in levels)
        return f"a {role}'s scope is a region code of {want}, not {scope!r}"
    if (role == Role.DEPARTMENT) != bool(department):
        return "a department account, and only one, names its source system (--department)"
    return None


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated account as the rules see it: its role's permissions and its scope."""

    account_id: str
    name: str
    role: Role
    scope: str
    department: str | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return PERMISSIONS[self.role]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def covers(self, region_code: str | None) -> bool:
        """Whether a place (a household's village, a problem's) is within the scope."""
        return bool(region_code) and str(region_code).startswith(self.scope)

    @property
    def sees_favoritism(self) -> bool:
        return self.may(Permission.PROBLEMS_FAVORITISM)

    def narrow(self, code: str | None) -> str | None:
        """The place a request may look at: the scope, or a place within it the request
        names; None when the request names a place outside (it then sees nothing)."""
        if not code:
            return self.scope
        if code.startswith(self.scope):
            return code
        if self.scope.startswith(code):
            return self.scope
        return None
