"""Visits and screenings (seed §三(二)): R2.1 monthly visits, R2.2 the yearly screening,
R2.3 new allowance recipients, R2.4 records in time and risks reported. The cross-household
signs of perfunctory visiting (counts per day, copied notes) are in compliance.county."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from services.domain.compliance.checks.common import household_finding, months
from services.domain.compliance.facts import HouseholdFacts
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams

ALLOWANCES = ("minimum_living_allowance_granted", "extreme_poverty_support_granted")


def check_r2_1_monthly_visits(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R2.1: a lifted household, or one monitored on the month's first day, is visited at
    least `visits_per_month` times in each calendar month (a visit on the last day counts)."""
    lifted = h.household_type == "lifted"
    if not lifted and not h.monitored:
        return
    visits = sorted((v.on, v.event_id) for v in h.visits if v.kind == "visit")
    visited = Counter((on.year, on.month) for on, _ in visits)
    for first, last in months(max(h.registered_on, p.checks_from), as_of):
        if first < h.registered_on or not (lifted or h.monitored_on(first)):
            continue
        if visited[(first.year, first.month)] < p.visits_per_month:
            # the evidence of an absence: the household, and its last visit before
            before = visits[: bisect_left(visits, (first, ""))][-1:]
            yield household_finding(
                h,
                "R2.1",
                "monthly_visit_missing",
                [h.registered_event, *(eid for _, eid in before)],
                last,
                f"not visited in {first:%Y-%m}"
                + (f" (last visit {before[0][0]})" if before else " (never visited)"),
                occurrence=f"{first:%Y-%m}",
            )


