"""Two years of a county's events, month by month, following the lifecycle at realistic
rates, with violations of the campaign's rules planted at a given rate and written down.

Every event is valid for the contract and the Household aggregate: what is planted is late,
missing or irregular — what the compliance engine must find — never impossible.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from services.devtools.simulate.county import County, Household

CST = timezone(timedelta(hours=8))
START, MONTHS = date(2024, 1, 1), 24
RISKS = [
    "illness",
    "disability",
    "education",
    "housing",
    "drinking_water",
    "accident",
    "natural_disaster",
    "unemployment",
    "income_drop",
    "high_expenditure",
]
DEPARTMENT_OF = {
    "illness": "medical_insurance",
    "disability": "disabled_persons",
    "education": "education",
    "housing": "housing",
    "drinking_water": "water",
    "accident": "emergency_management",
    "natural_disaster": "emergency_management",
    "unemployment": "human_resources",
    "income_drop": "civil_affairs",
    "high_expenditure": "civil_affairs",
}
MEASURE_FOR = {
    "illness": "medical_aid",
    "disability": "temporary_assistance",
    "education": "education_aid",
    "housing": "housing_renovation",
    "drinking_water": "water_supply",
    "accident": "temporary_assistance",
    "natural_disaster": "temporary_assistance",
    "unemployment": "employment",
    "income_drop": "public_welfare_job",
    "high_expenditure": "minimum_living_allowance",
}
# Where a measure's money shows in the income assessment.
TRANSFER_COMPONENT = {
    "minimum_living_allowance": "minimum_living_allowance",
    "extreme_poverty_support": "extreme_poverty_support",
    "temporary_assistance": "other_transfers",
    "public_welfare_job": "wages",
}
PLANTABLE = [
    "R1.1",
    "R1.2",
    "R1.3",
    "R2.1",
    "R2.2",
    "R2.3",
    "R2.4",
    "R3.1",
    "R3.2",
    "R4.1",
    "R4.2",
    "R5.1",
    "R5.2",
    "R5.3",
    "R6.1",
    "R6.2",
    "R7.1",
    "R8.1",
]

Emit = Callable[[str, dict[str, Any]], None]


def month_start(i: int) -> date:
    return date(START.year + (START.month - 1 + i) // 12, (START.month - 1 + i) % 12 + 1, 1)


def month_end(i: int) -> date:
    return month_start(i + 1) - timedelta(days=1)


@dataclass
class Plan:
    """What the generator will do: events by household, and the planted truth."""

    rng: random.Random
    rate: float
    seed: int
    counter: int = 0
    truth: list[dict[str, Any]] = field(default_factory=list)
    queue: dict[str, list[tuple[date, str, dict[str, Any], dict[str, Any]]]] = field(
        default_factory=dict
    )

    def plant(self, rule: str) -> bool:
        return self.rng.random() < self.rate

    def note(self, rule: str, kind: str, subject: str, due: date, detail: str) -> None:
        self.truth.append(
            {
                "rule": rule,
                "subject_type": kind,
                "subject": subject,
                "due": due.isoformat(),
                "detail": detail,
            }
        )

    def envelope(
        self,
        event_type: str,
        hid: str,
        day: date,
        payload: dict[str, Any],
        who: dict[str, Any],
        late_days: int = 0,
    ) -> dict[str, Any]:
        self.counter += 1
        occurred = datetime(day.year, day.month, day.day, 9 + self.counter % 8, tzinfo=CST)
        recorded = occurred + timedelta(days=late_days, hours=1)
        return {
            "event_id": str(
                uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-sim:{self.seed}:{self.counter}")
            ),
            "event_type": event_type,
            "schema_version": 1,
            "household_id": hid,
            "occurred_at": occurred.isoformat(),
            "recorded_at": recorded.isoformat(),
            "source_system": who["source"],
            "actor": who["actor"],
            "payload": payload,
        }

    def later(
        self, h: Household, day: date, event_type: str, payload: dict[str, Any], who: dict[str, Any]
    ) -> None:
        self.queue.setdefault(h.household_id, []).append((day, event_type, payload, who))


def who(source: str, person: str, role: str) -> dict[str, Any]:
    return {"source": source, "actor": {"person_id": person, "role": role}}


COUNTY_OFFICE = who("county_system", "county-official-1", "county_official")
TOWNSHIP_OFFICE = who("township_system", "township-official-1", "township_official")


def cadre(county: County, h: Household) -> dict[str, Any]:
    return who("village_app", county.cadres[h.village][0], "village_cadre")


def visit_payload(visitor: str, day: date, risks: list[str], notes: str) -> dict[str, Any]:
    return {
        "visitor_id": visitor,
        "visit_date": day.isoformat(),
        "findings": {
            "compulsory_education_secure": "education" not in risks,
            "basic_medical_care_secure": "illness" not in risks,
            "housing_safe": "housing" not in risks,
            "drinking_water_safe": "drinking_water" not in risks,
            "risks_found": risks,
            "notes": notes,
        },
    }


def generate(
    county: County, seed: int, rate: float, truth: list[dict[str, Any]]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(household id, envelope) in time order, month by month; what was planted is appended
    to `truth` as it is generated."""
    plan = Plan(random.Random(seed + 1), rate, seed, truth=truth)
    relatives = {r["household_id"]: r for r in county.relatives}
    for month in range(MONTHS):
        batch: list[tuple[date, int, str, dict[str, Any]]] = []

        def emit(
            hid: str,
            day: date,
            event_type: str,
            payload: dict[str, Any],
            by: dict[str, Any],
            late_days: int = 0,
            batch: list[tuple[date, int, str, dict[str, Any]]] = batch,
        ) -> None:
            env = plan.envelope(event_type, hid, day, payload, by, late_days)
            batch.append((day, plan.counter, hid, env))

        for h in county.households:
            _month_of(county, plan, h, month, emit)
            if month == 0 and h.household_id in relatives:
                _register_relative(h, relatives[h.household_id], emit)
        if month in (9, 21):
            _surveys(county, plan, month, emit)
        batch.sort(key=lambda x: (x[0], x[1]))
        for _, _, hid, env in batch:
            yield hid, env


