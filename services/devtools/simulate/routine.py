"""The county's routine, month by month: registrations and the register of relatives,
leaflets, visits, the yearly screening and income assessment, awareness surveys, new
allowance recipients; the procedure steps that fall due are sent from here."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.devtools import steps
from services.devtools.simulate.county import County, Household
from services.devtools.simulate.heuristics import favoured
from services.devtools.simulate.plan import (
    COUNTY_OFFICE,
    START,
    Plan,
    cadre,
    month_end,
    month_start,
    who,
)
from services.devtools.simulate.procedures import _follow, _shock


def _register_relative(h: Household, r: dict[str, str], emit: Any) -> None:
    """The register of cadres' relatives (优亲厚友): what the favoritism checks read."""
    day = START + timedelta(days=14)
    relative = h.members[0]["person_id"]
    registered = steps.cadre_relative_registered(r["cadre_id"], relative, r["relation"], day)
    emit(h.household_id, *registered, COUNTY_OFFICE)


def _month_of(county: County, plan: Plan, h: Household, month: int, emit: Any) -> None:
    rng, first, last = plan.rng, month_start(month), month_end(month)
    by = cadre(county, h)
    if month == 0:
        household_type = "lifted" if h.lifted else "ordinary"
        _data_quality(plan, h, first)
        registered = steps.household_registered(
            first + timedelta(days=1),
            h.village,
            household_type,
            h.members,
            county.place_names(h.village),
        )
        emit(h.household_id, *registered, by)
        if plan.plant("R1.1"):
            late = rng.random() < 0.5  # delivered after the 30 days, or never
            due = first + timedelta(days=31)
            plan.note("R1.1", "household", h.household_id, due, "late" if late else "never")
            if late:
                delivered = steps.policy_leaflet_delivered(
                    "application_policy",
                    due + timedelta(days=rng.randint(1, 30)),
                    h.members[0]["person_id"],
                )
                emit(h.household_id, *delivered, by)
        else:
            delivered = steps.policy_leaflet_delivered(
                "application_policy", first + timedelta(days=5), h.members[0]["person_id"]
            )
            sent = first + timedelta(days=rng.randint(5, 25))
            emit(h.household_id, sent, delivered.event_type, delivered.payload, by)
    # visits: monthly for lifted and monitored households (R2.1), quarterly for the others
    monthly = h.lifted or h.status in ("case", "monitored")
    if monthly or month % 3 == 2:
        # a lapse planted where the rule binds: lifted, or monitored since before the month
        binds = h.lifted or (
            h.status == "monitored" and h.identified_on is not None and h.identified_on < first
        )
        visited = (h.household_id, month) in plan.visited_months  # by another plant
        if monthly and binds and not visited and plan.plant("R2.1") and month > 0:
            plan.note("R2.1", "household", h.household_id, last, f"no visit in {first:%Y-%m}")
            plan.unvisited.add((h.household_id, month))
        else:
            day = first + timedelta(days=rng.randint(1, 26))
            late = 25 if plan.plant("R2.4") else 0
            if late:
                plan.note(
                    "R2.4",
                    "household",
                    h.household_id,
                    day,
                    "visit back-filled 25 days late",
                    "perfunctory",
                )
            # the village's three cadres share the routine visits
            visitor = county.cadres[h.village][int(h.household_id[-4:]) % 3]
            visit = steps.visit_recorded(visitor, day, steps.findings("routine visit"))
            emit(h.household_id, *visit, who("village_app", visitor, "village_cadre"), late)
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
            screener = by["actor"]["person_id"]
            day = plan.screening_day(screener, first + timedelta(days=rng.randint(0, 27)), first)
            screening = steps.screening_recorded(
                f"screening {day.year}", screener, day, steps.findings("screened")
            )
            emit(h.household_id, *screening, by)
    # a shock: a new risk for a household not monitored (not in November, whose income
    # assessment may open a case of its own earlier in the month)
    november = month % 12 == 10
    if (
        h.status in ("ordinary", "eliminated")
        and 0 < month < 20
        and not november
        and rng.random() < 0.003
    ):
        _shock(plan, h, first + timedelta(days=rng.randint(0, 20)), emit)
    # a new minimum-living-allowance recipient (R2.3): screened against the criteria
    if h.status == "ordinary" and month > 0 and not november and rng.random() < 0.002:
        day = first + timedelta(days=rng.randint(0, 20))
        granted = steps.department_fact_reported(
            f"MA-{plan.counter}",
            "civil_affairs",
            "minimum_living_allowance_granted",
            day,
            amount_yuan="4800",
        )
        civil_affairs = who("civil_affairs", "civil_affairs-system", "department_system")
        emit(h.household_id, *granted, civil_affairs)
        # never screened, or screened late (31 to 50 days); not where November's yearly
        # income assessment would screen it in time
        # (not where June's screening or November's income assessment screens it in time)
        if month % 12 not in (4, 5, 9, 10) and plan.plant("R2.3"):
            late = rng.random() < 0.5
            if late:
                check = steps.visit_recorded(  # a visit that estimates the income
                    by["actor"]["person_id"],
                    day + timedelta(days=rng.randint(31, 50)),
                    steps.findings("income checked", income_estimate_yuan=str(h.income)),
                )
                emit(h.household_id, *check, by)
                plan.visited(h.household_id, check.day)
            plan.note(
                "R2.3",
                "household",
                h.household_id,
                day + timedelta(days=30),
                "new allowance recipient "
                + ("screened late" if late else "never screened for monitoring"),
            )
        else:
            check = steps.visit_recorded(
                by["actor"]["person_id"],
                day + timedelta(days=rng.randint(1, 30)),
                steps.findings("income checked", income_estimate_yuan=str(h.income)),
            )
            emit(h.household_id, *check, by)
            plan.visited(h.household_id, check.day)
            if h.income < 7300:  # meets the criteria: a lead, and the procedure
                _shock(plan, h, day + timedelta(days=3), emit, "income_drop", trigger="R2.3")
    # the yearly income assessment in November, in its day's order among the month's
    # procedure steps (it shows the money of the measures started before it)
    if month % 12 == 10:
        assessed = first + timedelta(days=rng.randint(0, 20))
        _run_queue(county, plan, h, assessed - timedelta(days=1), emit)
        _income(plan, h, assessed, emit, by)
    _run_queue(county, plan, h, last, emit)


