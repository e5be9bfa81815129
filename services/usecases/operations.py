"""What operators watch: the projections' positions and lag, whether the service is ready,
and the rejected messages — every one without its bytes (they hold personal data), or a
department's own with them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from projections.registry import PROJECTIONS
from services.adapters import scoped_queries
from services.adapters.eventstore import EventStore
from services.domain.roles import Permission, Principal
from services.usecases.errors import NotFound


def projections_status(store: EventStore) -> list[dict[str, Any]]:
    """Each projection: where it stands in the store, how far behind, when it last moved,
    how many events it passed over."""
    with store.connection() as conn:
        head = store.recorder.max_notification_id() or 0
        known = (
            {
                r["name"]: r
                for r in conn.execute(
                    "SELECT p.name, p.position, p.updated_at, (SELECT count(*) FROM "
                    "projection_skipped s WHERE s.name = p.name) AS skipped "
                    "FROM projection_positions p"
                ).fetchall()
            }
            if _exists(conn, "projection_positions")
            else {}
        )
    return [
        {
            "name": name,
            "position": known[name]["position"] if name in known else 0,
            "lag": head - (known[name]["position"] if name in known else 0),
            "updated_at": known[name]["updated_at"] if name in known else None,
            "skipped": known[name]["skipped"] if name in known else 0,
        }
        for name in sorted(PROJECTIONS)
    ]


def readiness(
    store: EventStore, stall_seconds: float, intake_assigned: Callable[[], bool] | None
) -> tuple[bool, dict[str, Any]]:
    """Ready: the database answers, no projection is behind and idle longer than
    `stall_seconds`, and the intake (when this process runs it) holds partitions."""
    checks: dict[str, Any] = {}
    try:
        with store.connection() as conn:
            conn.execute("SELECT 1")
            age = (
                {
                    r["name"]: r["idle"]
                    for r in conn.execute(
                        "SELECT name, extract(epoch FROM now() - updated_at) AS idle "
                        "FROM projection_positions"
                    ).fetchall()
                }
                if _exists(conn, "projection_positions")
                else {}
            )
        checks["database"] = "ok"
    except Exception as e:  # the database is away: not ready, and say why
        return False, {"database": f"unreachable: {type(e).__name__}"}
    stalled = [
        p["name"]
        for p in projections_status(store)
        if p["lag"] > 0 and float(age.get(p["name"], stall_seconds + 1)) > stall_seconds
    ]
    checks["projections"] = "ok" if not stalled else {"stalled": stalled}
    if intake_assigned is not None:
        checks["intake"] = "ok" if intake_assigned() else "no partitions assigned"
    ok = all(v == "ok" for v in checks.values())
    return ok, checks


def _exists(conn: Any, table: str) -> bool:
    return bool(conn.execute("SELECT to_regclass(%s) IS NOT NULL AS e", (table,)).fetchone()["e"])


def rejected(
    store: EventStore, who: Principal, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """Rejections after the cursor: all of them without their bytes, or the reader's
    department's own with them."""
    if who.may(Permission.REJECTED_READ):
        return scoped_queries.rejected_page(store, None, cursor, limit)
    rows, following = scoped_queries.rejected_page(store, who.department, cursor, limit)
    return [_with_bytes(r) for r in rows], following


def rejected_one(store: EventStore, who: Principal, rejection_id: int) -> dict[str, Any]:
    row = scoped_queries.rejected_one(store, rejection_id)
    if row is None:
        raise NotFound("REJECTION_NOT_FOUND", str(rejection_id))
    if who.may(Permission.REJECTED_READ):
        return {k: v for k, v in row.items() if k not in ("message_value", "key")} | {
            "value_bytes": len(row["message_value"] or b"")
        }
    if scoped_queries.rejection_source(row) != who.department:
        raise NotFound("REJECTION_NOT_FOUND", str(rejection_id))
    return _with_bytes(row)


def _with_bytes(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its bytes (base64), or `value_omitted` when the page left them out."""
    value = row.get("message_value")
    out = {k: v for k, v in row.items() if k not in ("message_value", "message_key")}
    if value is None and row.get("value_bytes"):
        return out | {"value_omitted": True}
    return out | {"value_base64": base64.b64encode(bytes(value or b"")).decode()}


def rejection_counts(store: EventStore, who: Principal) -> list[dict[str, Any]]:
    """The rejections by source and reason code: all of them, or a department's own."""
    if who.may(Permission.REJECTED_READ):
        return scoped_queries.rejection_counts(store, None)
    return scoped_queries.rejection_counts(store, who.department) if who.department else []
