"""A standalone verifier for dixian's audit proofs and checkpoints, for inspectors (纪检监察).

It needs only a proof file (exported by `dixian audit prove` or `dixian audit consistency`)
and the log's public key — no database, no network. It depends on the Python standard
library and `cryptography` alone, so it can be copied and run anywhere:

    python offline.py proof.json --public-key KEY_BASE64

Hashing follows RFC 6962/9162: SHA-256, leaves prefixed 0x00, nodes 0x01. Checkpoints are
signed notes (C2SP signed-note, tlog-checkpoint): an origin line, the tree size, the root in
base64, a `time` line, a blank line, then one line per signature, "— NAME BASE64", where the
base64 holds the key's 4-byte id and the Ed25519 signature over the text before the blank
line. Checkpoints made before notes were introduced are read in their first format.
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

SIGNATURE_LINE = "\u2014 "  # an em dash and a space begin each signature line


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def canonical_event(originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """The bytes a leaf commits to: every stored field of the event, unambiguously."""
    return json.dumps(
        {
            "v": 1,
            "originator_id": originator_id,
            "originator_version": version,
            "topic": topic,
            "state": base64.b64encode(state).decode("ascii"),
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


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


# --- signed notes ---------------------------------------------------------------------------
def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte id of an Ed25519 key named `name` (C2SP signed-note)."""
    return hashlib.sha256(name.encode() + b"\n" + b"\x01" + public_key).digest()[:4]


