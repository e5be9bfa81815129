"""Data (seed §三(八)): R8.1 household and income data complete, consistent and current —
the records' own quality; one person in two households is the county's check
(compliance.county). A national system's export compared with ours adds findings of its
own elsewhere: these are the records' checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from events.identity import is_valid_id_number
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


def check_r8_1_member_records(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R8.1: every member's ID number has its GB 11643 check digit (a record with a wrong one
    is accepted, so that it can be found here; one not of 18 characters is refused)."""
    for pid, m in sorted(h.members.items()):
        if not is_valid_id_number(str(m.get("id_number", ""))):
            yield household_finding(
                h,
                "R8.1",
                "id_number_invalid",
                [h.member_events.get(pid, h.registered_event)],
                h.member_since.get(pid, h.registered_on),
                f"member {pid}: members.{pid}.id_number fails the GB 11643 check digit",
                scope=f"id_number:{pid}",
                ongoing=True,
            )


CHECKS = (check_r8_1_income_data, check_r8_1_member_records)
