"""Test helpers: drive a Household aggregate through steps without any I/O."""

from __future__ import annotations

from typing import Any

from builders import HID, decide_raw, member, valid
from builders import meta as envelope_meta

from services.domain.rules import LifecycleRules

MEMBER = member(labour_capacity="none", health="disabled", bank_account="6222020000001234")


def meta(event_type: str, day: str = "2025-03-01", source: str = "village_app") -> dict[str, Any]:
    return envelope_meta(event_type, HID, day, source=source)


class Steps:
    """One household and the steps of its procedures, each validated by the contract."""

    def __init__(self, rules: LifecycleRules | None = None, village: str = "610326101201"):
        self.rules = rules or LifecycleRules()
        facts = {"village_code": village, "household_type": "lifted", "members": [MEMBER]}
        self.h = decide_raw(
            None,
            meta("household_registered"),
            valid("household_registered", facts),
            self.rules,
        )

    def do(
        self, event_type: str, day: str = "2025-03-01", source: str = "village_app", **facts: Any
    ) -> Steps:
        decide_raw(self.h, meta(event_type, day, source), valid(event_type, facts), self.rules)
        return self

    def lead(self, lead_id: str = "L1", day: str = "2025-03-24") -> Steps:
        return self.do(
            "risk_lead_registered",
            day,
            lead_id=lead_id,
            channel="cadre_visit",
            risk_types=["illness"],
            reported_on=day,
        )

    def notice(
        self,
        case_id: str,
        kind: str = "identification",
        posted: str = "2025-03-27",
        closed: str | None = "2025-04-02",
        notice_id: str = "N1",
    ) -> Steps:
        self.do(
            "public_notice_posted",
            posted,
            notice_id=notice_id,
            case_id=case_id,
            case_kind=kind,
            posted_on=posted,
        )
        if closed:
            self.do("public_notice_closed", closed, notice_id=notice_id, closed_on=closed)
        return self

    def identify(self, lead_id: str = "L1", day: str = "2025-04-07") -> Steps:
        return self.do(
            "identification_decided",
            day,
            "county_system",
            lead_id=lead_id,
            outcome="identified",
            decided_on=day,
            category="marginal_at_risk",
            risks=["illness"],
        )

    def monitored(self) -> Steps:
        return self.lead().notice("L1").identify()

    def propose(self, elimination_id: str = "E1", day: str = "2025-11-01") -> Steps:
        return self.do(
            "risk_elimination_proposed",
            day,
            elimination_id=elimination_id,
            proposed_on=day,
            kind="stable",
            grounds="income above the line",
        )

    def eliminate(self, elimination_id: str = "E1", day: str = "2025-11-20") -> Steps:
        return self.do(
            "risk_eliminated",
            day,
            "county_system",
            elimination_id=elimination_id,
            kind="stable",
            decided_on=day,
        )

    def eliminated(self) -> Steps:
        return (
            self.monitored()
            .propose()
            .notice("E1", "elimination", "2025-11-03", "2025-11-09", "N2")
            .eliminate()
        )
