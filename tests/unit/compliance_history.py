"""Test helpers: a household's stored events, built step by step and validated by the
contract, for the compliance engine (no aggregate, so lapses the intake would refuse can
be written too). Dates default to a household kept by the book in 2024."""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from builders import VILLAGE, id_number, member, meta, valid
from builders import findings as visit_findings

from events.catalog import EVENT_TYPES
from services.domain.compliance.engine import evaluate
from services.domain.compliance.facts import STORED_FIELDS, RecordedEvent
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams

AS_OF = "2025-01-01"  # the day the findings are asked for, unless a test says
# What a recorded event takes from the envelope: all but its facts.
RECORDED = STORED_FIELDS[:-1]  # all but the facts


def person_number(hid: str, seq: int = 1) -> str:
    """A member's ID number of its own household: no two households share a person unless
    a test says (R8.1 person_in_two_households)."""
    born = date(1950, 1, 1) + timedelta(days=zlib.crc32(hid.encode()) % 18000)
    return id_number(seq, f"{born:%Y%m%d}")


class History:
    """One household's events; the helpers name the steps."""

    def __init__(
        self,
        hid: str = "610326101201H001",
        village: str = VILLAGE,
        household_type: str = "lifted",
        labour: str = "ordinary",
        registered: str = "2024-01-02",
    ) -> None:
        self.hid = hid
        self.events: list[RecordedEvent] = []
        self.add(
            "household_registered",
            registered,
            village_code=village,
            household_type=household_type,
            members=[member("P1", labour_capacity=labour, id_number=person_number(hid))],
        )

    def add(
        self,
        event_type: str,
        day: str,
        *,
        recorded: str | None = None,
        actor: str = "cadre-li",
        role: str = "village_cadre",
        **payload: Any,
    ) -> str:
        m = meta(event_type, self.hid, day, recorded=recorded, actor=actor, role=role)
        facts = valid(event_type, payload)
        self.events.append(RecordedEvent(*(m[name] for name in RECORDED), facts))
        return m["event_id"]

    # --- visits and publicity ---------------------------------------------------------
    def visit(
        self,
        day: str,
        by: str = "cadre-li",
        risks: tuple[str, ...] = (),
        notes: str = "",
        recorded: str | None = None,
        income_estimate: str | None = None,
    ) -> str:
        return self.add(
            "visit_recorded",
            day,
            recorded=recorded,
            visitor_id=by,
            visit_date=day,
            findings=visit_findings(notes, risks, income_estimate_yuan=income_estimate),
        )

    def monthly_visits(self, year: int = 2024, day: int = 15, skip: tuple[int, ...] = ()) -> None:
        for month in range(1, 13):
            if month not in skip:
                self.visit(f"{year}-{month:02d}-{day:02d}")

    def screening(self, day: str) -> str:
        return self.add(
            "screening_recorded",
            day,
            campaign="2024",
            screener_id="cadre-li",
            screening_date=day,
            findings=visit_findings(),
        )

    def leaflet(self, kind: str, day: str) -> str:
        return self.add(
            "policy_leaflet_delivered", day, leaflet=kind, delivered_on=day, received_by="P1"
        )

    def survey(self, day: str, aware: bool, survey_id: str = "S2024") -> str:
        return self.add(
            "awareness_survey_answered",
            day,
            survey_id=survey_id,
            answered_on=day,
            questions=10,
            correct_answers=9 if aware else 3,
            aware=aware,
        )

    def income(
        self,
        day: str,
        per_capita: int | str,
        members: int = 1,
        components: dict[str, str] | None = None,
    ) -> str:
        return self.add(
            "income_assessed",
            day,
            assessed_on=day,
            year=int(day[:4]),
            components=components or {"wages": str(per_capita)},
            members_counted=members,
            per_capita_net_income_yuan=str(per_capita),
        )

    # --- departments ----------------------------------------------------------------------
    def alert(self, alert_id: str, arose: str, pushed: str, risk: str = "illness") -> str:
        return self.add(
            "department_risk_alert_pushed",
            pushed,
            actor="mi-system",
            role="department_system",
            alert_id=alert_id,
            department="medical_insurance",
            risk_type=risk,
            risk_arose_on=arose,
            pushed_on=pushed,
        )

    def fact(self, kind: str, day: str, department: str = "civil_affairs") -> str:
        return self.add(
            "department_fact_reported",
            day,
            fact_id=f"F-{day}",
            department=department,
            kind=kind,
            effective_on=day,
        )

    # --- identification ---------------------------------------------------------------------
    def lead(self, lead_id: str, day: str, alert_id: str | None = None) -> str:
        return self.add(
            "risk_lead_registered",
            day,
            lead_id=lead_id,
            channel="department_alert" if alert_id else "cadre_visit",
            risk_types=["illness"],
            reported_on=day,
            alert_id=alert_id,
        )

    def notice(
        self,
        case_id: str,
        posted: str,
        closed: str,
        kind: str = "identification",
        by: str = "cadre-li",
    ) -> None:
        self.add(
            "public_notice_posted",
            posted,
            actor=by,
            notice_id=f"N-{case_id}",
            case_id=case_id,
            case_kind=kind,
            posted_on=posted,
        )
        self.add(
            "public_notice_closed", closed, actor=by, notice_id=f"N-{case_id}", closed_on=closed
        )

    def review(
        self, case_id: str, day: str, participants: list[str], kind: str = "identification"
    ) -> str:
        return self.add(
            "village_review_held",
            day,
            case_id=case_id,
            case_kind=kind,
            held_on=day,
            participants=participants,
            outcome="approved",
        )

    def decide(
        self,
        lead_id: str,
        day: str,
        outcome: str = "identified",
        income: str | None = None,
        by: str = "county-1",
    ) -> str:
        extra: dict[str, Any] = (
            {"category": "marginal_at_risk", "risks": ["illness"]}
            if outcome == "identified"
            else {"dismissal_reason": "income above the line"}
        )
        return self.add(
            "identification_decided",
            day,
            actor=by,
            role="county_official",
            lead_id=lead_id,
            outcome=outcome,
            decided_on=day,
            per_capita_net_income_yuan=income,
            **extra,
        )

    def identified(self, lead: str = "2024-03-01", decided: str = "2024-03-12") -> None:
        """A lead, a 6-day notice and a decision within 15 days."""
        self.lead("L1", lead)
        start = date.fromisoformat(lead)
        self.notice("L1", str(start + timedelta(days=2)), str(start + timedelta(days=8)))
        self.decide("L1", decided)

    # --- assistance -------------------------------------------------------------------------
    def plan(self, day: str, measure_type: str = "medical_aid", risk: str = "illness") -> str:
        return self.add(
            "assistance_plan_adopted",
            day,
            plan_id=f"P-{day}",
            adopted_on=day,
            measures=[
                {
                    "measure_type": measure_type,
                    "addresses_risks": [risk],
                    "responsible_department": "medical_insurance",
                }
            ],
        )

    def measure(
        self,
        measure_id: str,
        day: str,
        measure_type: str = "medical_aid",
        risk: str = "illness",
        amount: str | None = None,
        by: str = "mi-system",
    ) -> str:
        return self.add(
            "assistance_measure_started",
            day,
            actor=by,
            measure_id=measure_id,
            measure_type=measure_type,
            responsible_department="medical_insurance",
            addresses_risks=[risk],
            started_on=day,
            amount_yuan=amount,
        )

    def verify(
        self,
        measure_id: str,
        day: str,
        evidence: tuple[str, ...] = ("photo-1",),
        by: str = "cadre-wang",
    ) -> str:
        return self.add(
            "assistance_measure_verified",
            day,
            actor=by,
            measure_id=measure_id,
            verified_on=day,
            verifier_id=by,
            evidence_refs=list(evidence),
        )

    def assisted(self) -> None:
        """Identified, with a plan in 3 days, a measure verified, the assistance leaflet."""
        self.identified()
        self.plan("2024-03-15")
        self.measure("M1", "2024-03-15")
        self.verify("M1", "2024-04-20")
        self.leaflet("assistance_policy", "2024-03-20")

    # --- elimination ------------------------------------------------------------------------
    def propose(self, case_id: str, day: str, income: str | None = "9000") -> str:
        return self.add(
            "risk_elimination_proposed",
            day,
            elimination_id=case_id,
            proposed_on=day,
            kind="stable",
            per_capita_net_income_yuan=income,
            grounds="income above the line",
        )

    def eliminate(self, case_id: str, day: str, income: str | None = None) -> str:
        return self.add(
            "risk_eliminated",
            day,
            actor="county-1",
            role="county_official",
            elimination_id=case_id,
            kind="stable",
            decided_on=day,
            per_capita_net_income_yuan=income,
        )

    def eliminated(self, income: str | None = "9000", decided: str = "2024-10-12") -> None:
        """Elimination E1 proposed on 1 October 2024, noticed for six days, then decided."""
        self.propose("E1", "2024-10-01", income=income)
        self.notice("E1", "2024-10-03", "2024-10-09", kind="elimination")
        self.eliminate("E1", decided)

    def mark(self, day: str) -> str:
        return self.add(
            "safety_net_mark_set", day, marked_on=day, evidence_refs=["doc-1"], grounds="no labour"
        )

    def relative(self, cadre: str, relation: str, person: str = "P1") -> str:
        return self.add(
            "cadre_relative_registered",
            "2024-01-05",
            actor="county-org",
            role="county_official",
            cadre_id=cadre,
            cadre_role="village_cadre",
            relative_person_id=person,
            relation=relation,
            registered_on="2024-01-05",
        )

    # --- the engine -------------------------------------------------------------------------
    def findings(
        self, as_of: str, rule: str | None = None, params: ComplianceParams | None = None
    ) -> list[Finding]:
        return county_findings([self], as_of, rule, params)


