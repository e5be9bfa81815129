"""The offline verifier checks that the inspectors' own witness co-signed the checkpoint a
proof rests on (`verify-proof --witness NAME=KEY`): a log shown to one reader and not to the
witnesses — a split view — has no co-signature to show."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from services.adapters.audit_log import Signer
from services.domain.audit.offline import (
    canonical_event,
    leaf_hash,
    main,
    parse_witnesses,
    verify_proof,
)
from services.usecases.audit.proofs import _checkpoint_at_least

EVENT = {"event_id": "e-1", "event_type": "visit_recorded", "household_id": "H1", "facts": {}}
STATE = json.dumps(EVENT, separators=(",", ":")).encode()
STORED = {"originator_id": "00000000-0000-0000-0000-000000000001", "originator_version": 1,
          "topic": "services.domain.events:VisitRecorded"}  # fmt: skip
LEAF = leaf_hash(canonical_event(*STORED.values(), STATE))  # type: ignore[arg-type]


def cosign(witness: Signer, note: str) -> str:
    return note + witness.signature_line(note.partition("\n\n")[0] + "\n")


def test_a_proof_names_the_witnesses_that_co_signed_its_checkpoint(tmp_path: Path) -> None:
    log = Signer(tmp_path / "log.key", "dixian/610326")
    county, city = Signer(tmp_path / "w1.key", "县纪委"), Signer(tmp_path / "w2.key", "市纪委")
    cp = log.checkpoint(1, LEAF)
    cosigned = {1: [cosign(county, cp["note"]), cosign(city, cp["note"])]}
    # the proof's checkpoint carries every witness's line, the log's first
    chosen = _checkpoint_at_least([cp, log.checkpoint(1, LEAF)], 1, cosigned)
    assert chosen["note"].startswith(cp["note"]) and chosen["note"].count("\n\u2014 ") == 3
    proof = {"kind": "inclusion", "leaf_index": 0, "checkpoint": chosen, "stored": STORED,
             "event": EVENT, "event_bytes": base64.b64encode(STATE).decode(),
             "inclusion_path": []}  # fmt: skip
    key = base64.b64decode(log.public_key)
    witnesses = {"县纪委": base64.b64decode(county.public_key)}
    assert verify_proof(proof, key, witnesses).endswith(", co-signed by 县纪委")
    unseen = proof | {"checkpoint": cp}  # what the county shows without the witnesses
    with pytest.raises(ValueError, match="not co-signed by witness 县纪委"):
        verify_proof(unseen, key, witnesses)
    impostor = Signer(tmp_path / "w3.key", "县纪委")
    with pytest.raises(ValueError, match="not co-signed by witness 县纪委"):
        verify_proof(proof, key, {"县纪委": base64.b64decode(impostor.public_key)})
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof, ensure_ascii=False))
    named = f"县纪委={county.public_key}"  # a base64 key may end in "="
    assert main([str(path), "--public-key", log.public_key, "--witness", named]) == 0
    unseen_path = tmp_path / "unseen.json"
    unseen_path.write_text(json.dumps(unseen, ensure_ascii=False))
    assert main([str(unseen_path), "--public-key", log.public_key, "--witness", named]) == 1


def test_a_witness_is_given_as_name_and_key() -> None:
    assert parse_witnesses(["县纪委=AAAA"]) == {"县纪委": b"\x00\x00\x00"}
    for bad in ("县纪委", "=AAAA", "县纪委="):
        with pytest.raises(ValueError, match="NAME=KEY"):
            parse_witnesses([bad])
