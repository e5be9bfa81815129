"""Favoritism (优亲厚友): a cadre's relative — as the register of cadres and relatives says
(cadre_relative_registered) — identified, assisted or kept on, and a cadre who acted on a
relative's case. Suspicions for an inspector, with the evidence; the relations that count
are configuration (close relatives and direct in-laws by default)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from services.domain.compliance.checks.common import household_finding
from services.domain.compliance.facts import HouseholdFacts, Relation
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams

# Suspicions of favoritism go to the discipline inspectors (纪检监察), not to the township
# whose cadres they concern; the townships' ledgers leave them out unless asked.
DISCIPLINE_INSPECTION = "county discipline inspection (纪检监察)"


def _active(r: Relation, on: date) -> bool:
    return r.ended_on is None or on < r.ended_on


def check_relatives(
    h: HouseholdFacts, p: ComplianceParams, as_of: date, found: Sequence[Finding]
) -> Iterator[Finding]:
    """F1.1 identified, F1.2 assisted, F1.3 kept on or spared elimination (any R6.1
    finding), F1.4 a cadre acting on the case of a relative — each while the relation
    stood on the day."""
    for r in h.relations:
        if r.relation not in p.favoured_relations:
            continue

        def finding(
            rule: str,
            check: str,
            evidence: list[str],
            due: date,
            what: str,
            scope: str,
            ongoing: bool = False,
            r: Relation = r,
        ) -> Finding:
            return household_finding(
                h,
                rule,
                check,
                [r.event_id, *evidence],
                due,
                f"{what}: {r.relation} {r.person_id} of {r.cadre_id} ({h.household_id})",
                scope=f"{h.household_id}:{scope}",
                ongoing=ongoing,
                responsible=DISCIPLINE_INSPECTION,
                concern="favoritism",
                subject=("cadre", r.cadre_id),
            )

        for c in h.cases.values():
            decided = c.decided_on
            if c.outcome == "identified" and decided and _active(r, decided):
                yield finding(
                    "F1.1",
                    "relative_identified",
                    [c.decision_event or ""],
                    decided,
                    f"identified by {c.case_id}",
                    c.case_id,
                )
            # F1.4 as F1.1–F1.3: only acts while the relation stood (after it ended, the acts
            # are no longer a relative's: docs/events.md)
            acts = sorted(
                {eid for person, eid, on in c.acted if person == r.cadre_id and _active(r, on)}
            )
            if acts:
                yield finding(
                    "F1.4",
                    "cadre_acted_on_relative_case",
                    acts,
                    decided or as_of,
                    f"{r.cadre_id} acted on case {c.case_id}",
                    c.case_id,
                )
        for m in h.measures.values():
            if _active(r, m.started_on):
                yield finding(
                    "F1.2",
                    "relative_assisted",
                    [m.event_id],
                    m.started_on,
                    f"{m.measure_type} {m.measure_id}",
                    m.measure_id,
                )
        for f in found:
            if f.rule_id == "R6.1" and _active(r, f.due_on):
                yield finding(
                    "F1.3",
                    "relative_kept_on",
                    list(f.evidence),
                    f.due_on,
                    f"kept on or spared elimination: {f.summary}",
                    f.scope,
                    ongoing=True,
                )
