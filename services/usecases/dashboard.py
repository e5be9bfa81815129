"""The 工作台 of an account: the report of its scope (services.usecases.ledgers.report_sheets,
the same numbers as GET /api/report) summed by rule and by township, this month's visit
coverage by village, the campaign's three phases, the latest sweep and when the next runs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from services.adapters.compliance_store import load_national_runs
from services.adapters.eventstore import EventStore
from services.domain.compliance.params import ComplianceParams
from services.domain.roles import Permission, Principal
from services.usecases import ledgers, problems
from services.usecases.compliance.sweep import CHINA, today

COUNTS = ("found", "rectified", "closed", "open", "overdue")


def _sum(rows: list[dict[str, Any]], key: Any) -> list[dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = key(r)
        into = totals.setdefault(k, {"key": k} | dict.fromkeys(COUNTS, 0))
        for c in COUNTS:
            into[c] += r[c]
    return [totals[k] for k in sorted(totals)]


def next_sweep(daily: bool, at: time, now: datetime | None = None) -> datetime | None:
    """When `dixian run` sweeps next (county time), or None when it does not sweep daily."""
    if not daily:
        return None
    now = now or datetime.now(CHINA)
    run = datetime.combine(now.date(), at, CHINA)
    return run if run > now else run + timedelta(days=1)


def latest_comparison(store: EventStore, scope: str) -> dict[str, Any] | None:
    """The latest comparison of a national export that landed in the ledger and covers
    this scope (a county's, or one limited to a region within it): when, by whom, and its
    households and differences by township and field, the scope's townships only."""
    runs = [
        r
        for r in load_national_runs(store)
        if r.kind == "compare" and (scope.startswith(r.scope) or r.scope.startswith(scope))
    ]
    if not runs:
        return None
    run = runs[-1]
    townships = []
    fields: set[str] = set()
    for code, counts in sorted(run.by_township.items()):
        if not code.startswith(scope[:9]):
            continue
        found = {k: n for k, n in counts.items() if not k.startswith("(")}
        fields.update(found)
        townships.append(
            {"key": code, "households": counts.get("(households)", 0),
             "agreeing": counts.get("(agreeing)", 0), "by_field": found,
             "differences": sum(found.values())}
        )  # fmt: skip
    by_field = {f: sum(t["by_field"].get(f, 0) for t in townships) for f in sorted(fields)}
    return {
        "as_of": run.on, "ran_at": run.created_on, "by": run.by, "file": run.file,
        "households": sum(t["households"] for t in townships),
        "agreeing": sum(t["agreeing"] for t in townships),
        "differences": sum(by_field.values()), "townships": townships, "by_field": by_field,
    }  # fmt: skip


def dashboard(
    store: EventStore,
    who: Principal,
    params: ComplianceParams,
    as_of: date | None,
    daily: bool,
    daily_at: time,
) -> dict[str, Any]:
    day = as_of or today()
    out: dict[str, Any] = {"as_of": day.isoformat(), "report": who.may(Permission.REPORTS_READ)}
    if out["report"]:
        sheets = ledgers.report_sheets(store, who, params, day, "village", None)
        rows = sheets["by_rule"]
        out |= {
            "by_rule": _sum(rows, lambda r: r["rule"]),
            "by_township": _sum(rows, lambda r: r["village"][:9]),
            "coverage": sheets["coverage"],
            "phases": sheets["phases"],
            "national": latest_comparison(store, who.scope),
        }
    else:  # a village cadre: the problems of the village that wait on it
        mine, _ = problems.page(store, who, day, None, {"status": "open"}, None, 200)
        late, _ = problems.page(store, who, day, None, {"status": "overdue"}, None, 200)
        out |= {"open": len(mine), "overdue": len(late)}
    if who.may(Permission.SWEEPS_READ):
        done = ledgers.sweeps(store)
        out["sweep"] = done[-1] if done else None
        out["next_sweep"] = next_sweep(daily, daily_at)
    return out
