"""A standalone verifier for dixian's audit proofs, for inspectors (纪检监察).

It needs only a proof file (exported by `dixian audit prove` or `dixian audit consistency`)
and the log's public key — no database, no network. It depends on the Python standard
library and `cryptography` alone, so it can be copied and run anywhere:

    python offline.py proof.json --public-key KEY_BASE64

Hashing follows RFC 6962/9162: SHA-256, leaves prefixed 0x00, nodes 0x01.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """The root an inclusion path leads to (RFC 9162 §2.1.3.2); ValueError if malformed."""
    if not 0 <= index < size:
        raise ValueError("the leaf index is outside the tree")
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            raise ValueError("the path is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ValueError("the path is shorter than the tree is deep")
    return r


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, path: list[bytes]
) -> bool:
    """Whether the tree of size2 extends the tree of size1 (RFC 9162 §2.1.4.2)."""
    if size1 == size2:
        return root1 == root2 and not path
    if not 0 < size1 < size2 or not path:
        return size1 == 0 and not path
    if size1 & (size1 - 1) == 0:  # size1 is a power of two: its root starts the path
        path = [root1, *path]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


def checkpoint_bytes(checkpoint: dict[str, Any]) -> bytes:
    """What a checkpoint's signature covers."""
    return (
        f"dixian audit log\n{checkpoint['tree_size']}\n"
        f"{checkpoint['root_hash']}\n{checkpoint['signed_at']}\n"
    ).encode()


def check_signature(checkpoint: dict[str, Any], public_key: bytes) -> None:
    key = Ed25519PublicKey.from_public_bytes(public_key)
    try:
        key.verify(base64.b64decode(checkpoint["signature"]), checkpoint_bytes(checkpoint))
    except InvalidSignature:
        raise ValueError(f"checkpoint {checkpoint['tree_size']}: bad signature") from None


def verify_proof(proof: dict[str, Any], public_key: bytes) -> str:
    """Check an exported proof; return what it proves, or raise ValueError."""
    if proof["kind"] == "inclusion":
        cp = proof["checkpoint"]
        check_signature(cp, public_key)
        event = base64.b64decode(proof["event_bytes"])
        root = root_from_inclusion(
            proof["leaf_index"],
            cp["tree_size"],
            leaf_hash(event),
            [bytes.fromhex(h) for h in proof["inclusion_path"]],
        )
        if root.hex() != cp["root_hash"]:
            raise ValueError("the event is not in the log the checkpoint signs")
        return (
            f"event at leaf {proof['leaf_index']} is in the log of {cp['tree_size']} events "
            f"signed at {cp['signed_at']}"
        )
    if proof["kind"] == "consistency":
        old, new = proof["old"], proof["new"]
        check_signature(old, public_key)
        check_signature(new, public_key)
        ok = verify_consistency(
            old["tree_size"],
            new["tree_size"],
            bytes.fromhex(old["root_hash"]),
            bytes.fromhex(new["root_hash"]),
            [bytes.fromhex(h) for h in proof["path"]],
        )
        if not ok:
            raise ValueError("the later checkpoint does not extend the earlier one")
        return (
            f"the log of {new['tree_size']} events extends the log of {old['tree_size']}: "
            "nothing before was changed, removed or reordered"
        )
    raise ValueError(f"unknown proof kind {proof['kind']!r}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("proof", help="the proof file (JSON)")
    p.add_argument("--public-key", required=True, help="the log's Ed25519 key, base64")
    args = p.parse_args(argv)
    with open(args.proof, encoding="utf-8") as f:
        proof = json.load(f)
    try:
        print("VERIFIED: " + verify_proof(proof, base64.b64decode(args.public_key)))
        return 0
    except (ValueError, KeyError) as e:
        print(f"NOT VERIFIED: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
