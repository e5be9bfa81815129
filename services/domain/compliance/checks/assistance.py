"""Assistance (seed §三(五)): R5.1 a plan in time, R5.2 measures that fit, R5.3 measures
carried out and verified — the paper-only assistance (数字帮扶) the campaign is after."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts, Measure
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams

# Which measures answer which risk (R5.2): a code table of the domain.
ANSWERS: dict[str, frozenset[str]] = {
    "illness": frozenset({"medical_aid", "temporary_assistance", "minimum_living_allowance",
                          "extreme_poverty_support"}),
    "disability": frozenset({"medical_aid", "temporary_assistance", "minimum_living_allowance",
                             "extreme_poverty_support", "public_welfare_job"}),
    "education": frozenset({"education_aid"}),
    "housing": frozenset({"housing_renovation"}),
    "drinking_water": frozenset({"water_supply"}),
    "accident": frozenset({"medical_aid", "temporary_assistance", "minimum_living_allowance"}),
    "natural_disaster": frozenset({"temporary_assistance", "housing_renovation", "industry"}),
    "unemployment": frozenset({"employment", "public_welfare_job", "industry", "microcredit"}),
    "income_drop": frozenset({"employment", "public_welfare_job", "industry",
                              "minimum_living_allowance", "temporary_assistance"}),
    "high_expenditure": frozenset({"minimum_living_allowance", "temporary_assistance",
                                   "medical_aid", "education_aid"}),
    "industry_failure": frozenset({"industry", "microcredit", "employment",
                                   "temporary_assistance"}),
    "unstable_employment": frozenset({"employment", "public_welfare_job", "industry"}),
    # lack of labour: support that needs no one to work (and a public-welfare job, which
    # weak or half labour can take)
    "lack_of_labour": frozenset({"minimum_living_allowance", "extreme_poverty_support",
                                 "temporary_assistance", "public_welfare_job"}),
    "epidemic": frozenset({"medical_aid", "temporary_assistance", "employment",
                           "public_welfare_job", "minimum_living_allowance"}),
    "schooling_not_secured": frozenset({"education_aid"}),
    "medical_care_not_secured": frozenset({"medical_aid"}),
}  # fmt: skip
# Measures that need someone in the household able to work (R5.2).
NEEDS_LABOUR = frozenset({"employment", "public_welfare_job", "industry", "microcredit"})
# Where the money of a measure shows in the income assessment (R5.3).
INCOME_COMPONENT = {
    "minimum_living_allowance": "minimum_living_allowance",
    "extreme_poverty_support": "extreme_poverty_support",
    "temporary_assistance": "other_transfers",
    "public_welfare_job": "wages",
}


def check_r5_1_plan_in_time(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R5.1: a plan with measures is adopted within `plan_within_days` of each
    identification (on the 10th day is in time)."""
    for start, _, identification in h.monitored:
        due = start + timedelta(days=p.plan_within_days)
        plans = [(on, eid) for on, _, eid in h.plans if on >= start]
        first = min(plans) if plans else None
        if first is not None and first[0] > due:
            yield household_finding(
                h,
                "R5.1",
                "plan_late",
                [identification, first[1]],
                due,
                f"plan adopted {(first[0] - start).days} days after identification",
                scope=identification,
            )
        elif first is None and due < as_of:
            yield household_finding(
                h,
                "R5.1",
                "plan_missing",
                [identification],
                due,
                f"no assistance plan since identification on {start}",
                scope=identification,
                ongoing=True,
            )


def check_r5_2_measures_fit(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R5.2: every planned or started measure answers a risk it names, and needs no labour
    the household does not have (精准帮扶)."""
    planned = [(m, eid, on) for on, measures, eid in h.plans for m in measures]
    in_plans = {(m["measure_type"], tuple(m["addresses_risks"])) for m, _, _ in planned}
    started = [  # a measure started as planned was judged with its plan
        ({"measure_type": m.measure_type, "addresses_risks": m.risks}, m.event_id, m.started_on)
        for m in h.measures.values()
        if (m.measure_type, m.risks) not in in_plans
    ]
    no_labour = h.no_labour()
    for m, eid, on in [*planned, *started]:
        kind, risks = m["measure_type"], m["addresses_risks"]
        if kind != "other" and not any(kind in ANSWERS.get(r, {kind}) for r in risks):
            yield household_finding(
                h,
                "R5.2",
                "measure_does_not_fit_risk",
                [eid],
                on,
                f"{kind} does not answer {', '.join(risks)}",
                scope=f"{eid}:{kind}",
            )
        if no_labour and kind in NEEDS_LABOUR:
            yield household_finding(
                h,
                "R5.2",
                "measure_needs_labour",
                [eid],
                on,
                f"{kind} for a household with no one able to work",
                scope=f"{eid}:{kind}",
            )


def check_r5_3_measures_verified(
    h: HouseholdFacts, p: ComplianceParams, as_of: date
) -> Iterator[Finding]:
    """R5.3: a measure is verified within `verify_within_days` (day 60 is in time), with
    evidence, by someone other than who started it; and its money shows in the next income
    assessment."""
    for m in h.measures.values():
        due = m.started_on + timedelta(days=p.verify_within_days)
        checks = [v for v in m.verifications if v[0] <= due]
        if not m.verifications and due < as_of:
            yield household_finding(
                h,
                "R5.3",
                "measure_not_verified",
                [m.event_id],
                due,
                f"{m.measure_type} {m.measure_id} of {m.started_on} never verified",
                scope=m.measure_id,
                ongoing=True,
                concern="paper_only",
            )
        elif m.verifications and not checks:
            yield household_finding(
                h,
                "R5.3",
                "measure_verified_late",
                [m.event_id, m.verifications[0][3]],
                due,
                f"{m.measure_type} {m.measure_id} verified on {m.verifications[0][0]}",
                scope=m.measure_id,
                concern="paper_only",
            )
        for on, evidence, verifier, eid in m.verifications:
            if not any(ref.strip() for ref in evidence) or verifier == m.started_by:
                why = "without evidence" if verifier != m.started_by else "by who started it"
                yield household_finding(
                    h,
                    "R5.3",
                    "verification_without_evidence",
                    [m.event_id, eid],
                    on,
                    f"{m.measure_type} {m.measure_id} verified {why}",
                    scope=eid,
                    concern="paper_only",
                )
        yield from _money_not_in_income(h, m)


def _money_not_in_income(h: HouseholdFacts, m: Measure) -> Iterator[Finding]:
    component = INCOME_COMPONENT.get(m.measure_type)
    if component is None or not m.amount:
        return
    after = [i for i in h.incomes if i.assessed_on > m.started_on]
    if not after:
        return
    income = min(after, key=lambda i: i.assessed_on)
    if income.components.get(component, Decimal(0)) == 0:
        yield household_finding(
            h,
            "R5.3",
            "amount_not_in_income",
            [m.event_id, income.event_id],
            income.assessed_on,
            f"{m.amount} yuan of {m.measure_type} {m.measure_id}: no {component} in the "
            f"assessment of {income.assessed_on}",
            scope=m.measure_id,
            concern="paper_only",
        )


CHECKS = (check_r5_1_plan_in_time, check_r5_2_measures_fit, check_r5_3_measures_verified)