def _register_relative(h: Household, r: dict[str, str], emit: Any) -> None:
    """The register of cadres' relatives (优亲厚友): what the favoritism checks read."""
    day = START + timedelta(days=14)
    emit(
        h.household_id,
        day,
        "cadre_relative_registered",
        {
            "cadre_id": r["cadre_id"],
            "cadre_role": "village_cadre",
            "relative_person_id": h.members[0]["person_id"],
            "relation": r["relation"],
            "registered_on": day.isoformat(),
        },
        COUNTY_OFFICE,
    )


def _month_of(county: County, plan: Plan, h: Household, month: int, emit: Any) -> None:
    rng, first, last = plan.rng, month_start(month), month_end(month)
    by = cadre(county, h)
    if month == 0:
        emit(
            h.household_id,
            first + timedelta(days=1),
            "household_registered",
            {
                "village_code": h.village,
                **county.place_names(h.village),
                "household_type": "lifted" if h.lifted else "ordinary",
                "members": h.members,
            },
            by,
        )
        if plan.plant("R1.1"):
            plan.note("R1.1", "household", h.household_id, date(2024, 3, 31), "no leaflet")
        else:
            emit(
                h.household_id,
                first + timedelta(days=rng.randint(5, 25)),
                "policy_leaflet_delivered",
                {
                    "leaflet": "application_policy",
                    "delivered_on": (first + timedelta(days=5)).isoformat(),
                    "received_by": h.members[0]["person_id"],
                },
                by,
            )
    # visits: monthly for lifted and monitored households (R2.1), quarterly for the others
    monthly = h.lifted or h.status in ("case", "monitored")
    if monthly or month % 3 == 2:
        if monthly and plan.plant("R2.1") and month > 0:
            plan.note("R2.1", "household", h.household_id, last, f"no visit in {first:%Y-%m}")
        else:
            day = first + timedelta(days=rng.randint(1, 26))
            late = 25 if plan.plant("R2.4") else 0
            if late:
                plan.note(
                    "R2.4", "household", h.household_id, day, "visit back-filled 25 days late"
                )
            emit(
                h.household_id,
                day,
                "visit_recorded",
                visit_payload(by["actor"]["person_id"], day, [], "routine visit"),
                by,
                late,
            )
    # the yearly screening (R2.2) in June
    if month % 12 == 5:
        if plan.plant("R2.2"):
            plan.note(
                "R2.2",
                "household",
                h.household_id,
                month_end(month + 6),
                f"not screened in {first.year}",
            )
        else:
            day = first + timedelta(days=rng.randint(0, 27))
            emit(
                h.household_id,
                day,
                "screening_recorded",
                {
                    "campaign": f"screening {day.year}",
                    "screener_id": by["actor"]["person_id"],
                    "screening_date": day.isoformat(),
                    "findings": visit_payload("", day, [], "screened")["findings"],
                },
                by,
            )
    # the yearly income assessment in November
    if month % 12 == 10:
        _income(plan, h, first + timedelta(days=rng.randint(0, 20)), emit, by)
    # a shock: a new risk for a household not monitored
    if h.status in ("ordinary", "eliminated") and 0 < month < 20 and rng.random() < 0.003:
        _shock(plan, h, first + timedelta(days=rng.randint(0, 20)), emit)
    # a new minimum-living-allowance recipient (R2.3): screened against the criteria
    if h.status == "ordinary" and month > 0 and rng.random() < 0.002:
        day = first + timedelta(days=rng.randint(0, 20))
        emit(
            h.household_id,
            day,
            "department_fact_reported",
            {
                "fact_id": f"MA-{plan.counter}",
                "department": "civil_affairs",
                "kind": "minimum_living_allowance_granted",
                "effective_on": day.isoformat(),
                "amount_yuan": "4800",
            },
            who("civil_affairs", "civil_affairs-system", "department_system"),
        )
        if plan.plant("R2.3"):
            plan.note(
                "R2.3",
                "household",
                h.household_id,
                day + timedelta(days=30),
                "new allowance recipient never screened for monitoring",
            )
        else:
            _shock(plan, h, day + timedelta(days=3), emit, risk="income_drop")
    # the queue: procedure steps that fall due this month
    due = [q for q in plan.queue.get(h.household_id, []) if q[0] <= last]
    if due:
        plan.queue[h.household_id] = [q for q in plan.queue[h.household_id] if q[0] > last]
        for day, event_type, payload, actor in due:
            emit(h.household_id, day, event_type, payload, actor)
            _follow(county, plan, h, day, event_type, payload, emit)


