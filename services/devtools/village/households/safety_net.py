"""H4 of the demo village: an objection holds the decision until it is resolved; a woman
without labour capacity is marked for the safety net, and so never eliminated (R7.1)."""

from __future__ import annotations

from services.devtools.village.script import (
    COUNTY,
    TOWNSHIP,
    VILLAGE,
    VillageScript,
    department,
    findings,
    member,
)


def objection_then_safety_net(s: VillageScript, h: str) -> None:
    # H4: the storm damages an elderly woman's roof; an objection holds the decision until it
    # is resolved; she has no labour capacity and lives on social security: marked, and so
    # never eliminated (R7.1).
    s.emit(
        "household_registered",
        h,
        "2025-03-01",
        {
            "village_code": VILLAGE,
            "household_type": "ordinary",
            "members": [
                member(
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
            ],
        },
    )
    s.emit(
        "visit_recorded",
        h,
        "2025-07-03",
        {
            "visitor_id": "cadre-li",
            "visit_date": "2025-07-03",
            "findings": findings(
                "roof damaged by the storm", housing_safe=False, risks_found=["housing"]
            ),
        },
    )
    lead4 = s.id("L", 4)
    s.emit(
        "risk_lead_registered",
        h,
        "2025-07-03",
        {
            "lead_id": lead4,
            "channel": "cadre_visit",
            "risk_types": ["housing"],
            "reported_on": "2025-07-03",
        },
    )
    s.emit(
        "household_consent_signed",
        h,
        "2025-07-04",
        {"lead_id": lead4, "signed_on": "2025-07-04", "signed_by": "P401"},
    )
    s.emit(
        "village_review_held",
        h,
        "2025-07-06",
        {
            "case_id": lead4,
            "case_kind": "identification",
            "held_on": "2025-07-06",
            "participants": ["cadre-li", "villager rep. 1"],
            "outcome": "approved",
        },
    )
    notice4 = s.id("N", 4)
    s.emit(
        "public_notice_posted",
        h,
        "2025-07-07",
        {
            "notice_id": notice4,
            "case_id": lead4,
            "case_kind": "identification",
            "posted_on": "2025-07-07",
        },
    )
    s.emit(
        "objection_raised",
        h,
        "2025-07-09",
        {
            "notice_id": notice4,
            "objection_id": s.id("O", 4),
            "raised_on": "2025-07-09",
            "summary": "a neighbour says her son sends money",
        },
    )
    s.emit(
        "public_notice_closed", h, "2025-07-13", {"notice_id": notice4, "closed_on": "2025-07-13"}
    )
    s.emit(
        "township_review_done",
        h,
        "2025-07-14",
        {
            "case_id": lead4,
            "case_kind": "identification",
            "reviewed_on": "2025-07-14",
            "reviewer_id": "township-wu",
            "outcome": "approved",
        },
        who=TOWNSHIP,
    )
    decision4 = {
        "lead_id": lead4,
        "outcome": "identified",
        "decided_on": "2025-07-15",
        "category": "marginal_at_risk",
        "risks": ["housing"],
    }
    s.emit(
        "identification_decided", h, "2025-07-15", decision4, who=COUNTY, expect="OBJECTION_OPEN"
    )
    s.emit(
        "objection_resolved",
        h,
        "2025-07-15",
        {
            "notice_id": notice4,
            "objection_id": s.id("O", 4),
            "resolved_on": "2025-07-15",
            "upheld": False,
            "resolution": "the son has sent nothing since 2023; bank records checked",
        },
    )
    s.emit(
        "identification_decided",
        h,
        "2025-07-16",
        decision4 | {"decided_on": "2025-07-16"},
        who=COUNTY,
    )
    s.emit(
        "assistance_measure_started",
        h,
        "2025-07-20",
        {
            "measure_id": s.id("M", 4),
            "measure_type": "housing_renovation",
            "responsible_department": "housing",
            "addresses_risks": ["housing"],
            "started_on": "2025-07-20",
            "amount_yuan": "35000",
        },
        who=department("housing"),
    )
    s.emit(
        "safety_net_mark_set",
        h,
        "2025-08-01",
        {
            "marked_on": "2025-08-01",
            "evidence_refs": ["civil-affairs-tekun-2025-117"],
            "grounds": "lives alone, no labour capacity, extreme-poverty support",
        },
        who=TOWNSHIP,
    )
    s.emit(
        "risk_elimination_proposed",
        h,
        "2025-12-01",
        {
            "elimination_id": s.id("E", 4),
            "proposed_on": "2025-12-01",
            "kind": "stable",
            "grounds": "roof repaired",
        },
        expect="SAFETY_NET_MARKED",
    )
    s.emit(
        "assistance_measure_ended",
        h,
        "2025-12-05",
        {"measure_id": s.id("M", 4), "ended_on": "2025-12-05", "reason": "roof rebuilt"},
        who=department("housing"),
    )
    s.emit(
        "safety_net_mark_removed",
        h,
        "2026-02-01",
        {"removed_on": "2026-02-01", "reason": "her son came home to care for her"},
        who=TOWNSHIP,
    )
