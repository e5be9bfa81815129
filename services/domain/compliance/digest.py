"""Reading a household's events into its facts as of a day: only what had been recorded by
that day counts, corrections included (a retracted event is gone, an amended one reads as
amended). One handler per event type the checks read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from services.domain.clock import claimed_on, known_on
from services.domain.compliance.facts import (
    Case,
    HouseholdFacts,
    Income,
    Measure,
    Notice,
    RecordedEvent,
    Relation,
    Visit,
    day,
)
from services.domain.corrections import CORRECTIONS, corrections, recorded_by


def digest(events: Sequence[RecordedEvent], as_of: date) -> HouseholdFacts | None:
    """The household's facts as known on `as_of` (None if not registered by then)."""
    known = recorded_by(events, as_of)
    retracted, amended = corrections(known)
    chosen = [e for e in known if e.event_id not in retracted and e.event_type not in CORRECTIONS]
    if not chosen or chosen[0].event_type != "household_registered":
        return None
    first = chosen[0]
    h = HouseholdFacts(
        household_id=first.household_id,
        village=first.facts["village_code"],
        household_type=first.facts["household_type"],
        registered_on=day(first.occurred_at),
        registered_event=str(first.event_id),
    )
    for e in chosen:
        handler = _HANDLERS.get(e.event_type)
        if handler is not None:
            handler(h, e, amended.get(e.event_id, e.facts), str(e.event_id))
    return h