def _income(plan: Plan, h: Household, day: date, emit: Any, by: dict[str, Any]) -> None:
    n = len(h.members)
    net = h.income * n
    per_capita = h.income
    components = {"wages": str(net)}
    if h.transfer:  # a verified allowance or job shows in the income, as it should (R5.3)
        component, amount = h.transfer
        amount = min(amount, net)
        components = {"wages": str(net - amount), component: str(amount)}
        if component == "wages":
            components = {"wages": str(net)}
    if plan.plant("R8.1"):  # components that do not add up to the per-capita figure
        per_capita = h.income + 2500
        plan.note("R8.1", "household", h.household_id, day, "income components inconsistent")
    emit(
        h.household_id,
        day,
        "income_assessed",
        {
            "assessed_on": day.isoformat(),
            "year": day.year,
            "components": components,
            "members_counted": n,
            "per_capita_net_income_yuan": str(per_capita),
        },
        by,
    )
    if per_capita < 7300 and h.status == "ordinary":
        if plan.plant("R4.2"):
            plan.note(
                "R4.2",
                "household",
                h.household_id,
                day + timedelta(days=15),
                f"income {per_capita} below the line, never identified",
            )
        else:
            _shock(plan, h, day + timedelta(days=2), emit, risk="income_drop")


def _shock(plan: Plan, h: Household, day: date, emit: Any, risk: str | None = None) -> None:
    rng = plan.rng
    risk = risk or rng.choice(RISKS)
    hid = h.household_id
    by = who("village_app", f"cadre-{h.village}-0", "village_cadre")
    if rng.random() < 0.5:  # a department's alert first
        dept = DEPARTMENT_OF[risk]
        alert_id = f"A-{hid}-{plan.counter}"
        delay = rng.randint(1, 5)
        if plan.plant("R3.1"):
            delay = rng.randint(20, 40)
            plan.note("R3.1", "department", dept, day + timedelta(days=7), f"alert {alert_id} late")
        pushed = day + timedelta(days=delay)
        emit(
            hid,
            pushed,
            "department_risk_alert_pushed",
            {
                "alert_id": alert_id,
                "department": dept,
                "risk_type": risk,
                "risk_arose_on": day.isoformat(),
                "pushed_on": pushed.isoformat(),
            },
            who(dept, f"{dept}-system", "department_system"),
        )
        if plan.plant("R3.2"):
            plan.note(
                "R3.2",
                "household",
                hid,
                pushed + timedelta(days=15),
                f"alert {alert_id} never followed up",
            )
            return
        channel, lead_day, alert = "department_alert", pushed + timedelta(days=1), alert_id
    else:
        if plan.plant("R2.4"):  # the visit saw the risk; no lead was ever registered
            emit(
                hid,
                day,
                "visit_recorded",
                visit_payload(by["actor"]["person_id"], day, [risk], "risk seen"),
                by,
            )
            plan.note("R2.4", "household", hid, day + timedelta(days=7), f"{risk} seen, no lead")
            return
        channel, lead_day, alert = "cadre_visit", day, None
    if h.status == "eliminated":
        h.status = "ordinary"  # a new identification after an elimination
    lead = f"L-{hid}-{plan.counter}"
    h.status, h.risks, h.case = "case", [risk], {"lead": lead}
    payload = {
        "lead_id": lead,
        "channel": channel,
        "risk_types": [risk],
        "reported_on": lead_day.isoformat(),
    }
    if alert:
        payload["alert_id"] = alert
    plan.later(h, lead_day, "risk_lead_registered", payload, by)
    _procedure(plan, h, lead, "identification", lead_day, by, slow=plan.plant("R4.1"))