def county_findings(
    households: list[History],
    as_of: str,
    rule: str | None = None,
    params: ComplianceParams | None = None,
) -> list[Finding]:
    evaluation = evaluate(
        [h.events for h in households], date.fromisoformat(as_of), params or ComplianceParams()
    )
    return [f for f in evaluation.findings if rule is None or f.rule_id == rule]


def kept_by_the_book(**kw: Any) -> History:
    """A lifted household with every 2024 obligation met."""
    h = History(**kw)
    h.leaflet("application_policy", "2024-01-10")
    h.monthly_visits()
    h.screening("2024-06-10")
    h.income("2024-11-05", 9000)
    return h


def surveyed_village(aware: int, unaware: int) -> list[History]:
    """A village of households kept by the book that answered the 2024 awareness survey."""
    households = []
    for i in range(aware + unaware):
        h = kept_by_the_book(hid=f"{VILLAGE}H{i:03d}")
        h.survey("2024-10-11", aware=i < aware)
        households.append(h)
    return households


def checks(h: History, rule: str, as_of: str = AS_OF) -> list[str]:
    """The named checks of a rule that the household's history raises on the day."""
    return [f.check for f in h.findings(as_of, rule)]


def recorded_households(
    envelopes: Iterable[tuple[str, dict[str, Any]]],
) -> tuple[tuple[RecordedEvent, ...], ...]:
    """Each household's events as the store would hold them, from (household id, envelope)
    pairs such as the simulator's."""
    by_household: dict[str, list[RecordedEvent]] = defaultdict(list)
    for hid, env in envelopes:
        model, _ = EVENT_TYPES[env["event_type"]]
        facts = model.model_validate(env["payload"]).model_dump(mode="json")
        by_household[hid].append(
            RecordedEvent(
                env["event_id"],
                env["event_type"],
                hid,
                env["occurred_at"],
                env["recorded_at"],
                env["actor"]["person_id"],
                env["actor"]["role"],
                facts,
            )
        )
    return tuple(tuple(events) for events in by_household.values())