def _registered(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.members = {m["person_id"]: m for m in f["members"]}
    h.member_events = dict.fromkeys(h.members, eid)
    h.member_since = dict.fromkeys(h.members, day(e.occurred_at))


def _member(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    m, pid = f["member"], f["member"]["person_id"]
    if f.get("left_household"):
        h.members.pop(pid, None)
    else:
        h.members[pid] = m
        h.member_events[pid], h.member_since[pid] = eid, day(e.occurred_at)


def _income(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    components = {k: Decimal(str(v)) for k, v in f["components"].items()}
    h.incomes.append(
        Income(
            assessed_on=date.fromisoformat(f["assessed_on"]),
            year=f["year"],
            total=sum(components.values(), Decimal(0)) - Decimal(str(f["production_costs"])),
            components=components,
            members_counted=f["members_counted"],
            per_capita=Decimal(str(f["per_capita_net_income_yuan"])),
            member_count=len(h.members),
            event_id=eid,
        )
    )


def _visit(kind: str, date_key: str, by_key: str) -> Any:
    def handler(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
        findings = f["findings"]
        h.visits.append(
            Visit(
                kind,
                date.fromisoformat(f[date_key]),
                f[by_key],
                known_on(e),
                tuple(findings.get("risks_found", ())),
                findings.get("notes", ""),
                eid,
                findings.get("income_estimate_yuan") is not None,
                claimed_on(e),
                _yuan(findings.get("income_estimate_yuan")),
            )
        )

    return handler


def _yuan(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _leaflet(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.leaflets.setdefault(f["leaflet"], (date.fromisoformat(f["delivered_on"]), eid))


def _survey(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.surveys.append((date.fromisoformat(f["answered_on"]), f["survey_id"], f["aware"], eid))


def _alert(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.alerts.append(f | {"event_id": eid})


def _department_fact(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.department_facts.append(f | {"event_id": eid})


def _lead(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.cases[f["lead_id"]] = Case(
        case_id=f["lead_id"],
        kind="identification",
        opened_on=date.fromisoformat(f["reported_on"]),
        event_id=eid,
        channel=f["channel"],
        alert_id=f.get("alert_id"),
    )


def _proposal(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    income = f.get("per_capita_net_income_yuan")
    h.cases[f["elimination_id"]] = Case(
        case_id=f["elimination_id"],
        kind="elimination",
        opened_on=date.fromisoformat(f["proposed_on"]),
        event_id=eid,
        income=Decimal(str(income)) if income is not None else None,
    )


def _case_step(person_keys: tuple[str, ...]) -> Any:
    """A step of a case: who acted on it, from the envelope and the payload."""

    def handler(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
        case = h.cases.get(f.get("case_id") or f.get("lead_id") or "")
        if case is None:
            return
        people = {e.actor_id}
        for k in person_keys:
            v = f.get(k)
            people.update(v if isinstance(v, list) else [v] if v else [])
        case.acted.extend((p, eid, day(e.occurred_at)) for p in sorted(people))
        _irregularities(case, f, eid)

    return handler


def _irregularities(case: Case, f: dict[str, Any], eid: str) -> None:
    """What the aggregate recorded as irregular about an accepted step (household.py)."""
    case.irregular.extend(
        (i["code"], i.get("detail", ""), eid) for i in f.get("irregularities", ())
    )


def _notice_posted(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    case = h.cases.get(f["case_id"])
    if case is not None:
        case.notices.append(Notice(f["notice_id"], date.fromisoformat(f["posted_on"]), [eid]))
        case.acted.append((e.actor_id, eid, day(e.occurred_at)))


def _notice_closed(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    for case in h.cases.values():
        for notice in case.notices:
            if notice.notice_id == f["notice_id"]:
                notice.closed_on = date.fromisoformat(f["closed_on"])
                notice.events.append(eid)


def _decided(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    on = date.fromisoformat(f["decided_on"])
    if f["outcome"] == "identified" and not h.monitored_on(on):
        h.monitored.append([on, None, eid])  # an imported decision has no case here
    case = h.cases.get(f["lead_id"])
    if case is None:
        return
    case.decided_on, case.outcome, case.decision_event = on, f["outcome"], eid
    if f.get("per_capita_net_income_yuan") is not None:
        case.income = Decimal(str(f["per_capita_net_income_yuan"]))
    case.acted.append((e.actor_id, eid, day(e.occurred_at)))
    _irregularities(case, f, eid)


def _eliminated(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    on = date.fromisoformat(f["decided_on"])
    case = h.cases.get(f["elimination_id"])
    if case is not None:
        case.decided_on, case.outcome, case.decision_event = on, "eliminated", eid
        if f.get("per_capita_net_income_yuan") is not None:
            case.income = Decimal(str(f["per_capita_net_income_yuan"]))
        case.acted.append((e.actor_id, eid, day(e.occurred_at)))
        _irregularities(case, f, eid)
    for period in h.monitored:
        if period[1] is None:
            period[1] = on


def _reverted(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.monitored.append([date.fromisoformat(f["reverted_on"]), None, eid])


def _plan(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.plans.append((date.fromisoformat(f["adopted_on"]), f["measures"], eid))


def _measure(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    amount = f.get("amount_yuan")
    h.measures[f["measure_id"]] = Measure(
        measure_id=f["measure_id"],
        measure_type=f["measure_type"],
        risks=tuple(f["addresses_risks"]),
        started_on=date.fromisoformat(f["started_on"]),
        amount=Decimal(str(amount)) if amount is not None else None,
        started_by=e.actor_id,
        event_id=eid,
    )


def _verified(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    m = h.measures.get(f["measure_id"])
    if m is not None:
        on = date.fromisoformat(f["verified_on"])
        m.verifications.append((on, tuple(f["evidence_refs"]), f["verifier_id"], eid))
        for case in h.cases.values():  # who verified a measure acted on the household's case
            if case.kind == "identification" and case.outcome == "identified":
                case.acted.append((f["verifier_id"], eid, on))


def _mark(is_set: bool, key: str) -> Any:
    def handler(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
        h.marks.append((date.fromisoformat(f[key]), is_set, eid))

    return handler


def _relation(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    h.relations.append(
        Relation(
            cadre_id=f["cadre_id"],
            relation=f["relation"],
            person_id=f["relative_person_id"],
            since=date.fromisoformat(f["registered_on"]),
            event_id=eid,
        )
    )


def _relation_ended(h: HouseholdFacts, e: RecordedEvent, f: dict[str, Any], eid: str) -> None:
    for r in h.relations:
        if r.cadre_id == f["cadre_id"] and r.person_id == f["relative_person_id"]:
            r.ended_on = date.fromisoformat(f["ended_on"])


_HANDLERS = {
    "household_registered": _registered,
    "member_added": _member,
    "member_changed": _member,
    "income_assessed": _income,
    "visit_recorded": _visit("visit", "visit_date", "visitor_id"),
    "screening_recorded": _visit("screening", "screening_date", "screener_id"),
    "policy_leaflet_delivered": _leaflet,
    "awareness_survey_answered": _survey,
    "department_risk_alert_pushed": _alert,
    "department_fact_reported": _department_fact,
    "risk_lead_registered": _lead,
    "household_consent_signed": _case_step(()),
    "village_review_held": _case_step(("participants",)),
    "public_notice_posted": _notice_posted,
    "public_notice_closed": _notice_closed,
    "township_review_done": _case_step(("reviewer_id",)),
    "identification_decided": _decided,
    "assistance_plan_adopted": _plan,
    "assistance_measure_started": _measure,
    "assistance_measure_verified": _verified,
    "risk_elimination_proposed": _proposal,
    "risk_eliminated": _eliminated,
    "risk_elimination_reverted": _reverted,
    "safety_net_mark_set": _mark(True, "marked_on"),
    "safety_net_mark_removed": _mark(False, "removed_on"),
    "cadre_relative_registered": _relation,
    "cadre_relative_ended": _relation_ended,
}

# The event types no check reads (corrections are applied before the handlers run).
NOT_READ = frozenset(
    {
        "assistance_measure_ended",
        "data_comparison_requested",
        "data_comparison_returned",
        "event_amended",
        "event_retracted",
        "national_system_entry_recorded",
        "objection_raised",
        "objection_resolved",
    }
)
