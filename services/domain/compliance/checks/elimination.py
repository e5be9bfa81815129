"""Risk elimination and the safety net (seed §三(六), (七)): R6.1 应消尽消, R6.2 no
elimination without the criteria, R7.1 应标尽标 and never eliminated."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from services.domain.compliance.checks.common import decided_in_time, household_finding
from services.domain.compliance.checks.inclusion import irregular_steps
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding, township_government
from services.domain.compliance.params import ComplianceParams


def _stable_days(p: ComplianceParams) -> timedelta:
    return timedelta(days=30 * p.stable_months)


def check_r6_1_eligible_eliminated(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R6.1: a household monitored for `elimination_within_days`, whose income since
    identification is at or above the line (7,300 against 7,300 is), with every measure
    verified and no elimination under way, is eliminated. Safety-net households are not."""
    if not h.monitored or h.monitored[-1][1] is not None or h.marked_on(as_of):
        return
    start, _, identification = h.monitored[-1]
    due = start + timedelta(days=p.elimination_within_days)
    if due >= as_of:
        return
    since = [i for i in h.incomes if i.assessed_on >= start + _stable_days(p)]
    if not since:
        return
    latest = max(since, key=lambda i: i.assessed_on)
    line = p.lines.line_for(h.village, latest.assessed_on)
    if line is None or latest.per_capita < line.yuan:
        return
    if any(not m.verifications for m in h.measures.values()):
        return
    if any(c.kind == "elimination" and c.decided_on is None for c in h.cases.values()):
        return
    yield household_finding(
        h,
        "R6.1",
        "eligible_not_eliminated",
        [identification, latest.event_id],
        due,
        f"income {latest.per_capita} >= {line.yuan} on {latest.assessed_on}, measures "
        f"verified, monitored since {start}",
        scope=identification,
        ongoing=True,
    )


def check_r6_1_elimination_in_time(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R6.1: the elimination procedure mirrors identification: from the proposal to the
    county's decision at most `lead_to_decision_days` (the 15th day is in time). One left
    undecided — returned at a review and never taken up — spares the household."""
    for c in h.cases.values():
        if c.kind != "elimination":
            continue
        yield from decided_in_time(
            h,
            c,
            "R6.1",
            p.lead_to_decision_days,
            as_of,
            ("elimination_late", "elimination_stalled"),
        )


def check_r6_2_elimination_criteria(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R6.2: an elimination needs income at or above the line, at least `stable_months` of
    monitoring, and a village public notice of at least `min_notice_days`."""
    for c in h.cases.values():
        if c.kind != "elimination" or c.outcome != "eliminated" or c.decided_on is None:
            continue
        yield from irregular_steps(h, c, "R6.2")
        evidence = [c.event_id, c.decision_event or ""]
        income = c.income
        if income is None and (i := h.income_before(c.decided_on)) is not None:
            income, evidence = i.per_capita, [*evidence, i.event_id]
        line = p.lines.line_for(h.village, c.decided_on)
        if line is not None and (income is None or income < line.yuan):
            yield household_finding(
                h,
                "R6.2",
                "eliminated_below_line",
                evidence,
                c.decided_on,
                f"elimination {c.case_id} with income {income} against the line {line.yuan}",
                scope=c.case_id,
                responsible=township_government(h.village),
            )
        starts = [s for s, _, _ in h.monitored if s <= c.decided_on]
        if starts and c.decided_on < max(starts) + _stable_days(p):
            yield household_finding(
                h,
                "R6.2",
                "eliminated_too_soon",
                evidence,
                c.decided_on,
                f"elimination {c.case_id} {(c.decided_on - max(starts)).days} days after "
                "identification",
                scope=c.case_id,
                responsible=township_government(h.village),
            )
        short = [n for n in c.notices if n.days is not None and n.days < p.min_notice_days]
        if not c.notices or short:
            yield household_finding(
                h,
                "R6.2",
                "elimination_notice_missing_or_short",
                [*evidence, *(e for n in short for e in n.events)],
                c.decided_on,
                f"elimination {c.case_id}: "
                + (f"notice ran {short[0].days} days" if short else "no notice"),
                scope=c.case_id,
            )


def check_r7_1_safety_net(h: HouseholdFacts, p: ComplianceParams, as_of: date) -> Iterator[Finding]:
    """R7.1: a monitored household in which no one can work (labour capacity lost or none:
    weak or half labour is labour) is marked (兜底保障标注) within `mark_within_days` of its
    identification (the 30th day is in time; a mark after that is late, a finding even once
    it is set), and no household without labour, or marked, is eliminated."""
    no_labour = h.no_labour()
    for start, end, identification in h.monitored if no_labour else ():
        due = start + timedelta(days=p.mark_within_days)
        if due >= as_of or (end is not None and end <= due):
            continue
        if any(is_set and start <= d <= due for d, is_set, _ in h.marks):
            continue
        late = [(d, e) for d, is_set, e in sorted(h.marks) if is_set and d > due]
        if late and (end is None or late[0][0] < end):
            yield household_finding(
                h,
                "R7.1",
                "safety_net_marked_late",
                [identification, late[0][1]],
                due,
                f"no member able to work, monitored since {start}, marked on {late[0][0]}",
                scope=identification,
                responsible=township_government(h.village),
            )
            continue
        yield household_finding(
            h,
            "R7.1",
            "safety_net_not_marked",
            [identification],
            due,
            f"no member able to work, monitored since {start}, not marked in "
            f"{p.mark_within_days} days",
            scope=identification,
            ongoing=True,
            responsible=township_government(h.village),
        )
    for c in h.cases.values():
        if c.outcome != "eliminated" or c.decided_on is None:
            continue
        marked = h.marked_on(c.decided_on)
        if no_labour or marked:
            yield household_finding(
                h,
                "R7.1",
                "safety_net_household_eliminated",
                [c.event_id, c.decision_event or "", *(e for _, s, e in h.marks if s)],
                c.decided_on,
                ("household without labour" if no_labour else "marked household")
                + f" eliminated by {c.case_id}"
                + (" though marked" if no_labour and marked else ""),
                scope=c.case_id,
                responsible=township_government(h.village),
            )


CHECKS = (
    check_r6_1_eligible_eliminated,
    check_r6_1_elimination_in_time,
    check_r6_2_elimination_criteria,
    check_r7_1_safety_net,
)
