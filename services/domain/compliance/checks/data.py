"""Data (seed §三(八)): R8.1 income data consistent and current."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams


def check_r8_1_income_data(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R8.1: an assessment's components minus costs, over the members counted, give its
    per-capita income (within `income_tolerance_yuan`); it counts the household's members;
    and no household goes `income_max_age_days` without one."""
    for i in h.incomes:
        computed = i.total / i.members_counted
        if abs(computed - i.per_capita) > p.income_tolerance_yuan:
            yield household_finding(
                h,
                "R8.1",
                "income_inconsistent",
                [i.event_id],
                i.assessed_on,
                f"components give {computed:.2f} per person, the record says {i.per_capita}",
                scope=i.event_id,
            )
        if i.members_counted != i.member_count:
            yield household_finding(
                h,
                "R8.1",
                "income_members_mismatch",
                [i.event_id],
                i.assessed_on,
                f"income divided by {i.members_counted}, the household has {i.member_count}",
                scope=i.event_id,
            )
    last = max([i.assessed_on for i in h.incomes], default=max(h.registered_on, p.checks_from))
    due = last + timedelta(days=p.income_max_age_days)
    if due < as_of:
        yield household_finding(
            h,
            "R8.1",
            "income_not_current",
            [max(h.incomes, key=lambda i: i.assessed_on).event_id]
            if h.incomes
            else [h.registered_event],
            due,
            f"no income assessment since {last}",
            scope="income",
            ongoing=True,
        )


CHECKS = (check_r8_1_income_data,)
