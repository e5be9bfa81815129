"""Inclusion (seed §三(四)): R4.1 the procedure's time limits, R4.2 应纳尽纳."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import decided_in_time, household_finding
from services.domain.compliance.facts import Case, HouseholdFacts
from services.domain.compliance.findings import Finding, township_government
from services.domain.compliance.params import ComplianceParams

# Department facts that establish a three-guarantees or drinking-water problem.
GUARANTEE_FACTS = ("school_dropout", "unsafe_housing", "unsafe_drinking_water")


def check_r4_1_procedure_in_time(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R4.1: from the lead to the county's decision at most `lead_to_decision_days`; the
    village public notice runs at least `min_notice_days` (4 days against 5 is short)."""
    for c in h.cases.values():
        if c.kind != "identification":
            continue
        yield from decided_in_time(
            h, c, "R4.1", p.lead_to_decision_days, as_of, ("decision_late", "decision_overdue")
        )
        for n in c.notices:
            if n.days is not None and n.days < p.min_notice_days:
                yield household_finding(
                    h,
                    "R4.1",
                    "notice_too_short",
                    [c.event_id, *n.events],
                    n.closed_on or n.posted_on,
                    f"notice {n.notice_id} of lead {c.case_id} ran {n.days} days",
                    scope=n.notice_id,
                )
        yield from irregular_steps(h, c, "R4.1")
        if c.outcome == "identified" and not c.notices:
            yield household_finding(
                h,
                "R4.1",
                "identified_without_notice",
                [c.event_id, c.decision_event or ""],
                c.decided_on or c.opened_on,
                f"lead {c.case_id} identified without public notice",
                scope=c.case_id,
            )


# What the aggregate recorded as irregular and no other check reads from the facts: the
# check each raises (a notice too short or missing is judged from the notices themselves).
IRREGULAR_CHECKS = {
    "NOTICE_NOT_CLOSED": "township_review_before_notice_closed",
    "OBJECTION_OPEN": "decided_with_objection_open",
}
IRREGULAR_SUMMARY = {
    "township_review_before_notice_closed": "reviewed by the township before its notice closed",
    "decided_with_objection_open": "decided with an objection to its notice open",
    "decided_before_notice_closed": "decided before its notice closed",
}


def irregular_steps(h: HouseholdFacts, c: Case, rule_id: str) -> Iterator[Finding]:
    """A step of a case taken against the procedure and recorded as such (R4.1 for an
    identification, R6.2 for an elimination): a township review before the notice closed,
    a decision with an objection open, a decision while the notice still ran."""
    seen = set()
    for code, _, eid in c.irregular:
        check = IRREGULAR_CHECKS.get(code)
        if code == "NOTICE_NOT_RUN" and c.notices:  # posted, not closed by the decision
            check = "decided_before_notice_closed"
        if check is None or check in seen:
            continue
        seen.add(check)
        yield household_finding(
            h,
            rule_id,
            check,
            [c.event_id, eid],
            c.decided_on or c.opened_on,
            f"{c.kind} {c.case_id}: {IRREGULAR_SUMMARY[check]}",
            scope=c.case_id,
            responsible=township_government(h.village),
        )


def check_r4_2_eligible_identified(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R4.2: a household assessed below the monitoring line (7,299 against 7,300 is below;
    7,300 is not), or with a department's three-guarantees or water problem, becomes a lead
    and is identified; a lead is not dismissed below the line."""
    triggers = []
    for i in h.incomes:
        line = p.lines.line_for(h.village, i.assessed_on)
        if line is not None and i.per_capita < line.yuan:
            triggers.append((i.assessed_on, i.event_id, f"income {i.per_capita} < {line.yuan}"))
    for fact in h.department_facts:
        if fact["kind"] in GUARANTEE_FACTS:
            on = date.fromisoformat(fact["effective_on"])
            triggers.append(
                (on, fact["event_id"], f"{fact['kind']} reported by {fact['department']}")
            )
    for on, event_id, why in triggers:
        due = on + timedelta(days=p.lead_to_decision_days)
        if due >= as_of or h.monitored_on(on) or h.case_open_on(on):
            continue
        # A lapse of history: a lead that comes later does not undo the delay.
        led = any(c.kind == "identification" and on <= c.opened_on <= due for c in h.cases.values())
        if not led and not h.monitored_on(due):
            yield household_finding(
                h,
                "R4.2",
                "eligible_not_identified",
                [event_id],
                due,
                f"{why} on {on}; no lead within {p.lead_to_decision_days} days",
                scope=event_id,
            )
    for c in h.cases.values():
        if c.outcome != "dismissed" or c.decided_on is None or c.income is None:
            continue
        line = p.lines.line_for(h.village, c.decided_on)
        if line is not None and c.income < line.yuan:
            yield household_finding(
                h,
                "R4.2",
                "eligible_dismissed",
                [c.event_id, c.decision_event or ""],
                c.decided_on,
                f"lead {c.case_id} dismissed with income {c.income} < {line.yuan}",
                scope=c.case_id,
                responsible=township_government(h.village),
            )


CHECKS = (check_r4_1_procedure_in_time, check_r4_2_eligible_identified)
