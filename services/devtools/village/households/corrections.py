"""H3 of the demo village: a birth, monthly visits, a screening and a survey; one visit is
amended, one entered twice is retracted."""

from __future__ import annotations

from services.devtools import steps
from services.devtools.steps import findings
from services.devtools.village.script import (
    HELPER,
    PLACE_NAMES,
    VILLAGE,
    VillageScript,
    member,
)


def has_a_birth_visits_and_corrections(s: VillageScript, h: str) -> None:
    # H3: a lifted household: a birth, monthly visits, a screening, a survey; one visit was
    # recorded against the wrong day and is amended, one entered twice and is retracted.
    head = member("P301", "刘强", "1975-07-07", 31, "head", labour="weak", health="chronic_illness")
    s.step(h, steps.household_registered("2025-03-01", VILLAGE, "lifted", [head], PLACE_NAMES))
    s.emit(
        "member_added",
        h,
        "2025-04-01",
        {
            "reason": "birth",
            "member": member(
                "P302", "刘小雨", "2025-03-28", 32, "child", female=True, labour="none"
            ),
        },
    )
    visits = [
        s.step(
            h,
            steps.visit_recorded("helper-chen", f"2025-0{m}-15", findings(f"monthly visit {m}")),
            who=HELPER,
        )
        for m in (3, 4, 5, 5)
    ]
    s.emit(
        "event_amended",
        h,
        "2025-06-01",
        {
            "target_event_id": visits[2]["event_id"],
            "reason": "the May visit was on the 16th",
            "amended_payload": visits[2]["payload"] | {"visit_date": "2025-05-16"},
        },
        who=HELPER,
    )
    s.emit(
        "event_retracted",
        h,
        "2025-06-01",
        {"target_event_id": visits[3]["event_id"], "reason": "entered twice"},
        who=HELPER,
    )
    campaign = "2025 special rectification"
    s.step(h, steps.screening_recorded(campaign, "cadre-li", "2025-06-20", findings("no new risk")))
    s.step(h, steps.awareness_survey_answered("S2025", "2025-06-20", 9, True))
