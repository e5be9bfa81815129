"""`dixian audit verify`: recompute the Merkle log from the event store and check it against
the stored leaves, every signed checkpoint — those in the database and those kept elsewhere
(an export, a witness's state) — and the intake's own record of what it accepted.

It cannot be fooled from inside the database: the verifying key comes from configuration,
never from a checkpoint's row; two signed checkpoints of one size with different roots are a
fork; a checkpoint that does not match the tree recomputed from the store is a rewrite; a
store the log does not cover is an unlogged tail. Each finding has a stable code and the
first bad position is named.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from services.adapters.audit_log import canonical_event, checkpoints, key_rotations, trusted_keys
from services.adapters.eventstore import EventStore
from services.domain.audit.merkle import EMPTY_ROOT, leaf_hash, node_hash
from services.domain.audit.offline import verified_checkpoint
from services.domain.events import TOPIC_PREFIX

# What each verification finding (and each witness alarm) means; in Chinese: services.i18n.
FINDINGS: dict[str, str] = {
    "CHANGED": "An event's stored bytes differ from what the log recorded at its leaf.",
    "REORDERED": "The log has another event at this position: one was removed or moved.",
    "REMOVED": "The log (or a checkpoint) holds more events than the store.",
    "LEAF_MISSING": "The log lacks a leaf below later ones: a leaf was deleted.",
    "NOT_THROUGH_INTAKE": "A household event that never went through the intake.",
    "UNLOGGED_TAIL": "Events of the store not in the log yet: bring the log up.",
    "CHECKPOINT_MISMATCH": "A signed checkpoint does not match the tree recomputed.",
    "FORK": "Two trusted checkpoints of one size have different roots.",
    "KEY_NOT_TRUSTED": "A checkpoint not signed by the configured key nor one it rotated to.",
    "LOG_SHRANK": "A checkpoint signed after a larger one is smaller.",
    "NOT_EXTENDED": "A checkpoint does not extend the one the witness holds.",
    "UNPROVEN": "A larger checkpoint without a proof from the one the witness holds.",
}


@dataclass
class Finding:
    code: str  # CHANGED, REORDERED, REMOVED, LEAF_MISSING, NOT_THROUGH_INTAKE, UNLOGGED_TAIL, …
    leaf_index: int | None
    notification_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"leaf {self.leaf_index}" if self.leaf_index is not None else "the log"
        at = f" (store position {self.notification_id})" if self.notification_id else ""
        return f"{self.code}: {where}{at}: {self.problem}"


@dataclass
class Report:
    events: int = 0
    logged: int = 0
    checkpoints_ok: int = 0
    checkpoints: int = 0
    signed_size: int = 0  # the largest tree a trusted checkpoint signs
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def unsigned(self) -> int:
        """Events stored after the last checkpoint: logged, not signed yet."""
        return max(self.events - self.signed_size, 0)

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


def _trusted(cp: dict[str, Any], keys: set[str]) -> bool:
    for key in keys:
        try:
            verified_checkpoint(cp, base64.b64decode(key))
            return True
        except ValueError:
            continue
    return False


def _check_signatures(
    report: Report, cps: list[tuple[str, dict[str, Any]]], keys: set[str]
) -> list[tuple[str, dict[str, Any]]]:
    """The checkpoints signed by a trusted key; the others are findings."""
    good = []
    for where, cp in cps:
        if _trusted(cp, keys):
            good.append((where, cp))
        else:
            report.findings.append(
                Finding(
                    "KEY_NOT_TRUSTED",
                    None,
                    None,
                    f"checkpoint of {cp['tree_size']} events signed at {cp['signed_at']} "
                    f"({where}) is not signed by the configured key nor one it rotated to",
                )
            )
    by_size: dict[int, set[str]] = defaultdict(set)
    for _, cp in good:
        by_size[int(cp["tree_size"])].add(cp["root_hash"])
    for size, roots in sorted(by_size.items()):
        if len(roots) > 1:
            report.findings.append(
                Finding(
                    "FORK",
                    size - 1,
                    None,
                    f"{len(roots)} signed checkpoints of {size} events have different roots: "
                    "history was rewritten and signed again",
                )
            )
    sizes = [int(cp["tree_size"]) for where, cp in good if where == "database"]
    for earlier, later in itertools.pairwise(sizes):
        if later < earlier:
            report.findings.append(
                Finding(
                    "LOG_SHRANK",
                    later,
                    None,
                    f"a checkpoint of {later} events was signed after one of {earlier}",
                )
            )
    return good


def verify(
    store: EventStore,
    public_key: str,
    against: list[dict[str, Any]] | None = None,
    origin: str = "dixian/local",
    batch: int = 5000,
    progress: Any = None,
) -> Report:
    """Verify the store against its log and every checkpoint (the database's, and
    `against`: checkpoints kept elsewhere), trusting only `public_key` and the keys valid
    rotations link to it. `progress`, if given, hears (position reached, the store's head)
    after each batch."""
    report = Report()
    head = (store.recorder.max_notification_id() or 0) if progress is not None else 0
    with store.connection() as conn, conn.cursor() as cur:
        keys = trusted_keys(public_key, key_rotations(cur), origin)  # type: ignore[arg-type]
        held = [("database", cp) for cp in checkpoints(cur)]  # type: ignore[arg-type]
        held += [("kept elsewhere", cp) for cp in against or []]
        report.checkpoints = len(held)
        good = _check_signatures(report, held, keys)
        report.signed_size = max((int(cp["tree_size"]) for _, cp in good), default=0)
        due: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for where, cp in good:
            due[int(cp["tree_size"])].append((where, cp))
        frontier = Frontier()
        _check_checkpoint(report, due, frontier)
        cur.execute("SELECT coalesce(max(leaf_index), -1) AS last FROM audit_leaves")
        last_leaf = int(cur.fetchone()["last"])  # type: ignore[index]
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
                if row is None and index < last_leaf:  # the log grows by appending only
                    report.findings.append(
                        Finding(
                            "LEAF_MISSING",
                            index,
                            n.id,
                            "the log has no leaf here though it has later ones: one was deleted",
                        )
                    )
                if row is not None:
                    report.logged += 1
                    if row["notification_id"] != n.id:
                        report.findings.append(
                            Finding(
                                "REORDERED",
                                index,
                                n.id,
                                f"the log has store position {row['notification_id']} here: "
                                "an event was removed, inserted or reordered",
                            )
                        )
                    elif bytes(row["leaf_hash"]) != h:
                        report.findings.append(
                            Finding("CHANGED", index, n.id, "the event was changed")
                        )
                frontier.push(h)
                _check_checkpoint(report, due, frontier)
            report.events += len(notifications)
            start = notifications[-1].id
            if progress is not None:
                progress.update(start, max(head, start))
        _check_coverage(cur, report, due, frontier)
    return report


def _check_coverage(
    cur: Any, report: Report, due: dict[int, list[Any]], frontier: Frontier
) -> None:
    """The log covers the store, and no checkpoint signs more than the store holds."""
    cur.execute("SELECT count(*) FROM audit_leaves")
    logged_total = int(cur.fetchone()["count"])
    if logged_total > report.events:
        report.findings.append(
            Finding(
                "REMOVED",
                report.events,
                None,
                f"the log holds {logged_total} events and the store {report.events}: "
                "events were removed",
            )
        )
    elif report.logged < report.events:
        report.findings.append(
            Finding(
                "UNLOGGED_TAIL",
                report.logged,
                None,
                f"{report.events - report.logged} events of the store are not in the log: "
                "bring the log up (dixian audit checkpoint) — or they were added behind it",
            )
        )
    for size in sorted(due):
        if size > frontier.size:
            for where, cp in due[size]:
                report.findings.append(
                    Finding(
                        "REMOVED",
                        frontier.size,
                        None,
                        f"checkpoint of {size} events signed at {cp['signed_at']} ({where}), "
                        f"the store holds {frontier.size}: events were removed",
                    )
                )


def _check_checkpoint(
    report: Report, due: dict[int, list[tuple[str, dict[str, Any]]]], f: Frontier
) -> None:
    for where, cp in due.get(f.size, []):
        if f.root().hex() == cp["root_hash"]:
            report.checkpoints_ok += 1
        else:
            report.findings.append(
                Finding(
                    "CHECKPOINT_MISMATCH",
                    f.size - 1,
                    None,
                    f"checkpoint of {cp['tree_size']} events signed at {cp['signed_at']} "
                    f"({where}) does not match the store: its history was rewritten",
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
                Finding(
                    "NOT_THROUGH_INTAKE",
                    index,
                    position,
                    f"event {event_id} never went through the intake",
                )
            )
