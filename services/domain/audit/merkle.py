"""RFC 6962 Merkle tree hashes and proofs over a tree given as a subtree-hash function.

`subtree(start, end)` returns the hash of leaves [start, end); the log answers it from
stored nodes, tests from a list. The split is RFC 6962's: the largest power of two below
the size, not the midpoint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from services.domain.audit.offline import leaf_hash, node_hash

__all__ = ["EMPTY_ROOT", "consistency_path", "inclusion_path", "leaf_hash", "node_hash"]

EMPTY_ROOT = hashlib.sha256(b"").digest()
Subtree = Callable[[int, int], bytes]


def split(n: int) -> int:
    """The largest power of two smaller than n (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def list_subtree(leaves: Sequence[bytes]) -> Subtree:
    """Subtree hashes computed from leaf hashes in memory."""

    def subtree(start: int, end: int) -> bytes:
        if end - start == 0:
            return EMPTY_ROOT
        if end - start == 1:
            return leaves[start]
        k = split(end - start)
        return node_hash(subtree(start, start + k), subtree(start + k, end))

    return subtree


def inclusion_path(subtree: Subtree, index: int, size: int, start: int = 0) -> list[bytes]:
    """PATH(m, D[start:start+size]) of RFC 6962 §2.1.1, m = index."""
    if size <= 1:
        return []
    k = split(size)
    if index < k:
        return [*inclusion_path(subtree, index, k, start), subtree(start + k, start + size)]
    return [*inclusion_path(subtree, index - k, size - k, start + k), subtree(start, start + k)]


def consistency_path(subtree: Subtree, m: int, n: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2."""
    if not 0 < m <= n:
        raise ValueError("consistency needs 0 < old size <= new size")
    return _subproof(subtree, m, 0, n, True)


def _subproof(subtree: Subtree, m: int, start: int, n: int, complete: bool) -> list[bytes]:
    if m == n:
        return [] if complete else [subtree(start, start + n)]
    k = split(n)
    if m <= k:
        return [*_subproof(subtree, m, start, k, complete), subtree(start + k, start + n)]
    return [*_subproof(subtree, m - k, start + k, n - k, False), subtree(start, start + k)]
