"""The lifecycle's procedures as the generator follows them: a shock opens a case (a
department's alert or a cadre's visit first), the identification or elimination runs its
steps, and what a step sets in motion — assistance, elimination, a reversal."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.devtools import steps
from services.devtools.simulate.county import County, Household
from services.devtools.simulate.heuristics import note_relative
from services.devtools.simulate.plan import (
    COUNTY_OFFICE,
    DEPARTMENT_OF,
    END,
    MEASURE_FOR,
    NEEDS_LABOUR,
    RISKS,
    TOWNSHIP_OFFICE,
    TRANSFER_COMPONENT,
    Plan,
    cadre,
    who,
)


def _shock(
    plan: Plan,
    h: Household,
    day: date,
    emit: Any,
    risk: str | None = None,
    trigger: str | None = None,
) -> None:
    """A new risk: an alert or a visit first, then a lead and the identification. A shock
    triggered by a rule (`trigger`: R4.2 an income below the line, R2.3 a new allowance
    recipient who meets the criteria) whose lead a planted lapse delays or prevents (R3.1,
    R3.2, R2.4) leaves that rule's finding too: noted as the plant's consequence."""
    rng = plan.rng
    if h.status in ("case", "monitored", "reverting"):  # under a case already: no new one
        return
    risk = risk or rng.choice(RISKS)
    if h.no_labour and risk == "unemployment":  # no one to be unemployed: 缺劳动力
        risk = "lack_of_labour"

    def consequence(of: str) -> None:
        if trigger is not None:
            due = day + timedelta(days=15)
            plan.note(trigger, "household", h.household_id, due, f"after {of}", consequence=of)

    hid = h.household_id
    by = who("village_app", f"cadre-{h.village}-0", "village_cadre")
    if rng.random() < 0.5:  # a department's alert first
        dept = DEPARTMENT_OF[risk]
        alert_id = f"A-{hid}-{plan.counter}"
        delay = rng.randint(1, 5)
        if plan.plant("R3.1"):
            delay = rng.randint(20, 40)
            plan.note("R3.1", "department", dept, day + timedelta(days=7), f"alert {alert_id} late")
            consequence("R3.1")
        pushed = day + timedelta(days=delay)
        alert_pushed = steps.department_risk_alert_pushed(alert_id, dept, risk, day, pushed)
        emit(hid, *alert_pushed, who(dept, f"{dept}-system", "department_system"))
        lead_day = pushed + timedelta(days=1)
        if plan.plant("R3.2"):
            late = rng.random() < 0.5  # followed up after the 15 days, or never
            plan.note(
                "R3.2",
                "household",
                hid,
                pushed + timedelta(days=15),
                f"alert {alert_id} " + ("followed up late" if late else "never followed up"),
            )
            consequence("R3.2")
            if not late:
                return
            lead_day = pushed + timedelta(days=rng.randint(16, 25))
        channel, alert = "department_alert", alert_id
    else:
        if plan.plant("R2.4"):  # the visit saw the risk; no lead was ever registered
            seen = steps.findings("risk seen", [risk])
            emit(hid, *steps.visit_recorded(by["actor"]["person_id"], day, seen), by)
            plan.visited(hid, day)
            plan.note(
                "R2.4",
                "household",
                hid,
                day + timedelta(days=7),
                f"{risk} seen, no lead",
                "perfunctory",
            )
            consequence("R2.4")
            return
        channel, lead_day, alert = "cadre_visit", day, None
    if h.status == "eliminated":
        h.status = "ordinary"  # a new identification after an elimination
    lead = f"L-{hid}-{plan.counter}"
    h.status, h.risks, h.case = "case", [risk], {"lead": lead}
    plan.later(h, *steps.risk_lead_registered(lead, channel, [risk], lead_day, alert), by)
    _procedure(plan, h, lead, "identification", lead_day, by, slow=plan.plant("R4.1"))


def _procedure(
    plan: Plan,
    h: Household,
    case_id: str,
    kind: str,
    start: date,
    by: dict[str, Any],
    slow: bool,
    short_notice: bool = False,
) -> None:
    """The case's steps; `slow` takes 12 more days (R4.1), `short_notice` closes the notice
    after 3 or 4 days and the county decides all the same (accepted, irregular: R4.1 or
    R6.2 — the principle of issue #18)."""
    rng, hid = plan.rng, h.household_id
    d = start + timedelta(days=rng.randint(1, 2))
    if kind == "identification":
        plan.later(h, *steps.household_consent_signed(case_id, d, h.members[0]["person_id"]), by)
    d += timedelta(days=rng.randint(1, 2) + (12 if slow else 0))
    participants = [by["actor"]["person_id"], "rep"]
    plan.later(h, *steps.village_review_held(case_id, kind, d, participants), by)
    notice = f"N-{case_id}"
    plan.later(h, *steps.public_notice_posted(notice, case_id, kind, d), by)
    d += timedelta(days=rng.randint(3, 4) if short_notice else rng.randint(5, 6))
    plan.later(h, *steps.public_notice_closed(notice, d), by)
    review = steps.township_review_done(case_id, kind, d, "township-official-1")
    plan.later(h, *review, TOWNSHIP_OFFICE)
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
        decision = steps.identification_decided(case_id, d, "marginal_at_risk", h.risks)
        plan.later(h, *decision, COUNTY_OFFICE)
    else:
        plan.later(h, *steps.risk_eliminated(case_id, d), COUNTY_OFFICE)


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
    if event_type == "village_review_held":  # the cadre sits in the relative's review
        note_relative(county, plan, h, "F1.4", day, f"acted on case {payload['case_id']}")
    if event_type == "identification_decided":
        h.status, h.identified_on = "monitored", day
        note_relative(county, plan, h, "F1.1", day, "identified")
        delay = rng.randint(2, 9)
        if plan.plant("R5.1"):
            delay = rng.randint(12, 30)
            plan.note("R5.1", "household", hid, day + timedelta(days=10), "plan late")
        plan_day = day + timedelta(days=delay)
        risk = h.risks[0]
        measure_type = MEASURE_FOR[risk]
        if h.no_labour and measure_type in NEEDS_LABOUR:  # matched to the labour (R5.2)
            measure_type = "minimum_living_allowance"
        if plan.plant("R5.2"):
            measure_type = "microcredit" if risk != "unemployment" else "housing_renovation"
            plan.note("R5.2", "household", hid, plan_day, f"{measure_type} for {risk}")
        dept = DEPARTMENT_OF[risk]
        plan_id = f"P-{hid}-{plan.counter}"
        adopted = steps.assistance_plan_adopted(plan_id, plan_day, measure_type, risk, dept)
        plan.later(h, *adopted, by)
        measure = f"M-{hid}-{plan.counter}"
        amount = rng.randint(2, 40) * 500
        started = steps.assistance_measure_started(
            measure, measure_type, dept, risk, plan_day, amount
        )
        plan.later(h, *started, who(dept, f"{dept}-system", "department_system"))
        note_relative(county, plan, h, "F1.2", plan_day, f"assisted by {measure}")
        if plan.plant("R5.3"):
            h.planted.add("R5.3")  # an unverified measure: R6.1 does not bind (not planted)
            plan.note(
                "R5.3",
                "household",
                hid,
                plan_day + timedelta(days=60),
                "never verified",
                "paper_only",
            )
        else:
            v = plan_day + timedelta(days=rng.randint(20, 60))
            if measure_type in TRANSFER_COMPONENT:
                h.transfer = (TRANSFER_COMPONENT[measure_type], amount)
            verifier, evidence = by["actor"]["person_id"], [f"photo-{measure}"]
            plan.later(h, *steps.assistance_measure_verified(measure, v, verifier, evidence), by)
        # R1.2 binds the first identification's leaflet: once delivered, a later
        # identification without one is no lapse (so it is not planted)
        if "leaflet:assistance" not in h.planted and plan.plant("R1.2"):
            plan.note("R1.2", "household", hid, day + timedelta(days=30), "no assistance leaflet")
        else:
            h.planted.add("leaflet:assistance")
            leaflet_day = day + timedelta(days=rng.randint(3, 20))
            leaflet = steps.policy_leaflet_delivered(
                "assistance_policy", leaflet_day, h.members[0]["person_id"]
            )
            plan.later(h, *leaflet, by)
        if h.no_labour:
            planted = plan.plant("R7.1")
            late = planted and rng.random() < 0.5  # marked after the 30 days, or never
            if planted:
                what = "marked late" if late else "not marked"
                plan.note("R7.1", "household", hid, day + timedelta(days=30), what)
            if not planted or late:
                mark = day + timedelta(days=rng.randint(31, 50) if late else rng.randint(10, 30))
                marked = steps.safety_net_mark_set(
                    mark, [f"civil-affairs-{hid}"], "whole household without labour capacity"
                )
                plan.later(h, *marked, TOWNSHIP_OFFICE)
                h.marked = True
                return
        # elimination after six to twelve months — or never, though income recovered
        h.income = max(h.income, 9000)
        if "R5.3" not in h.planted and plan.plant("R6.1"):
            plan.note("R6.1", "household", hid, day + timedelta(days=365), "should be eliminated")
            note_relative(county, plan, h, "F1.3", day + timedelta(days=365), "kept on")
            return
        start = day + timedelta(days=rng.randint(180, 360))
        short = False
        if start + timedelta(days=20) <= END and plan.plant("R6.2"):  # decided in the world
            short = rng.random() < 0.5
            if not short:
                h.income = 5200
            what = "eliminated after a 3- or 4-day notice" if short else "below the line"
            plan.note("R6.2", "household", hid, start, what)
        case = f"E-{hid}-{plan.counter}"
        grounds = "income steadily above the line"
        plan.later(h, *steps.risk_elimination_proposed(case, start, grounds, h.income), by)
        _procedure(plan, h, case, "elimination", start, by, slow=False, short_notice=short)
    elif event_type == "risk_eliminated":
        h.status, h.eliminated_on = "eliminated", day
        if rng.random() < 0.05:
            h.status = "reverting"  # no new case until the reversal is recorded
            back = day + timedelta(days=rng.randint(30, 90))
            if back.day == 1:  # monitored again from the month's first day: visited in it
                back += timedelta(days=1)
            reverted = steps.risk_elimination_reverted(payload["elimination_id"], back, "relapse")
            plan.later(h, *reverted, COUNTY_OFFICE)
    elif event_type == "risk_elimination_reverted":
        h.status = "monitored"  # monitored again: a new plan within days (R5.1)
        risk = h.risks[0] if h.risks else "income_drop"
        measure_type = MEASURE_FOR[risk]
        if h.no_labour and measure_type in NEEDS_LABOUR:
            measure_type = "minimum_living_allowance"
        plan_day = day + timedelta(days=rng.randint(2, 9))
        adopted = steps.assistance_plan_adopted(
            f"P-{hid}-{plan.counter}", plan_day, measure_type, risk, DEPARTMENT_OF[risk]
        )
        plan.later(h, *adopted, by)