def note_signatures(note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """The signed text of a note and its signatures: (name, key id, signature)."""
    text, sep, rest = note.partition("\n\n")
    if not sep:
        raise ValueError("not a signed note: no blank line before the signatures")
    signatures = []
    for line in rest.splitlines():
        if not line.startswith(SIGNATURE_LINE):
            raise ValueError(f"not a signature line: {line!r}")
        name, _, blob = line[len(SIGNATURE_LINE) :].rpartition(" ")
        raw = base64.b64decode(blob)
        signatures.append((name, raw[:4], raw[4:]))
    return text + "\n", signatures


def verify_note(note: str, public_key: bytes, name: str | None = None) -> str:
    """The note's signed text, if a signature of `public_key` is on it; ValueError if not."""
    text, signatures = note_signatures(note)
    key = Ed25519PublicKey.from_public_bytes(public_key)
    for signer, kid, signature in signatures:
        if (name is None or signer == name) and kid == key_id(signer, public_key):
            try:
                key.verify(signature, text.encode())
                return text
            except InvalidSignature:
                raise ValueError(f"the signature of {signer} does not verify") from None
    raise ValueError("the note carries no signature of the given key")


def parse_checkpoint(text: str) -> dict[str, Any]:
    """origin, tree size, root (hex) and time of a checkpoint note's signed text."""
    lines = text.rstrip("\n").split("\n")
    if len(lines) < 3:
        raise ValueError("a checkpoint has an origin, a size and a root")
    extensions = dict(line.split(" ", 1) for line in lines[3:] if " " in line)
    return {
        "origin": lines[0],
        "tree_size": int(lines[1]),
        "root_hash": base64.b64decode(lines[2]).hex(),
        "signed_at": extensions.get("time", ""),
    }


def checkpoint_bytes(checkpoint: dict[str, Any]) -> bytes:
    """What a checkpoint of the first format (no note) signs."""
    return (
        f"dixian audit log\n{checkpoint['tree_size']}\n"
        f"{checkpoint['root_hash']}\n{checkpoint['signed_at']}\n"
    ).encode()


def verified_checkpoint(checkpoint: dict[str, Any], public_key: bytes) -> tuple[int, bytes]:
    """(tree size, root) a checkpoint signed by `public_key` states; ValueError if it is not
    that key's signature — the key comes from the verifier, never from the checkpoint."""
    if checkpoint.get("note"):
        stated = parse_checkpoint(verify_note(checkpoint["note"], public_key))
        if (stated["tree_size"], stated["root_hash"]) != (
            checkpoint["tree_size"],
            checkpoint["root_hash"],
        ):
            raise ValueError("the checkpoint's fields differ from what its note signs")
    else:
        key = Ed25519PublicKey.from_public_bytes(public_key)
        try:
            key.verify(base64.b64decode(checkpoint["signature"]), checkpoint_bytes(checkpoint))
        except InvalidSignature:
            raise ValueError(
                f"checkpoint {checkpoint['tree_size']}: not signed by the given key"
            ) from None
    return int(checkpoint["tree_size"]), bytes.fromhex(checkpoint["root_hash"])


def check_signature(checkpoint: dict[str, Any], public_key: bytes) -> None:
    verified_checkpoint(checkpoint, public_key)


# --- proofs ---------------------------------------------------------------------------------
def _event_leaf(proof: dict[str, Any]) -> bytes:
    """The leaf of the proven event, rebuilt from what a person reads in the proof: the
    readable event must be exactly the stored bytes, or nothing is proven."""
    state = base64.b64decode(proof["event_bytes"])
    if json.loads(state) != proof["event"]:
        raise ValueError("the readable event differs from the stored bytes the proof commits to")
    stored = proof["stored"]
    return leaf_hash(
        canonical_event(
            stored["originator_id"], stored["originator_version"], stored["topic"], state
        )
    )


def check_witnesses(checkpoint: dict[str, Any], witnesses: dict[str, bytes]) -> str:
    """Each named witness's co-signature is on the checkpoint's note (what it co-signed: the
    same text the log signed), or ValueError: a log shown to one reader and not to the
    witnesses — a split view — has no co-signature to show."""
    if not witnesses:
        return ""
    text = checkpoint.get("note", "").partition("\n\n")[0] + "\n"
    for name, key in witnesses.items():
        try:
            cosigned = verify_note(checkpoint.get("note", ""), key, name)
        except ValueError as e:
            raise ValueError(f"the checkpoint is not co-signed by witness {name}: {e}") from None
        if cosigned != text:
            raise ValueError(f"witness {name} co-signed another text")
    return ", co-signed by " + ", ".join(witnesses)


def verify_proof(
    proof: dict[str, Any], public_key: bytes, witnesses: dict[str, bytes] | None = None
) -> str:
    """Check an exported proof; return what it proves, or raise ValueError. `witnesses`
    (name → key): each must have co-signed the checkpoint (of a consistency proof, the new)."""
    witnesses = witnesses or {}
    if proof["kind"] == "inclusion":
        size, root = verified_checkpoint(proof["checkpoint"], public_key)
        cosigned = check_witnesses(proof["checkpoint"], witnesses)
        path = [bytes.fromhex(h) for h in proof["inclusion_path"]]
        if root_from_inclusion(proof["leaf_index"], size, _event_leaf(proof), path) != root:
            raise ValueError("the event is not in the log the checkpoint signs")
        event = proof["event"]
        return (
            f"event {event.get('event_id', '')} ({event.get('event_type', '')} of "
            f"{event.get('household_id', '')}) is at leaf {proof['leaf_index']} of the log of "
            f"{size} events signed at {proof['checkpoint']['signed_at']}{cosigned}"
        )
    if proof["kind"] == "consistency":
        size1, root1 = verified_checkpoint(proof["old"], public_key)
        size2, root2 = verified_checkpoint(proof["new"], public_key)
        path = [bytes.fromhex(h) for h in proof["path"]]
        if not verify_consistency(size1, size2, root1, root2, path):
            raise ValueError("the later checkpoint does not extend the earlier one")
        cosigned = check_witnesses(proof["new"], witnesses)
        return (
            f"the log of {size2} events extends the log of {size1}: "
            f"nothing before was changed, removed or reordered{cosigned}"
        )
    raise ValueError(f"unknown proof kind {proof['kind']!r}")


def parse_witnesses(given: list[str]) -> dict[str, bytes]:
    """NAME=KEY, as the command lines take them; ValueError for anything else."""
    out = {}
    for item in given:
        name, sep, key = item.partition("=")  # a name has no "="; a base64 key may end in it
        if not sep or not name or not key:
            raise ValueError(f"a witness is NAME=KEY, not {item!r}")
        out[name] = base64.b64decode(key)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("proof", help="the proof file (JSON)")
    p.add_argument("--public-key", required=True, help="the log's Ed25519 key, base64")
    p.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="NAME=KEY",
        help="a witness that must have co-signed the checkpoint (its name and key, base64)",
    )
    args = p.parse_args(argv)
    try:
        witnesses = parse_witnesses(args.witness)
        with open(args.proof, encoding="utf-8") as f:
            proof = json.load(f)
        print("VERIFIED: " + verify_proof(proof, base64.b64decode(args.public_key), witnesses))
        return 0
    except OSError as e:
        print(f"PROOF_UNREADABLE: {e}")
        return 2
    except (ValueError, KeyError, TypeError) as e:
        print(f"NOT VERIFIED: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
