"""The suspected problems as people work them: a page of the ledger within the reader's
scope, a problem with its evidence events, and the ledger's steps — plan, act, close out
(销号), reopen — each attributed to the account that takes it, with the account's role
(never a role the request claims) and the system's day."""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO
from uuid import UUID

from services.adapters import queries, scoped_queries
from services.adapters.compliance_store import save
from services.adapters.eventstore import EventStore
from services.adapters.evidence_store import EvidenceStore
from services.adapters.intake_store import accepted_events
from services.domain.compliance.ledger import Problem
from services.domain.evidence import EvidenceRefused, uploaded
from services.domain.roles import Principal
from services.usecases.compliance.sweep import today
from services.usecases.errors import NotFound

FILTERS = ("rule", "subject", "concern", "status")
MOST_EVIDENCE = 25


def problem_in_scope(store: EventStore, who: Principal, problem_id: UUID) -> Problem:
    p = scoped_queries.problem(store, who.scope, who.sees_favoritism, problem_id)
    if p is None:
        raise NotFound("PROBLEM_NOT_FOUND", str(problem_id))
    return p


def page(
    store: EventStore,
    who: Principal,
    as_of: date | None,
    township: str | None,
    filters: dict[str, str | None],
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the ledger within the scope (or the place within it asked for)."""
    place = who.narrow(township)
    if place is None:
        return [], None
    day = as_of or today()
    rows, following = scoped_queries.problems_page(
        store, place, who.sees_favoritism, day, filters, cursor, limit
    )
    return [_row(r, day) for r in rows], following


def _row(r: dict[str, Any], day: date) -> dict[str, Any]:
    """A problem as it stood on the page's day: a plan made later, a resolution or a
    close-out after the day are not shown (reports.problem_ledger reads it the same)."""
    planned = bool(r["planned_by_day"])
    resolved = r["facts_resolved_on"]
    return {
        "problem": str(r["problem_id"]),
        "rule": r["rule_id"],
        "check": r["check_name"],
        "concern": r["concern"],
        "subject": f"{r['subject_type']} {r['subject']}",
        "township": r["township"],
        "village": r["village"],
        "summary": r["summary"],
        "due_on": r["due_on"],
        "raised_on": r["raised_on"],
        "responsible_unit": r["responsible"],
        "plan": r["plan"] if planned else None,
        "deadline": r["deadline"] if planned else None,
        "responsible_person": r["responsible_person"] if planned else None,
        "actions": r["actions"],
        "status": r["status_on"],
        "overdue": r["overdue"],
        "resolved_by_facts_on": resolved if resolved is not None and resolved <= day else None,
        "closed_on": r["closed_on"] if r["status_on"] == "closed" else None,
        "occurrences": r["periods"],  # a recurring problem's months, years or days
    }


def show(store: EventStore, files: EvidenceStore, p: Problem, who: Principal) -> dict[str, Any]:
    """The problem, its history, its evidence events (personal data masked) and files."""
    return {
        "problem": str(p.id),
        "rule": p.rule_id,
        "check": p.check,
        "concern": p.concern,
        "subject_type": p.subject_type,
        "subject": p.subject,
        "village": p.village,
        "township": p.township,
        "summary": p.summary,
        "due_on": p.due_on,
        "raised_on": p.raised_on,
        "responsible_unit": p.responsible,
        "status": p.status,
        "plan": p.plan,
        "actions": p.actions,
        "facts_resolved_on": p.facts_resolved_on,
        "closed_on": p.closed_on,
        "occurrences": sorted(p.occurrences.values(), key=lambda o: o["label"]),
        "merged_into": p.merged_into,
        "history": [
            {"step": what, "on": on, "by": by, "text": text, "evidence": evidence}
            for what, on, by, text, evidence in p.history
        ],
        "evidence_events": evidence_events(store, p, who),
        "evidence_more": max(len(p.evidence) - MOST_EVIDENCE, 0),
        "evidence_files": files.files(p.id),
        "version": p.version,
    }


def evidence_events(store: EventStore, p: Problem, who: Principal) -> list[dict[str, Any]]:
    """The first evidence events as the store holds them, masked, in the evidence's order;
    those of a household outside the reader's scope (a county-wide finding's) named only."""
    wanted = [e for e in p.evidence[:MOST_EVIDENCE] if _is_uuid(e)]
    seen = accepted_events(store, [UUID(e) for e in wanted])
    found: dict[str, dict[str, Any]] = {}
    for hid in sorted({s.household_id for s in seen.values()}):
        if not who.covers(scoped_queries.household_village(store, hid)):
            for event_id in (e for e, s in seen.items() if s.household_id == hid):
                found[str(event_id)] = {"event_id": str(event_id), "outside_scope": True}
            continue
        for position, e in queries.household_events(store, hid):
            if e.event_id in wanted:
                found[e.event_id] = {
                    "event_id": e.event_id,
                    "position": position,
                    "household_id": hid,
                    "event_type": e.event_type,
                    "occurred_at": e.occurred_at,
                    "recorded_at": e.recorded_at,
                    "actor": e.actor_id,
                    "actor_role": e.actor_role,
                    "source_system": e.source_system,
                    "facts": scoped_queries.masked(e.facts),
                }
    return [found.get(e, {"event_id": e, "missing": True}) for e in wanted]


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


def _files_of(files: EvidenceStore, p: Problem, evidence: list[str]) -> list[str]:
    """The references, each sha256: one checked to name a file uploaded for this problem."""
    for sha in uploaded(evidence):
        if files.file(p.id, sha) is None:
            raise EvidenceRefused("EVIDENCE_NOT_UPLOADED", sha)
    return [e.strip() for e in evidence if e.strip()]


def plan(
    store: EventStore, who: Principal, p: Problem, text: str, deadline: date, responsible: str
) -> Problem:
    p.plan_rectification(text, deadline, responsible, who.name, who.role, today())
    save(store, [p])
    return p


def act(
    store: EventStore, files: EvidenceStore, who: Principal, p: Problem, action: str, ev: list[str]
) -> Problem:
    p.record_action(action, _files_of(files, p, ev), who.name, who.role, today())
    save(store, [p])
    return p


def close_out(
    store: EventStore,
    files: EvidenceStore,
    who: Principal,
    p: Problem,
    evidence: list[str],
    note: str,
    closing_roles: frozenset[str],
) -> Problem:
    """销号: the ledger's event names this account and its role; the rules (an authorised
    role, evidence, an action recorded, the facts resolved) are the Problem's."""
    p.close_out(_files_of(files, p, evidence), note, who.name, who.role, today(), closing_roles)
    save(store, [p])
    return p


def reopen(
    store: EventStore, who: Principal, p: Problem, reason: str, closing_roles: frozenset[str]
) -> Problem:
    p.reopen(reason, who.name, who.role, today(), closing_roles)
    save(store, [p])
    return p


def upload(files: EvidenceStore, who: Principal, p: Problem, source: BinaryIO) -> dict[str, Any]:
    """Keep an evidence file for the problem; its reference (sha256:…) goes in a step."""
    stored = files.put(p.id, source, who.name)
    return stored | {"ref": f"sha256:{stored['sha256']}"}


def evidence_file(files: EvidenceStore, p: Problem, sha256: str) -> tuple[Any, dict[str, Any]]:
    """The path and description of a file uploaded for the problem."""
    row = files.file(p.id, sha256)
    if row is None or not files.path(sha256).exists():
        raise EvidenceRefused("EVIDENCE_NOT_FOUND", sha256)
    return files.path(sha256), row