def _procedure(
    plan: Plan, h: Household, case_id: str, kind: str, start: date, by: dict[str, Any], slow: bool
) -> None:
    rng, hid = plan.rng, h.household_id
    d = start + timedelta(days=rng.randint(1, 2))
    if kind == "identification":
        plan.later(
            h,
            d,
            "household_consent_signed",
            {
                "lead_id": case_id,
                "signed_on": d.isoformat(),
                "signed_by": h.members[0]["person_id"],
            },
            by,
        )
    d += timedelta(days=rng.randint(1, 2) + (12 if slow else 0))
    plan.later(
        h,
        d,
        "village_review_held",
        {
            "case_id": case_id,
            "case_kind": kind,
            "held_on": d.isoformat(),
            "participants": [by["actor"]["person_id"], "rep"],
            "outcome": "approved",
        },
        by,
    )
    notice = f"N-{case_id}"
    plan.later(
        h,
        d,
        "public_notice_posted",
        {"notice_id": notice, "case_id": case_id, "case_kind": kind, "posted_on": d.isoformat()},
        by,
    )
    d += timedelta(days=rng.randint(5, 6))
    plan.later(h, d, "public_notice_closed", {"notice_id": notice, "closed_on": d.isoformat()}, by)
    plan.later(
        h,
        d,
        "township_review_done",
        {
            "case_id": case_id,
            "case_kind": kind,
            "reviewed_on": d.isoformat(),
            "reviewer_id": "township-official-1",
            "outcome": "approved",
        },
        TOWNSHIP_OFFICE,
    )
    d += timedelta(days=rng.randint(1, 2))
    if slow:
        plan.note(
            "R4.1",
            "household",
            hid,
            start + timedelta(days=15),
            f"{kind} of {case_id} took {(d - start).days} days",
        )
    if kind == "identification":
        plan.later(
            h,
            d,
            "identification_decided",
            {
                "lead_id": case_id,
                "outcome": "identified",
                "decided_on": d.isoformat(),
                "category": "marginal_at_risk",
                "risks": h.risks,
            },
            COUNTY_OFFICE,
        )
    else:
        plan.later(
            h,
            d,
            "risk_eliminated",
            {"elimination_id": case_id, "kind": "stable", "decided_on": d.isoformat()},
            COUNTY_OFFICE,
        )