def _run_queue(county: County, plan: Plan, h: Household, until: date, emit: Any) -> None:
    """The procedure steps that fall due by `until`, and those they set in motion."""
    while due := [q for q in plan.queue.get(h.household_id, []) if q[0] <= until]:
        plan.queue[h.household_id] = [q for q in plan.queue[h.household_id] if q[0] > until]
        for day, event_type, payload, actor in sorted(due, key=lambda q: q[0]):
            emit(h.household_id, day, event_type, payload, actor)
            _follow(county, plan, h, day, event_type, payload, emit)


def _data_quality(plan: Plan, h: Household, registered: date) -> None:
    """R8.1 planted in a registration, as the national system's exports have them: a member
    whose ID number fails its check digit, or one registered in the village's previous
    household too (one person in two households: both are found)."""
    previous = plan.previous_member.get(h.village)
    plan.previous_member[h.village] = (h.household_id, h.members[0])
    if plan.plant("R8.1"):
        m = h.members[0]
        number = m["id_number"]
        m["id_number"] = number[:17] + ("0" if number[17] != "0" else "1")
        plan.note("R8.1", "household", h.household_id, registered, "a bad check digit")
    elif previous is not None and plan.plant("R8.1"):
        other, member = previous
        h.members.append(member | {"person_id": f"{h.household_id}-9", "relation_to_head": "other"})
        for hid in (other, h.household_id):
            plan.note("R8.1", "household", hid, registered, "one person in two households")


def identified_without_cause(county: County, plan: Plan, month: int, emit: Any) -> None:
    """Favoritism planted (优亲厚友): in the fourth month a cadre's relative, not at risk,
    gets a lead and is identified — the procedure run by the book, the cadre in its review
    (F1.1, F1.4, then F1.2 for the measures; procedures notes them)."""
    if month != 3:
        return
    for h in county.households:
        if h.status == "ordinary" and favoured(county, h) and plan.plant("F1.1"):
            _shock(plan, h, month_start(month) + timedelta(days=4), emit, risk="income_drop")


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
    emit(h.household_id, *steps.income_assessed(day, day.year, components, n, per_capita), by)
    if per_capita < 7300 and h.status in ("ordinary", "eliminated"):
        if plan.plant("R4.2"):
            plan.note(
                "R4.2",
                "household",
                h.household_id,
                day + timedelta(days=15),
                f"income {per_capita} below the line, never identified",
            )
        else:
            _shock(plan, h, day + timedelta(days=2), emit, "income_drop", trigger="R4.2")


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
            answered = steps.awareness_survey_answered(
                f"S{day.year}", day, 9 if aware else 4, aware
            )
            emit(h.household_id, *answered, cadre(county, h))
