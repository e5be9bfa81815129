"""The audit log's projection: each stored event appended to the Merkle tree, batch by
batch, in the store's order (the tables are services.adapters.audit_log's)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from services.adapters.audit_log import AUDIT_DDL, StoredTree, canonical_event
from services.domain.audit.merkle import leaf_hash, node_hash


class AuditLogProjection:
    """Appends each stored event to the Merkle tree, batch by batch, in the store's order."""

    name = "audit_log"
    tables = ("audit_leaves", "audit_nodes")  # a rebuild keeps the checkpoints
    ddl = AUDIT_DDL
    raw = True  # it needs the stored bytes, not the decoded events

    def apply(self, cur: Cursor[Any], events: Sequence[tuple[int, Any]], store: Any) -> None:
        tree = StoredTree(cur)
        first = tree.size()
        leaves = []
        nodes: list[tuple[int, int, bytes]] = []
        for offset, (position, n) in enumerate(events):
            index = first + offset
            h = leaf_hash(canonical_event(n))
            leaves.append((index, position, h))
            tree.cache[(0, index)] = h
            level, i = 0, index
            while i & 1:  # a right child completes its parent
                h = node_hash(tree.node(level, i - 1), h)
                level, i = level + 1, i >> 1
                tree.cache[(level, i)] = h
                nodes.append((level, i, h))
        with cur.copy("COPY audit_leaves (leaf_index, notification_id, leaf_hash) FROM STDIN") as c:
            for row in leaves:
                c.write_row(row)
        with cur.copy("COPY audit_nodes (level, node_index, hash) FROM STDIN") as c:
            for row in nodes:
                c.write_row(row)
