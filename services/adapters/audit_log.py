"""The audit log in PostgreSQL: leaves and perfect-subtree nodes of the Merkle tree over the
event store, in the store's order, kept by a projection; and signed checkpoints.

A leaf is the canonical bytes of one stored event (`canonical_event`). Nodes of complete,
aligned subtrees are stored as they form, so any subtree hash — a root, a proof step — costs
O(log n) reads. Checkpoints are never deleted, not even by a rebuild.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from psycopg import Cursor

from services.domain.audit.merkle import EMPTY_ROOT, node_hash, split
from services.domain.audit.offline import checkpoint_bytes

AUDIT_DDL = """
CREATE TABLE IF NOT EXISTS audit_leaves (
    leaf_index bigint PRIMARY KEY,
    notification_id bigint NOT NULL UNIQUE,
    leaf_hash bytea NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_nodes (
    level integer NOT NULL,
    node_index bigint NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (level, node_index)
);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    checkpoint_id bigserial PRIMARY KEY,
    tree_size bigint NOT NULL,
    root_hash text NOT NULL,
    signed_at text NOT NULL,
    signature text NOT NULL,
    public_key text NOT NULL
);
"""


def canonical_event(n: Any) -> bytes:
    """The bytes a leaf commits to: every stored field of the event, unambiguously."""
    return json.dumps(
        {
            "v": 1,
            "originator_id": str(n.originator_id),
            "originator_version": n.originator_version,
            "topic": n.topic,
            "state": base64.b64encode(bytes(n.state)).decode("ascii"),
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


class StoredTree:
    """Subtree hashes of the tree as stored, read through one cursor, cached per use."""

    def __init__(self, cur: Cursor[Any]) -> None:
        self.cur = cur
        self.cache: dict[tuple[int, int], bytes] = {}

    def node(self, level: int, index: int) -> bytes:
        key = (level, index)
        if key not in self.cache:
            if level == 0:
                self.cur.execute(
                    "SELECT leaf_hash FROM audit_leaves WHERE leaf_index = %s", (index,)
                )
            else:
                self.cur.execute(
                    "SELECT hash FROM audit_nodes WHERE level = %s AND node_index = %s",
                    (level, index),
                )
            row = self.cur.fetchone()
            if row is None:
                raise LookupError(f"no audit node {key}: is the audit log caught up?")
            self.cache[key] = bytes(row[0] if isinstance(row, tuple) else next(iter(row.values())))
        return self.cache[key]

    def subtree(self, start: int, end: int) -> bytes:
        size = end - start
        if size == 0:
            return EMPTY_ROOT
        if size & (size - 1) == 0 and start % size == 0:
            level = size.bit_length() - 1
            return self.node(level, start >> level)
        k = split(size)
        return node_hash(self.subtree(start, start + k), self.subtree(start + k, end))

    def size(self) -> int:
        self.cur.execute("SELECT coalesce(max(leaf_index) + 1, 0) FROM audit_leaves")
        row = self.cur.fetchone()
        return int(row[0] if isinstance(row, tuple) else next(iter(row.values())))


class Signer:
    """The log's Ed25519 key, from a file (created on first use, readable by its owner only)."""

    def __init__(self, key_file: Path) -> None:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            seed = Ed25519PrivateKey.generate().private_bytes_raw()
            key_file.write_text(base64.b64encode(seed).decode() + "\n")
            key_file.chmod(0o600)
        seed = base64.b64decode(key_file.read_text().strip())
        self.key = Ed25519PrivateKey.from_private_bytes(seed)

    @property
    def public_key(self) -> str:
        raw = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def checkpoint(self, tree_size: int, root: bytes) -> dict[str, Any]:
        cp = {
            "tree_size": tree_size,
            "root_hash": root.hex(),
            "signed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        cp["signature"] = base64.b64encode(self.key.sign(checkpoint_bytes(cp))).decode()
        cp["public_key"] = self.public_key
        return cp


def make_checkpoint(cur: Cursor[Any], signer: Signer) -> dict[str, Any]:
    """Sign the tree as it stands and keep the checkpoint."""
    tree = StoredTree(cur)
    size = tree.size()
    cp = signer.checkpoint(size, tree.subtree(0, size))
    cur.execute(
        "INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, signature, public_key) "
        "VALUES (%(tree_size)s, %(root_hash)s, %(signed_at)s, %(signature)s, %(public_key)s) "
        "RETURNING checkpoint_id",
        cp,
    )
    return cp


def checkpoints(cur: Cursor[Any]) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT tree_size, root_hash, signed_at, signature, public_key FROM audit_checkpoints "
        "ORDER BY checkpoint_id"
    )
    cols = ("tree_size", "root_hash", "signed_at", "signature", "public_key")
    return [
        dict(row) if isinstance(row, dict) else dict(zip(cols, row, strict=True))
        for row in cur.fetchall()
    ]
