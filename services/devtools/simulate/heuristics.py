"""What the campaign targets beyond a rule's letter, planted with its truth: favoritism
(优亲厚友: a cadre's relative identified without cause, assisted, acted on by the cadre,
kept on), perfunctory visiting (走过场: one helper's bulk visits in a day, a note copied
into many households' visits) — back-filled records and paper-only measures are planted
where the visits and measures are made (routine, procedures)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from services.devtools import steps
from services.devtools.simulate.county import County, Household
from services.devtools.simulate.plan import Plan, month_start, who
from services.domain.compliance.params import FAVOURED_RELATIONS

COPIED_NOTE = "家庭情况稳定，收入来源稳定，无返贫风险，已宣传政策，群众满意"
BULK_VISITS = 24  # by one helper in one day: more than the 20 the engine finds plausible


def favoured(county: County, h: Household) -> str | None:
    """The cadre whose close relative (or direct in-law) lives in the household, if any."""
    for r in county.relatives:
        if r["household_id"] == h.household_id and r["relation"] in FAVOURED_RELATIONS:
            return r["cadre_id"]
    return None


def note_relative(
    county: County, plan: Plan, h: Household, rule: str, day: date, what: str
) -> None:
    """A relative's household identified (F1.1), assisted (F1.2), acted on by the cadre
    (F1.4: the cadre reviews its cases) or kept on (F1.3): each a suspicion the engine
    raises about the cadre, for an inspector to judge."""
    cadre_id = favoured(county, h)
    if cadre_id is not None:
        plan.note(rule, "cadre", cadre_id, day, f"{what} ({h.household_id})", "favoritism")


def perfunctory_visits(county: County, plan: Plan, month: int, emit: Any) -> None:
    """Perfunctory visiting planted in a village's month (走过场): a helper records
    BULK_VISITS visits on one day, or writes one note word for word into the visits of
    six households."""
    if month % 3 != 1:
        return
    rng, first = plan.rng, month_start(month)
    by_village: dict[str, list[Household]] = {}
    for h in county.households:
        if (h.household_id, month) not in plan.unvisited:
            by_village.setdefault(h.village, []).append(h)
    for village, households in by_village.items():
        helpers = county.cadres[village]
        if len(households) > BULK_VISITS and plan.plant("R2.4"):
            helper, day = helpers[1], first + timedelta(days=rng.randint(3, 20))
            by = who("village_app", helper, "assigned_helper")
            for h in households[:BULK_VISITS]:
                emit(h.household_id, *steps.visit_recorded(helper, day, steps.findings("")), by)
            plan.note("R2.4", "cadre", helper, day, f"{BULK_VISITS} visits on {day}", "perfunctory")
        if len(households) >= 6 and plan.plant("R2.4"):
            helper, day = helpers[2], first + timedelta(days=rng.randint(3, 20))
            by = who("village_app", helper, "assigned_helper")
            for i, h in enumerate(households[-6:]):
                visit = steps.visit_recorded(
                    helper, day + timedelta(days=i % 3), steps.findings(COPIED_NOTE)
                )
                emit(h.household_id, *visit, by)
            plan.note(
                "R2.4",
                "cadre",
                helper,
                day + timedelta(days=2),
                "one note copied into six households' visits",
                "perfunctory",
            )