def check_r2_2_yearly_screening(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R2.2: every household is screened at least once in each calendar year."""
    for year in range(max(h.registered_on.year, p.checks_from.year), as_of.year + 1):
        end = date(year, 12, 31)
        if end >= as_of:  # due on 31 December: late from the next day
            break
        done = sum(v.kind == "screening" and v.on.year == year for v in h.visits)
        if done < p.screenings_per_year:
            yield household_finding(
                h,
                "R2.2",
                "yearly_screening_missing",
                [h.registered_event],
                end,
                f"not screened in {year}",
                occurrence=str(year),
            )


def _screenings(h: HouseholdFacts, since: date) -> list[tuple[date, str, Decimal | None]]:
    """What checks a household against the criteria from `since`, in order: a screening, a
    visit that estimated income, an income assessment, a lead — (day, event, income seen)."""
    seen: list[tuple[date, str, Decimal | None]] = []
    for v in h.visits:
        if v.on >= since and (v.kind == "screening" or v.income_estimated):
            seen.append((v.on, v.event_id, v.income_estimate))
    seen += [(i.assessed_on, i.event_id, i.per_capita) for i in h.incomes if i.assessed_on >= since]
    seen += [
        (c.opened_on, c.event_id, None)
        for c in h.cases.values()
        if c.kind == "identification" and c.opened_on >= since
    ]
    return sorted(seen, key=lambda s: (s[0], s[1]))


def check_r2_3_new_allowance_recipients(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R2.3: a new 低保 or 特困 recipient since `allowance_since` is screened against the
    monitoring criteria (a screening, a visit that estimated income, an income assessment
    or a lead) within `allowance_screening_days` (the 30th day is in time; later is late,
    none a standing condition); one the screening finds below the line is identified — a
    lead within `lead_to_decision_days` of it, never dismissed below the line."""
    for fact in h.department_facts:
        if fact["kind"] not in ALLOWANCES:
            continue
        granted = date.fromisoformat(fact["effective_on"])
        if granted < p.allowance_since or h.monitored_on(granted):
            continue
        due = granted + timedelta(days=p.allowance_screening_days)
        screenings = _screenings(h, granted)
        scope, evidence = fact["fact_id"], fact["event_id"]
        if not screenings and due < as_of:
            yield household_finding(
                h,
                "R2.3",
                "allowance_recipient_not_screened",
                [evidence],
                due,
                f"{fact['kind']} on {granted}, not screened for monitoring",
                scope=scope,
                ongoing=True,
            )
        elif screenings and screenings[0][0] > due:
            yield household_finding(
                h,
                "R2.3",
                "allowance_recipient_screened_late",
                [evidence, screenings[0][1]],
                due,
                f"{fact['kind']} on {granted}, first screened on {screenings[0][0]}",
                scope=scope,
            )
        yield from _meets_criteria_not_identified(h, p, as_of, fact, screenings)
        for c in h.cases.values():
            if c.outcome != "dismissed" or c.decided_on is None or c.decided_on < granted:
                continue
            line = p.lines.line_for(h.village, c.decided_on)
            if line is not None and c.income is not None and c.income < line.yuan:
                yield household_finding(
                    h,
                    "R2.3",
                    "allowance_recipient_refused",
                    [evidence, c.event_id, c.decision_event or ""],
                    c.decided_on,
                    f"lead {c.case_id} dismissed with income {c.income} below the line "
                    f"{line.yuan} of a new allowance recipient",
                    scope=c.case_id,
                )


def _meets_criteria_not_identified(
    h: HouseholdFacts,
    p: ComplianceParams,
    as_of: date,
    fact: dict[str, Any],
    screenings: list[tuple[date, str, Decimal | None]],
) -> Iterator[Finding]:
    """R2.3: the first screening that finds the recipient below the line in force is
    followed by a lead within `lead_to_decision_days` (a lead dismissed is judged apart)."""
    for on, eid, income in screenings:
        line = p.lines.line_for(h.village, on)
        if income is None or line is None or income >= line.yuan:
            continue
        due = on + timedelta(days=p.lead_to_decision_days)
        if due >= as_of:
            return
        led = any(c.kind == "identification" and on <= c.opened_on <= due for c in h.cases.values())
        if not led and not h.monitored_on(due) and not h.case_open_on(on):
            yield household_finding(
                h,
                "R2.3",
                "allowance_recipient_not_identified",
                [fact["event_id"], eid],
                due,
                f"{fact['kind']} on {fact['effective_on']}, screened on {on} with income "
                f"{income} < {line.yuan}, not identified",
                scope=fact["fact_id"],
            )
        return


def check_r2_4_records_in_time(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R2.4: a visit or screening is recorded within `backfill_days` (later is back-filled,
    走过场) — recorded by the system's clock, the day the intake received it — and a risk it
    finds becomes a lead within `risk_report_days`. An app that claims to have recorded it
    more than `sync_allowance_days` before the system received it claims too much (village
    apps work offline, for a few days at most): that claim is a finding of its own."""
    for v in h.visits:
        claimed_early = (v.recorded_on - v.claimed_on).days if v.claimed_on else 0
        if claimed_early > p.sync_allowance_days:
            yield household_finding(
                h,
                "R2.4",
                "recorded_time_claimed_early",
                [v.event_id],
                v.recorded_on,
                f"{v.kind} of {v.on} by {v.by}: the app claims it was recorded on "
                f"{v.claimed_on}, the system received it {claimed_early} days later",
                scope=v.event_id,
                responsible=v.by,
                concern="perfunctory",
            )
        late = (v.recorded_on - v.on).days
        if late > p.backfill_days:
            yield household_finding(
                h,
                "R2.4",
                "record_backfilled",
                [v.event_id],
                v.on + timedelta(p.backfill_days),
                f"{v.kind} of {v.on} by {v.by} recorded {late} days later",
                scope=v.event_id,
                responsible=v.by,
                concern="perfunctory",
            )
        if not v.risks or h.monitored_on(v.on) or h.case_open_on(v.on):
            continue
        due = v.on + timedelta(days=p.risk_report_days)
        reported = any(
            c.kind == "identification" and v.on <= c.opened_on <= due for c in h.cases.values()
        )
        if due < as_of and not reported:
            yield household_finding(
                h,
                "R2.4",
                "risk_not_reported",
                [v.event_id],
                due,
                f"{v.kind} of {v.on} by {v.by} found {', '.join(v.risks)}; no lead followed",
                scope=v.event_id,
                responsible=v.by,
                concern="perfunctory",
            )


CHECKS = (
    check_r2_1_monthly_visits,
    check_r2_2_yearly_screening,
    check_r2_3_new_allowance_recipients,
    check_r2_4_records_in_time,
)
