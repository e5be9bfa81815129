"""The audit log in PostgreSQL: leaves and perfect-subtree nodes of the Merkle tree over the
event store, in the store's order, kept by a projection; and signed checkpoints.

A leaf is the canonical bytes of one stored event (`canonical_event`). Nodes of complete,
aligned subtrees are stored as they form, so any subtree hash — a root, a proof step — costs
O(log n) reads. Checkpoints are never deleted, not even by a rebuild.
"""

from __future__ import annotations

import base64
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from psycopg import Cursor

from services.domain.audit import offline
from services.domain.audit.merkle import EMPTY_ROOT, node_hash, split

DEFAULT_ORIGIN = "dixian/local"  # the log's name in its signed notes (DIXIAN_AUDIT_ORIGIN)

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
-- The signed note (C2SP tlog-checkpoint) of each checkpoint since notes were introduced, and
-- when it went out on the checkpoint topic to the witnesses (an outbox).
ALTER TABLE audit_checkpoints ADD COLUMN IF NOT EXISTS note text;
ALTER TABLE audit_checkpoints ADD COLUMN IF NOT EXISTS published_at timestamptz;
-- A key rotation: the old key and the new one both sign that the new one follows.
CREATE TABLE IF NOT EXISTS audit_key_rotations (
    rotation_id bigserial PRIMARY KEY,
    old_key text NOT NULL,
    new_key text NOT NULL,
    note text NOT NULL,
    rotated_at timestamptz NOT NULL DEFAULT now()
);
"""


def canonical_event(n: Any) -> bytes:
    """The bytes a leaf commits to (services.domain.audit.offline.canonical_event): for a
    topic JSON writes as it is, put together directly (the same bytes; json.dumps of the
    sorted object was half of the audit log's rebuild), else by the verifier's own code."""
    topic = n.topic
    if not _PLAIN_TOPIC.fullmatch(topic):
        return offline.canonical_event(
            str(n.originator_id), n.originator_version, topic, bytes(n.state)
        )
    return b'{"originator_id":"%s","originator_version":%d,"state":"%s","topic":"%s","v":1}' % (
        str(n.originator_id).encode(),
        n.originator_version,
        base64.b64encode(n.state),
        topic.encode(),
    )


_PLAIN_TOPIC = re.compile(r"[A-Za-z0-9_.:]*")  # what JSON writes without an escape


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
    """The log's Ed25519 key, from a file (created on first use, readable by its owner only),
    and the log's name (its origin) that every signed note carries."""

    def __init__(self, key_file: Path, origin: str = DEFAULT_ORIGIN) -> None:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            seed = Ed25519PrivateKey.generate().private_bytes_raw()
            try:  # owner-only from its first byte; a process starting with us keeps its own
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # the other made it first: both use that one, once written
                for _ in range(100):
                    if key_file.stat().st_size:
                        break
                    time.sleep(0.01)
            else:
                with os.fdopen(fd, "w") as f:
                    f.write(base64.b64encode(seed).decode() + "\n")
        self.key = read_private_key(key_file)
        self.key_file = key_file
        self.origin = origin

    @property
    def public_key(self) -> str:
        return public_key_of(self.key)

    def sign_note(self, text: str) -> str:
        """A signed note of `text` (lines, each ending in a newline)."""
        return text + "\n" + self.signature_line(text)

    def signature_line(self, text: str) -> str:
        raw = base64.b64decode(self.public_key)
        blob = offline.key_id(self.origin, raw) + self.key.sign(text.encode())
        return f"{offline.SIGNATURE_LINE}{self.origin} {base64.b64encode(blob).decode()}\n"

    def checkpoint(self, tree_size: int, root: bytes) -> dict[str, Any]:
        signed_at = datetime.now(UTC).isoformat(timespec="seconds")
        text = f"{self.origin}\n{tree_size}\n{base64.b64encode(root).decode()}\ntime {signed_at}\n"
        note = self.sign_note(text)
        _, [(_, _, signature)] = offline.note_signatures(note)
        return {
            "tree_size": tree_size,
            "root_hash": root.hex(),
            "signed_at": signed_at,
            "signature": base64.b64encode(signature).decode(),
            "public_key": self.public_key,  # for reading only: verifiers bring their own
            "note": note,
        }


def read_private_key(key_file: Path) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(key_file.read_text().strip()))


def public_key_of(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def make_checkpoint(cur: Cursor[Any], signer: Signer) -> dict[str, Any]:
    """Sign the tree as it stands and keep the checkpoint."""
    tree = StoredTree(cur)
    size = tree.size()
    cp = signer.checkpoint(size, tree.subtree(0, size))
    cur.execute(
        "INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, signature, public_key, "
        "note) VALUES (%(tree_size)s, %(root_hash)s, %(signed_at)s, %(signature)s, "
        "%(public_key)s, %(note)s) RETURNING checkpoint_id",
        cp,
    )
    return cp


CHECKPOINT_COLUMNS = ("tree_size", "root_hash", "signed_at", "signature", "public_key", "note")


def checkpoints(cur: Cursor[Any]) -> list[dict[str, Any]]:
    """Every checkpoint the database holds, in the order they were signed."""
    cur.execute(
        f"SELECT {', '.join(CHECKPOINT_COLUMNS)} FROM audit_checkpoints ORDER BY checkpoint_id"
    )
    return [checkpoint_from_row(row) for row in cur.fetchall()]


def checkpoint_from_row(row: Any) -> dict[str, Any]:
    cp = dict(row) if isinstance(row, dict) else dict(zip(CHECKPOINT_COLUMNS, row, strict=True))
    if cp.get("note") is None:
        cp.pop("note", None)  # the first format: no note
    return cp


def key_rotations(cur: Cursor[Any]) -> list[dict[str, Any]]:
    cur.execute("SELECT old_key, new_key, note FROM audit_key_rotations ORDER BY rotation_id")
    cols = ("old_key", "new_key", "note")
    return [
        dict(row) if isinstance(row, dict) else dict(zip(cols, row, strict=True))
        for row in cur.fetchall()
    ]


def rotation_note(old: Signer, new: Signer) -> str:
    """The note by which the old key hands the log to the new one, signed by both."""
    text = (
        f"{old.origin} key rotation\n{old.public_key}\n{new.public_key}\n"
        f"time {datetime.now(UTC).isoformat(timespec='seconds')}\n"
    )
    return text + "\n" + old.signature_line(text) + new.signature_line(text)


def trusted_keys(configured: str, rotations: list[dict[str, Any]], origin: str) -> set[str]:
    """The configured key and every key a valid rotation links to it, either way: a rotation
    counts only when both its keys signed it."""
    trusted = {configured}
    grew = True
    while grew:
        grew = False
        for r in rotations:
            if (r["old_key"] in trusted) == (r["new_key"] in trusted):
                continue
            try:
                for key in (r["old_key"], r["new_key"]):
                    offline.verify_note(r["note"], base64.b64decode(key), origin)
            except ValueError:
                continue
            trusted |= {r["old_key"], r["new_key"]}
            grew = True
    return trusted