def _follow(
    county: County,
    plan: Plan,
    h: Household,
    day: date,
    event_type: str,
    payload: dict[str, Any],
    emit: Any,
) -> None:
    """What a step sets in motion: the plan and measures after an identification, the
    elimination after months of assistance, a reversal now and then."""
    rng, hid, by = plan.rng, h.household_id, cadre(county, h)
    if event_type == "identification_decided":
        h.status, h.identified_on = "monitored", day
        delay = rng.randint(2, 9)
        if plan.plant("R5.1"):
            delay = rng.randint(12, 30)
            plan.note("R5.1", "household", hid, day + timedelta(days=10), "plan late")
        plan_day = day + timedelta(days=delay)
        risk = h.risks[0]
        measure_type = MEASURE_FOR[risk]
        if plan.plant("R5.2"):
            measure_type = "microcredit" if risk != "unemployment" else "housing_renovation"
            plan.note("R5.2", "household", hid, plan_day, f"{measure_type} for {risk}")
        dept = DEPARTMENT_OF[risk]
        plan.later(
            h,
            plan_day,
            "assistance_plan_adopted",
            {
                "plan_id": f"P-{hid}-{plan.counter}",
                "adopted_on": plan_day.isoformat(),
                "measures": [
                    {
                        "measure_type": measure_type,
                        "addresses_risks": [risk],
                        "responsible_department": dept,
                    }
                ],
            },
            by,
        )
        measure = f"M-{hid}-{plan.counter}"
        amount = rng.randint(2, 40) * 500
        plan.later(
            h,
            plan_day,
            "assistance_measure_started",
            {
                "measure_id": measure,
                "measure_type": measure_type,
                "responsible_department": dept,
                "addresses_risks": [risk],
                "started_on": plan_day.isoformat(),
                "amount_yuan": str(amount),
            },
            who(dept, f"{dept}-system", "department_system"),
        )
        if plan.plant("R5.3"):
            plan.note("R5.3", "household", hid, plan_day + timedelta(days=60), "never verified")
        else:
            v = plan_day + timedelta(days=rng.randint(20, 60))
            if measure_type in TRANSFER_COMPONENT:
                h.transfer = (TRANSFER_COMPONENT[measure_type], amount)
            plan.later(
                h,
                v,
                "assistance_measure_verified",
                {
                    "measure_id": measure,
                    "verified_on": v.isoformat(),
                    "verifier_id": by["actor"]["person_id"],
                    "evidence_refs": [f"photo-{measure}"],
                },
                by,
            )
        if plan.plant("R1.2"):
            plan.note("R1.2", "household", hid, day + timedelta(days=30), "no assistance leaflet")
        else:
            leaflet_day = day + timedelta(days=rng.randint(3, 20))
            plan.later(
                h,
                leaflet_day,
                "policy_leaflet_delivered",
                {
                    "leaflet": "assistance_policy",
                    "delivered_on": leaflet_day.isoformat(),
                    "received_by": h.members[0]["person_id"],
                },
                by,
            )
        if h.no_labour:
            if plan.plant("R7.1"):
                plan.note("R7.1", "household", hid, day + timedelta(days=30), "not marked")
            else:
                mark = day + timedelta(days=rng.randint(10, 30))
                plan.later(
                    h,
                    mark,
                    "safety_net_mark_set",
                    {
                        "marked_on": mark.isoformat(),
                        "evidence_refs": [f"civil-affairs-{hid}"],
                        "grounds": "whole household without labour capacity",
                    },
                    TOWNSHIP_OFFICE,
                )
                h.marked = True
                return
        # elimination after six to twelve months — or never, though income recovered
        h.income = max(h.income, 9000)
        if plan.plant("R6.1"):
            plan.note("R6.1", "household", hid, day + timedelta(days=365), "should be eliminated")
            return
        start = day + timedelta(days=rng.randint(180, 360))
        if plan.plant("R6.2"):
            h.income = 5200
            plan.note("R6.2", "household", hid, start, "eliminated below the line")
        case = f"E-{hid}-{plan.counter}"
        plan.later(
            h,
            start,
            "risk_elimination_proposed",
            {
                "elimination_id": case,
                "proposed_on": start.isoformat(),
                "kind": "stable",
                "per_capita_net_income_yuan": str(h.income),
                "grounds": "income steadily above the line",
            },
            by,
        )
        _procedure(plan, h, case, "elimination", start, by, slow=False)
    elif event_type == "risk_eliminated":
        h.status, h.eliminated_on = "eliminated", day
        if rng.random() < 0.05:
            h.status = "reverting"  # no new case until the reversal is recorded
            back = day + timedelta(days=rng.randint(30, 90))
            plan.later(
                h,
                back,
                "risk_elimination_reverted",
                {
                    "elimination_id": payload["elimination_id"],
                    "reverted_on": back.isoformat(),
                    "reason": "relapse",
                },
                COUNTY_OFFICE,
            )
    elif event_type == "risk_elimination_reverted":
        h.status = "monitored"


def _surveys(county: County, plan: Plan, month: int, emit: Any) -> None:
    """The awareness survey (R1.3): one household in ten per village; a planted village
    answers mostly wrong."""
    rng, day = plan.rng, month_start(month) + timedelta(days=10)
    by_village: dict[str, list[Household]] = {}
    for h in county.households:
        by_village.setdefault(h.village, []).append(h)
    for village, households in by_village.items():
        unaware = plan.plant("R1.3")
        if unaware:
            plan.note("R1.3", "village", village, day, "awareness below 95%")
        for h in households[::10]:
            aware = not unaware or rng.random() < 0.5
            emit(
                h.household_id,
                day,
                "awareness_survey_answered",
                {
                    "survey_id": f"S{day.year}",
                    "answered_on": day.isoformat(),
                    "questions": 10,
                    "correct_answers": 9 if aware else 4,
                    "aware": aware,
                },
                cadre(county, h),
            )
