"""Proofs for inspectors: an event's inclusion in a signed checkpoint, and the consistency of
two checkpoints. The files they make are checked offline by services/domain/audit/offline.py."""

from __future__ import annotations

import base64
import json
from typing import Any

from events.reasons import ReasonCoded
from services.adapters.audit_log import StoredTree, checkpoints
from services.adapters.eventstore import EventStore
from services.domain.audit.merkle import consistency_path, inclusion_path
from services.domain.audit.offline import SIGNATURE_LINE
from services.usecases.audit.cosignatures import kept
from services.usecases.audit.reads import record_read

AUDIT_REASONS: dict[str, str] = {
    "NO_CHECKPOINT": "Sign a checkpoint that covers the event first (dixian audit checkpoint).",
    "EVENT_NOT_LOGGED": "Name an event the store holds and the audit log has reached.",
    "BAD_SIZES": "Give OLD:NEW with 0 < OLD <= NEW, both sizes of signed checkpoints.",
}


class ProofError(ReasonCoded):
    """A proof that cannot be made; `code` is stable."""

    reasons = AUDIT_REASONS


def _checkpoint_at_least(
    cps: list[dict[str, Any]], size: int, cosigned: dict[int, list[str]] | None = None
) -> dict[str, Any]:
    """The latest checkpoint covering `size` that witnesses co-signed (their signature lines
    added to its note, for `verify-proof --witness`), else the latest covering it."""
    covering = [cp for cp in cps if cp["tree_size"] >= size]
    if not covering:
        raise ProofError("NO_CHECKPOINT", "no checkpoint covers it yet: make one first")
    cosigned = cosigned or {}
    witnessed = [cp for cp in covering if cp.get("note") and cosigned.get(cp["tree_size"])]
    return _with_cosignatures((witnessed or covering)[-1], cosigned)


def _with_cosignatures(cp: dict[str, Any], cosigned: dict[int, list[str]]) -> dict[str, Any]:
    """The checkpoint with the witnesses' signature lines added to its note."""
    notes = cosigned.get(cp["tree_size"], [])
    if not cp.get("note") or not notes:
        return cp
    lines = [n[len(cp["note"]) :] for n in notes if n.startswith(cp["note"])]
    return cp | {"note": cp["note"] + "".join(x for x in lines if x.startswith(SIGNATURE_LINE))}


def _cosigned_notes(cur: Any) -> dict[int, list[str]]:
    """tree size → the co-signed notes kept (services.usecases.audit.cosignatures)."""
    out: dict[int, list[str]] = {}
    for r in kept(cur):
        out.setdefault(r["tree_size"], []).append(r["note"])
    return out


PERSONAL_FIELDS = frozenset({"name", "id_number", "phone", "bank_account", "health"})


def holds_personal_data(value: Any) -> bool:
    """Whether a stored event's facts hold a name, ID number, phone, account or health."""
    if isinstance(value, dict):
        return any(k in PERSONAL_FIELDS or holds_personal_data(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_personal_data(v) for v in value)
    return False


def inclusion_proof(
    store: EventStore, event_id: str, reader: str | None = None, purpose: str | None = None
) -> dict[str, Any]:
    """The proof that an event is in the log the latest covering checkpoint signs. It carries
    the event as a person reads it and the stored bytes the leaf commits to; the offline
    verifier checks that one is the other. An event with personal data is shown only to a
    named reader with a purpose, and that read is recorded first."""
    with store.connection() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT l.leaf_index, e.notification_id, e.originator_id, e.originator_version, "
            f"e.topic, e.state FROM {store.events_table} e "
            "JOIN audit_leaves l ON l.notification_id = e.notification_id "
            "JOIN audit_trail a ON a.position = e.notification_id WHERE a.event_id = %s",
            (event_id,),
        )
        row = cur.fetchone()
        if row is None:
            raise ProofError("EVENT_NOT_LOGGED", f"no logged event {event_id}")
        cp = _checkpoint_at_least(checkpoints(cur), row["leaf_index"] + 1, _cosigned_notes(cur))
        tree = StoredTree(cur)
        path = inclusion_path(tree.subtree, row["leaf_index"], cp["tree_size"])
    state = bytes(row["state"])
    event = json.loads(state)
    if holds_personal_data(event.get("facts")):
        record_read(store, reader, purpose, event["household_id"], f"audit prove {event_id}")
    return {
        "kind": "inclusion",
        "log": cp.get("note", "").split("\n", 1)[0] or "dixian",
        "event_id": event_id,
        "leaf_index": row["leaf_index"],
        "stored": {
            "originator_id": str(row["originator_id"]),
            "originator_version": row["originator_version"],
            "topic": row["topic"],
        },
        "event": event,
        "event_bytes": base64.b64encode(state).decode(),
        "inclusion_path": [h.hex() for h in path],
        "checkpoint": cp,
    }


def consistency_proof(store: EventStore, old_size: int, new_size: int) -> dict[str, Any]:
    """The proof that the checkpoint of new_size extends the one of old_size."""
    with store.connection() as conn, conn.cursor() as cur:
        cosigned = _cosigned_notes(cur)
        cps = {cp["tree_size"]: _with_cosignatures(cp, cosigned) for cp in checkpoints(cur)}
        for size in (old_size, new_size):
            if size not in cps:
                raise ProofError("NO_CHECKPOINT", f"no checkpoint of {size} events")
        if not 0 < old_size <= new_size:
            raise ProofError("BAD_SIZES", "the old size must be positive and at most the new")
        path = consistency_path(StoredTree(cur).subtree, old_size, new_size)
    return {
        "kind": "consistency",
        "log": "dixian",
        "old": cps[old_size],
        "new": cps[new_size],
        "path": [h.hex() for h in path],
    }
