"""RFC 6962 hashing and proofs, against the published test vectors and by exhaustion."""

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from services.adapters.audit_log import Signer
from services.domain.audit.merkle import (
    EMPTY_ROOT,
    consistency_path,
    inclusion_path,
    leaf_hash,
    list_subtree,
)
from services.domain.audit.offline import (
    canonical_event,
    checkpoint_bytes,
    key_id,
    note_signatures,
    root_from_inclusion,
    verified_checkpoint,
    verify_consistency,
    verify_proof,
)
from services.usecases.audit.verify import Frontier

# RFC 6962 test vectors (as published with the Certificate Transparency implementations).
LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = {
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
CONSISTENCY = {
    (2, 8): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}
HASHES = [leaf_hash(x) for x in LEAVES]
TREE = list_subtree(HASHES)


def test_the_empty_tree_and_every_published_root_match() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert [TREE(0, n).hex() for n in range(1, 9)] == ROOTS


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_inclusion_paths_match_the_published_ones_and_verify(index: int, size: int) -> None:
    path = inclusion_path(TREE, index, size)
    assert [h.hex() for h in path] == INCLUSION[(index, size)]
    assert root_from_inclusion(index, size, HASHES[index], path).hex() == ROOTS[size - 1]


@pytest.mark.parametrize(("old", "new"), sorted(CONSISTENCY))
def test_consistency_paths_match_the_published_ones_and_verify(old: int, new: int) -> None:
    path = consistency_path(TREE, old, new)
    assert [h.hex() for h in path] == CONSISTENCY[(old, new)]
    assert verify_consistency(old, new, TREE(0, old), TREE(0, new), path)


def test_every_proof_of_every_tree_up_to_40_leaves_verifies_and_a_wrong_one_does_not() -> None:
    for n in range(1, 41):
        leaves = [leaf_hash(bytes([i, n])) for i in range(n)]
        tree = list_subtree(leaves)
        root = tree(0, n)
        for i in range(n):
            path = inclusion_path(tree, i, n)
            assert root_from_inclusion(i, n, leaves[i], path) == root
            assert root_from_inclusion(i, n, leaf_hash(b"forged"), path) != root
        for m in range(1, n + 1):
            path = consistency_path(tree, m, n)
            assert verify_consistency(m, n, tree(0, m), root, path)
            if m < n:
                assert not verify_consistency(m, n, leaf_hash(b"x"), root, path)


def test_the_streaming_frontier_gives_the_same_root_at_every_size() -> None:
    f = Frontier()
    for n, h in enumerate(HASHES, start=1):
        f.push(h)
        assert f.root().hex() == ROOTS[n - 1]


def _signer(tmp: Path, name: str = "dixian/test") -> Signer:
    return Signer(tmp / f"{name.replace('/', '_')}.key", name)


EVENT = {"event_id": "e-5", "event_type": "visit_recorded", "household_id": "H1",
         "facts": {"notes": "户主在家"}}  # fmt: skip
STATE = json.dumps(EVENT, separators=(",", ":"), ensure_ascii=False).encode()
STORED = {"originator_id": "00000000-0000-0000-0000-000000000005", "originator_version": 3,
          "topic": "services.domain.events:VisitRecorded"}  # fmt: skip
EVENT_LEAF = leaf_hash(
    canonical_event(STORED["originator_id"], STORED["originator_version"], STORED["topic"], STATE)
)
WITH_EVENT = list_subtree([*HASHES[:5], EVENT_LEAF, *HASHES[6:]])


def test_an_offline_inclusion_proof_checks_the_event_a_person_reads_and_the_key(
    tmp_path: Path,
) -> None:
    signer = _signer(tmp_path)
    proof = {
        "kind": "inclusion",
        "leaf_index": 5,
        "checkpoint": signer.checkpoint(8, WITH_EVENT(0, 8)),
        "stored": STORED,
        "event": EVENT,
        "event_bytes": base64.b64encode(STATE).decode(),
        "inclusion_path": [h.hex() for h in inclusion_path(WITH_EVENT, 5, 8)],
    }
    key = base64.b64decode(signer.public_key)
    assert "leaf 5" in verify_proof(proof, key) and "visit_recorded" in verify_proof(proof, key)
    edited = json.loads(json.dumps(proof))
    edited["event"]["facts"]["notes"] = "户主不在家"  # a readable field changed
    with pytest.raises(ValueError, match="readable event differs"):
        verify_proof(edited, key)
    both = edited | {
        "event_bytes": base64.b64encode(
            json.dumps(edited["event"], separators=(",", ":"), ensure_ascii=False).encode()
        ).decode()
    }
    with pytest.raises(ValueError, match="not in the log"):  # and its bytes with it
        verify_proof(both, key)
    with pytest.raises(ValueError, match="no signature of the given key"):
        verify_proof(proof, base64.b64decode(_signer(tmp_path, "dixian/other").public_key))


def test_an_offline_consistency_proof_shows_a_checkpoint_extends_another(tmp_path: Path) -> None:
    signer = _signer(tmp_path)
    public = base64.b64decode(signer.public_key)
    proof = {
        "kind": "consistency",
        "old": signer.checkpoint(6, TREE(0, 6)),
        "new": signer.checkpoint(8, TREE(0, 8)),
        "path": CONSISTENCY[(6, 8)],
    }
    assert "extends" in verify_proof(proof, public)
    forked = proof | {"old": signer.checkpoint(6, leaf_hash(b"another history"))}
    with pytest.raises(ValueError, match="does not extend"):
        verify_proof(forked, public)


def test_a_checkpoint_of_the_first_format_still_verifies_with_the_key_and_not_without(
    tmp_path: Path,
) -> None:
    key = Ed25519PrivateKey.generate()
    cp = {"tree_size": 8, "root_hash": TREE(0, 8).hex(), "signed_at": "2026-11-28T00:00:00"}
    cp["signature"] = base64.b64encode(key.sign(checkpoint_bytes(cp))).decode()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert verified_checkpoint(cp, public) == (8, TREE(0, 8))
    with pytest.raises(ValueError, match="not signed by the given key"):
        verified_checkpoint(cp, base64.b64decode(_signer(tmp_path).public_key))


def test_a_checkpoint_note_is_a_c2sp_signed_note_and_its_fields_must_be_what_it_signs(
    tmp_path: Path,
) -> None:
    signer = _signer(tmp_path, "dixian/610326")
    cp = signer.checkpoint(8, TREE(0, 8))
    text, signatures = note_signatures(cp["note"])
    lines = text.splitlines()
    assert lines[:3] == ["dixian/610326", "8", base64.b64encode(TREE(0, 8)).decode()]
    assert lines[3].startswith("time ") and signatures[0][0] == "dixian/610326"
    public = base64.b64decode(signer.public_key)
    assert signatures[0][1] == key_id("dixian/610326", public)
    with pytest.raises(ValueError, match="differ from what its note signs"):
        verified_checkpoint(cp | {"root_hash": TREE(0, 7).hex()}, public)


def test_the_adapters_leaf_bytes_are_the_verifiers() -> None:
    """The audit log's projection puts a leaf's bytes together directly; an inspector's
    verifier (offline.canonical_event, json.dumps) must compute the very same bytes."""
    import os
    import uuid
    from types import SimpleNamespace

    from services.adapters.audit_log import canonical_event as adapter_canonical

    topics = [
        "services.domain.events:VisitRecorded",
        "services.domain.compliance.ledger:Problem.Raised",
        "odd topic",
        'a"quote',
        "back\\slash",
        "户",
        "",
    ]
    for i, topic in enumerate(topics * 3):
        n = SimpleNamespace(
            originator_id=uuid.uuid4(),
            originator_version=i * 1000 + 1,
            topic=topic,
            state=os.urandom(i * 7),
        )
        assert adapter_canonical(n) == canonical_event(
            str(n.originator_id), n.originator_version, n.topic, n.state
        )
