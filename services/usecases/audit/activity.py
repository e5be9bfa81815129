"""What a person, or a source system, did: in the log's order, their household events and
(for a person) the compliance ledger's steps — plans, actions, close-outs, sweeps."""

from __future__ import annotations

from typing import Any

from services.adapters.eventstore import EventStore


def activity(store: EventStore, who: str, name: str) -> list[dict[str, Any]]:
    """What a person (or a source system) did, in the log's order: household events, and
    for a person also the compliance ledger's steps (plans, actions, close-outs, sweeps)."""
    column = "actor_id" if who == "actor" else "source_system"
    with store.connection() as conn:
        rows: list[dict[str, Any]] = []
        if _exists(conn, "audit_trail"):
            rows += conn.execute(
                f"SELECT position, household_id, event_id, event_type, occurred_at, recorded_at, "
                f"source_system, actor_id, actor_role, attestation FROM audit_trail "
                f"WHERE {column} = %s ORDER BY position",
                (name,),
            ).fetchall()
        if who == "actor" and _exists(conn, "ledger_trail"):
            rows += conn.execute(
                "SELECT position, aggregate_id AS problem_id, step AS event_type, rule_id, "
                "subject, on_day, stored_at, actor_id, actor_role FROM ledger_trail "
                "WHERE actor_id = %s ORDER BY position",
                (name,),
            ).fetchall()
    return sorted(rows, key=lambda r: r["position"])


def _exists(conn: Any, table: str) -> bool:
    return bool(conn.execute("SELECT to_regclass(%s) IS NOT NULL AS e", (table,)).fetchone()["e"])
