"""H4 of the demo village: an objection holds the decision until it is resolved; a woman
without labour capacity is marked for the safety net, and so never eliminated (R7.1)."""

from __future__ import annotations

from services.devtools import steps
from services.devtools.steps import findings
from services.devtools.village.script import (
    COUNTY,
    PLACE_NAMES,
    TOWNSHIP,
    VILLAGE,
    VillageScript,
    department,
    member,
)


def objection_then_safety_net(s: VillageScript, h: str) -> None:
    # H4: the storm damages an elderly woman's roof; an objection holds the decision until it
    # is resolved; she has no labour capacity and lives on social security: marked, and so
    # never eliminated (R7.1).
    head = member(
        "P401",
        "赵敏",
        "1948-02-11",
        41,
        "head",
        female=True,
        labour="none",
        health="disabled",
        bank_account="6222020000",
    )
    s.step(h, steps.household_registered("2025-03-01", VILLAGE, "ordinary", [head], PLACE_NAMES))
    roof = findings("roof damaged by the storm", ["housing"])
    s.step(h, steps.visit_recorded("cadre-li", "2025-07-03", roof))
    lead4 = s.id("L", 4)
    s.step(h, steps.risk_lead_registered(lead4, "cadre_visit", ["housing"], "2025-07-03"))
    s.step(h, steps.household_consent_signed(lead4, "2025-07-04", "P401"))
    participants = ["cadre-li", "villager rep. 1"]
    s.step(h, steps.village_review_held(lead4, "identification", "2025-07-06", participants))
    notice4, objection4 = s.id("N", 4), s.id("O", 4)
    s.step(h, steps.public_notice_posted(notice4, lead4, "identification", "2025-07-07"))
    money = "a neighbour says her son sends money"
    s.step(h, steps.objection_raised(notice4, objection4, "2025-07-09", money))
    s.step(h, steps.public_notice_closed(notice4, "2025-07-13"))
    review = steps.township_review_done(lead4, "identification", "2025-07-14", "township-wu")
    s.step(h, review, who=TOWNSHIP)
    s.retired()  # the county's decision of 2025-07-15, refused then with the objection open
    checked = "the son has sent nothing since 2023; bank records checked"
    s.step(h, steps.objection_resolved(notice4, objection4, "2025-07-15", checked))
    decision = steps.identification_decided(lead4, "2025-07-16", "marginal_at_risk", ["housing"])
    s.step(h, decision, who=COUNTY)
    housing = department("housing")
    started = steps.assistance_measure_started(
        s.id("M", 4), "housing_renovation", "housing", "housing", "2025-07-20", "35000"
    )
    s.step(h, started, who=housing)
    evidence = ["civil-affairs-tekun-2025-117"]
    grounds = "lives alone, no labour capacity, extreme-poverty support"
    s.step(h, steps.safety_net_mark_set("2025-08-01", evidence, grounds), who=TOWNSHIP)
    s.retired()  # a proposal to eliminate her, refused then while she was marked
    ended = steps.assistance_measure_ended(s.id("M", 4), "2025-12-05", "roof rebuilt")
    s.step(h, ended, who=housing)
    home = "her son came home to care for her"
    s.step(h, steps.safety_net_mark_removed("2026-02-01", home), who=TOWNSHIP)
