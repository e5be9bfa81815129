"""Test helpers: a problem of the ledger and a walk through every step of its
rectification, each on its own day (the ledger as of a day, unit and integration)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.domain.compliance.findings import Finding
from services.domain.compliance.ledger import Problem


def d(day: str) -> date:
    return date.fromisoformat(day)


def problem(
    raised: str = "2026-03-01",
    due: str = "2025-04-30",
    ongoing: bool = True,
    subject: str = "610326101201H001",
) -> Problem:
    f = Finding(
        rule_id="R1.1",
        check="application_leaflet_missing",
        subject_type="household",
        subject=subject,
        village="610326101201",
        evidence=("e1",),
        due_on=date.fromisoformat(due),
        responsible="village committee 610326101201",
        summary="no application-policy leaflet delivered",
        ongoing=ongoing,
    )
    return Problem.raise_from(f, date.fromisoformat(raised), uuid4())


def problem_finding() -> Finding:
    return Finding(
        rule_id="R1.1",
        check="application_leaflet_missing",
        subject_type="household",
        subject="610326101201H001",
        village="610326101201",
        evidence=("e1",),
        due_on=d("2025-04-30"),
        responsible="village committee 610326101201",
        summary="no application-policy leaflet delivered",
        ongoing=True,
    )


def walked() -> Problem:
    """Planned on 3 March, acted on 5 March, resolved 10 March, closed 12, reopened 20."""
    p = problem(subject="610326101201H002")
    p.plan_rectification(
        "deliver it", d("2026-03-15"), "li", "li", "village_cadre", d("2026-03-03")
    )
    p.record_action("delivered", ["photo"], "li", "village_cadre", d("2026-03-05"))
    p.resolved_by_facts(d("2026-03-10"), uuid4())
    p.close_out(["check"], "", "wu", "township_official", d("2026-03-12"))
    p.reopen("wrong house", "wu", "township_official", d("2026-03-20"))
    return p
