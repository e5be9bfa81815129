"""A witness on its own machine: it co-signs each checkpoint that extends the last one it
holds, and raises an alarm — never accepting — on a fork, a checkpoint that does not extend
its log, or one the log's key did not sign."""

from __future__ import annotations

import base64
from pathlib import Path

from services.adapters.audit_log import Signer
from services.domain.audit.merkle import consistency_path, leaf_hash, list_subtree
from services.domain.audit.offline import note_signatures
from services.usecases.audit.witness import Witness, held_checkpoints

LEAVES = [leaf_hash(bytes([i])) for i in range(20)]
TREE = list_subtree(LEAVES)
FORKED = list_subtree([*LEAVES[:5], leaf_hash(b"rewritten"), *LEAVES[6:]])


def message(log: Signer, size: int, previous: int | None, tree=TREE) -> dict:  # type: ignore[no-untyped-def]
    proof = None
    if previous:
        path = consistency_path(tree, previous, size)
        proof = {"from_size": previous, "path": [h.hex() for h in path]}
    return {"checkpoint": log.checkpoint(size, tree(0, size)), "consistency": proof}


def setup(tmp_path: Path) -> tuple[Signer, Witness]:
    log = Signer(tmp_path / "log.key", "dixian/610326")
    witness = Witness(
        tmp_path / "witness", log.public_key, Signer(tmp_path / "w.key", "inspectors")
    )
    return log, witness


def test_a_witness_co_signs_each_checkpoint_that_extends_the_last_it_holds(tmp_path: Path) -> None:
    log, w = setup(tmp_path)
    verdicts = [w.observe(message(log, 4, None)), w.observe(message(log, 9, 4)),
                w.observe(message(log, 17, 9))]  # fmt: skip
    assert [v.code for v in verdicts] == ["COSIGNED"] * 3
    note = (tmp_path / "witness" / "cosigned" / f"{17:012d}.note").read_text()
    assert [name for name, _, _ in note_signatures(note)[1]] == ["dixian/610326", "inspectors"]
    again = Witness(tmp_path / "witness", log.public_key, Signer(tmp_path / "w.key", "inspectors"))
    assert again.latest is not None and again.latest["tree_size"] == 17  # kept on its disk
    assert held_checkpoints(tmp_path / "witness")[0]["tree_size"] == 17


def test_a_rewritten_history_signed_with_the_real_key_raises_an_alarm(tmp_path: Path) -> None:
    log, w = setup(tmp_path)
    w.observe(message(log, 8, None))
    forked_same_size = message(log, 8, None, FORKED)
    assert w.observe(forked_same_size).code == "FORK"
    extended_fork = message(log, 12, 8, FORKED)  # a proof from the forked tree, not ours
    assert w.observe(extended_fork).code == "NOT_EXTENDED"
    assert w.latest is not None and w.latest["tree_size"] == 8  # neither was accepted
    alarms = (tmp_path / "witness" / "alarms.log").read_text().splitlines()
    assert [line.split()[1] for line in alarms] == ["FORK", "NOT_EXTENDED"]


def test_a_checkpoint_another_key_signed_is_an_alarm(tmp_path: Path) -> None:
    log, w = setup(tmp_path)
    intruder = Signer(tmp_path / "intruder.key", "dixian/610326")
    verdict = w.observe(message(intruder, 8, None))
    assert verdict.alarm and verdict.code == "KEY_NOT_TRUSTED"
    assert w.latest is None
    assert base64.b64decode(log.public_key) != base64.b64decode(intruder.public_key)


def test_a_log_erased_and_signed_again_without_a_proof_is_an_alarm_until_one_is_given(
    tmp_path: Path,
) -> None:
    log, w = setup(tmp_path)
    w.observe(message(log, 6, None))
    erased = message(log, 10, None, FORKED)  # the checkpoints deleted, the log re-signed
    verdict = w.observe(erased)
    assert verdict.alarm and verdict.code == "UNPROVEN"
    assert "dixian audit consistency 6:10" in verdict.detail
    assert w.latest is not None and w.latest["tree_size"] == 6  # not accepted
    assert w.observe(message(log, 10, 6)).code == "COSIGNED"  # the honest log proves it


def test_a_new_key_file_is_readable_by_its_owner_only_from_the_start(tmp_path: Path) -> None:
    Signer(tmp_path / "new.key")
    assert (tmp_path / "new.key").stat().st_mode & 0o777 == 0o600
    assert Signer(tmp_path / "new.key").public_key == Signer(tmp_path / "new.key").public_key
