"""`dixian audit verify`: recompute the Merkle log from the event store and check it against
the stored leaves, every signed checkpoint, and the intake's own record of what it accepted.

It finds an event changed, removed, reordered or inserted behind the system's back, and names
the first bad position. The checkpoints are the anchor: even if someone rewrote the leaves
too, a signed root that no longer matches gives them away.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from services.adapters.audit_log import canonical_event, checkpoints
from services.adapters.eventstore import EventStore
from services.domain.audit.merkle import EMPTY_ROOT, leaf_hash, node_hash
from services.domain.audit.offline import check_signature
from services.domain.events import TOPIC_PREFIX


@dataclass
class Finding:
    leaf_index: int | None
    notification_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"leaf {self.leaf_index}" if self.leaf_index is not None else "the log"
        at = f" (store position {self.notification_id})" if self.notification_id else ""
        return f"{where}{at}: {self.problem}"


@dataclass
class Report:
    events: int = 0
    logged: int = 0
    checkpoints_ok: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first_bad(self) -> Finding | None:
        located = [f for f in self.findings if f.leaf_index is not None]
        return min(located, key=lambda f: f.leaf_index or 0) if located else None


class Frontier:
    """The roots of the complete subtrees so far: the tree's root at any size, streaming."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, bytes]] = []  # (size, hash), sizes decreasing
        self.size = 0

    def push(self, h: bytes) -> None:
        size = 1
        while self.stack and self.stack[-1][0] == size:
            left = self.stack.pop()[1]
            h, size = node_hash(left, h), size * 2
        self.stack.append((size, h))
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        r = self.stack[-1][1]
        for _, h in reversed(self.stack[:-1]):
            r = node_hash(h, r)
        return r


def verify(
    store: EventStore, public_key: str | None = None, batch: int = 5000, progress: Any = None
) -> Report:
    """`progress`, if given, hears (position reached, the store's head) after each batch."""
    report = Report()
    head = (store.recorder.max_notification_id() or 0) if progress is not None else 0
    with store.connection() as conn, conn.cursor() as cur:
        cps = checkpoints(cur)  # type: ignore[arg-type]
        for cp in cps:
            try:
                check_signature(cp, base64.b64decode(public_key or cp["public_key"]))
            except ValueError as e:
                report.findings.append(Finding(None, None, str(e)))
        due = {cp["tree_size"]: cp for cp in cps}
        frontier = Frontier()
        _check_checkpoint(report, due, frontier)
        start = 0
        while True:
            notifications = store.recorder.select_notifications(
                start=start, limit=batch, inclusive_of_start=False
            )
            if not notifications:
                break
            first = frontier.size
            cur.execute(
                "SELECT leaf_index, notification_id, leaf_hash FROM audit_leaves "
                "WHERE leaf_index >= %s AND leaf_index < %s",
                (first, first + len(notifications)),
            )
            stored = {r["leaf_index"]: r for r in cur.fetchall()}  # type: ignore[call-overload]
            _check_accepted(cur, notifications, first, report)
            for offset, n in enumerate(notifications):
                index = first + offset
                h = leaf_hash(canonical_event(n))
                row = stored.get(index)
                if row is not None:
                    report.logged += 1
                    if row["notification_id"] != n.id:
                        report.findings.append(
                            Finding(
                                index,
                                n.id,
                                (
                                    f"the log has store position {row['notification_id']} here: an "
                                    "event was removed, inserted or reordered"
                                ),
                            )
                        )
                    elif bytes(row["leaf_hash"]) != h:
                        report.findings.append(Finding(index, n.id, "the event was changed"))
                frontier.push(h)
                _check_checkpoint(report, due, frontier)
            report.events += len(notifications)
            start = notifications[-1].id
            if progress is not None:
                progress.update(start, max(head, start))
        cur.execute("SELECT count(*) FROM audit_leaves")
        logged_total = int(cur.fetchone()["count"])  # type: ignore[index,call-overload]
        if logged_total > report.events:
            report.findings.append(
                Finding(
                    report.events,
                    None,
                    (
                        f"the log holds {logged_total} events and the store {report.events}: "
                        "events were removed"
                    ),
                )
            )
        for size in sorted(due):
            if size > frontier.size:
                report.findings.append(
                    Finding(
                        frontier.size,
                        None,
                        (
                            f"checkpoint of {size} events signed at {due[size]['signed_at']}, "
                            f"the store holds {frontier.size}: events were removed"
                        ),
                    )
                )
    return report


def _check_checkpoint(report: Report, due: dict[int, dict[str, Any]], f: Frontier) -> None:
    cp = due.get(f.size)
    if cp is None:
        return
    if f.root().hex() == cp["root_hash"]:
        report.checkpoints_ok += 1
    else:
        report.findings.append(
            Finding(
                None,
                None,
                (
                    f"checkpoint of {cp['tree_size']} events signed at {cp['signed_at']} does not "
                    "match the store: its history was rewritten"
                ),
            )
        )


def _check_accepted(cur: Any, notifications: Any, first: int, report: Report) -> None:
    """Every stored household event entered through the intake, which noted it in the same
    transaction; one that did not was written behind the system's back. (The compliance
    ledger's events are written by the sweep and the ledger's commands, not the intake.)"""
    ids = {
        json.loads(bytes(n.state))["event_id"]: (first + i, n.id)
        for i, n in enumerate(notifications)
        if n.topic.startswith(TOPIC_PREFIX)
    }
    cur.execute(
        "SELECT event_id::text FROM intake_accepted WHERE event_id = ANY(%s::uuid[])",
        (list(ids),),
    )
    known = {r["event_id"] for r in cur.fetchall()}
    for event_id, (index, position) in ids.items():
        if event_id not in known:
            report.findings.append(
                Finding(index, position, f"event {event_id} never went through the intake")
            )
