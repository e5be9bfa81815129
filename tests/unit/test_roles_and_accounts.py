"""Roles, scopes and the Account aggregate: pure rules, no I/O."""

from __future__ import annotations

import pytest

from services.domain.accounts import Account, AccountViolation, account_uuid, check_password
from services.domain.roles import PERMISSIONS, Permission, Principal, Role, scope_problem

P = Permission


def who(role: Role, scope: str) -> Principal:
    return Principal("id", "someone", role, scope)


def test_a_scope_is_a_place_and_everything_below_it() -> None:
    township = who(Role.TOWNSHIP_OFFICIAL, "610326101")
    assert township.covers("610326101201") and township.covers("610326101")
    assert not township.covers("610326102201") and not township.covers("")
    assert not township.covers(None)


def test_a_requested_place_is_narrowed_to_the_scope_or_to_nothing() -> None:
    township = who(Role.TOWNSHIP_OFFICIAL, "610326101")
    assert township.narrow(None) == "610326101"
    assert township.narrow("610326101201") == "610326101201"  # a village within
    assert township.narrow("610326") == "610326101"  # the county: only the own township
    assert township.narrow("610326102") is None  # another township: nothing


def test_the_roles_may_what_the_domain_table_says() -> None:
    may = {r: PERMISSIONS[r] for r in Role}
    assert P.PROBLEMS_RECTIFY in may[Role.VILLAGE_CADRE]
    assert P.PROBLEMS_CLOSE not in may[Role.VILLAGE_CADRE]
    assert P.PROBLEMS_CLOSE in may[Role.TOWNSHIP_OFFICIAL] & may[Role.COUNTY_OFFICIAL]
    assert P.SWEEPS_RUN in may[Role.COUNTY_OFFICIAL] - may[Role.TOWNSHIP_OFFICIAL]
    # accounts, and uploading the national system's export (issue 17)
    assert may[Role.COUNTY_ADMINISTRATOR] == {P.SELF, P.ACCOUNTS_MANAGE, P.NATIONAL_IMPORT}
    writes = {P.PROBLEMS_RECTIFY, P.PROBLEMS_CLOSE, P.SWEEPS_RUN, P.ACCOUNTS_MANAGE}
    assert not may[Role.DISCIPLINE_INSPECTOR] & writes
    assert {P.AUDIT_READ, P.PROBLEMS_FAVORITISM} <= may[Role.DISCIPLINE_INSPECTOR]
    personal = {P.HOUSEHOLDS_READ, P.PERSONAL_DATA_READ, P.PROBLEMS_READ, P.AUDIT_READ}
    assert not may[Role.OPERATOR] & personal
    assert may[Role.DEPARTMENT] == {P.SELF, P.REJECTED_READ_OWN}
    assert all(P.SELF in ps for ps in may.values())


@pytest.mark.parametrize(
    ("role", "scope", "ok"),
    [
        ("village_cadre", "610326101201", True),
        ("village_cadre", "610326101", False),
        ("township_official", "610326101", True),
        ("discipline_inspector", "610326", True),
        ("discipline_inspector", "610326101", True),
        ("discipline_inspector", "610326101201", False),
        ("county_official", "61032a", False),
        ("mayor", "610326", False),
    ],
)
def test_a_role_works_at_its_levels_of_place(role: str, scope: str, ok: bool) -> None:
    assert (scope_problem(role, scope, None) is None) == ok


def test_an_account_records_who_granted_and_disabled_it() -> None:
    a = Account.open("wang.li", "village_cadre", "610326101201", "admin")
    a.grant("township_official", "610326101", "admin-2")
    a.grant("township_official", "610326101", "admin-2")  # the same grant: no event
    a.disable("调离", "admin-2")
    events = a.collect_events()
    assert [type(e).__qualname__ for e in events] == [
        "Account.Opened",
        "Account.RoleGranted",
        "Account.Disabled",
    ]
    assert [e.by for e in events] == ["admin", "admin-2", "admin-2"]
    with pytest.raises(AccountViolation) as refused:
        a.principal()
    assert refused.value.code == "ACCOUNT_DISABLED"
    with pytest.raises(AccountViolation):
        a.disable("again", "admin")


def test_an_account_is_one_per_name_whatever_its_case() -> None:
    assert account_uuid("Wang.Li") == account_uuid(" wang.li ")
    with pytest.raises(AccountViolation) as bad:
        Account.open("a b", "operator", "610326", "admin")
    assert bad.value.code == "ACCOUNT_NAME_INVALID"
    with pytest.raises(AccountViolation):
        check_password("short")


def test_a_department_account_names_its_source_system() -> None:
    with pytest.raises(AccountViolation):
        Account.open("dept", "department", "610326", "admin")
    a = Account.open("dept", "department", "610326", "admin", department="civil_affairs")
    assert a.principal().department == "civil_affairs"
