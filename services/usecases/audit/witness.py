"""A witness: what an inspectors' office runs on its own machine, so that the county's
operators — who hold the database and the signing key — cannot rewrite history unnoticed.

It reads each new checkpoint of the log (from the checkpoint topic, or a directory of
exports), checks it is signed by the log's key, and that it extends the last one it holds
(the consistency proof of RFC 9162 §2.1.4, carried with the checkpoint); then it co-signs it
with its own key and keeps it in its own directory. Two different roots for one size, or a
checkpoint that does not extend the last, is a fork: an alarm, never accepted; so is a
larger checkpoint without a proof from the one it holds (UNPROVEN).
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.adapters.audit_log import Signer
from services.domain.audit.offline import verified_checkpoint, verify_consistency

log = logging.getLogger("dixian.witness")


@dataclass(frozen=True, slots=True)
class Verdict:
    code: str  # COSIGNED, ALREADY_HELD, NO_PROOF (older); alarms: FORK, NOT_EXTENDED, …
    tree_size: int
    detail: str

    @property
    def alarm(self) -> bool:
        return self.code in ("FORK", "NOT_EXTENDED", "KEY_NOT_TRUSTED", "UNPROVEN")


class Witness:
    """The witness's state lives in `state_dir`: state.json (the latest checkpoint and the
    root of every size it saw), cosigned/ (the notes it co-signed), alarms.log."""

    def __init__(self, state_dir: Path, log_key: str, signer: Signer) -> None:
        self.dir = state_dir
        self.log_key = base64.b64decode(log_key)
        self.signer = signer
        (self.dir / "cosigned").mkdir(parents=True, exist_ok=True)
        path = self.dir / "state.json"
        state = json.loads(path.read_text()) if path.exists() else {}
        self.latest: dict[str, Any] | None = state.get("latest")
        self.seen: dict[str, str] = state.get("seen", {})  # size → root hash
        self.sent_up_to: int = state.get("sent_up_to", 0)  # co-signatures sent back

    def observe(self, message: dict[str, Any]) -> Verdict:
        """One checkpoint message: {"checkpoint": {...}, "consistency": {...} or None}."""
        cp = message["checkpoint"]
        try:
            size, root = verified_checkpoint(cp, self.log_key)
        except (ValueError, KeyError) as e:
            return self._alarm(Verdict("KEY_NOT_TRUSTED", int(cp.get("tree_size", -1)), str(e)))
        held = self.seen.get(str(size))
        if held is not None and held != root.hex():
            return self._alarm(
                Verdict("FORK", size, f"a checkpoint of {size} events with another root")
            )
        if self.latest is None:  # the first one it sees is taken on trust, and kept
            return self._accept(cp, size, root)
        last_size, last_root = self.latest["tree_size"], bytes.fromhex(self.latest["root_hash"])
        if size == last_size or (held is not None and size < last_size):
            return Verdict("ALREADY_HELD", size, "held already")
        if size < last_size:
            return Verdict("NO_PROOF", size, "older than the latest held; nothing to add")
        proof = message.get("consistency") or {}
        if proof.get("from_size") != last_size:
            # A log rebuilt and signed again has no proof from what the witness holds: a
            # larger checkpoint that cannot show it extends the held one is never accepted.
            return self._alarm(
                Verdict(
                    "UNPROVEN",
                    size,
                    f"no consistency proof from the held {last_size}: ask the operators for "
                    f"`dixian audit consistency {last_size}:{size} -o FILE` and give the "
                    "witness that file (--from-dir); a log that cannot give it was rewritten",
                )
            )
        path = [bytes.fromhex(h) for h in proof.get("path", [])]
        if not verify_consistency(last_size, size, last_root, root, path):
            return self._alarm(
                Verdict("NOT_EXTENDED", size, f"does not extend the held log of {last_size}")
            )
        return self._accept(cp, size, root)

    def _accept(self, cp: dict[str, Any], size: int, root: bytes) -> Verdict:
        note = cp.get("note")
        if note:  # the witness's own signature under the log's
            text = note.partition("\n\n")[0] + "\n"
            cosigned = note + self.signer.signature_line(text)
            (self.dir / "cosigned" / f"{size:012d}.note").write_text(cosigned)
        self.latest = {k: cp[k] for k in ("tree_size", "root_hash", "signed_at")} | {
            k: cp[k] for k in ("signature", "public_key", "note") if k in cp
        }
        self.seen[str(size)] = root.hex()
        self._save()
        return Verdict("COSIGNED", size, f"extends the log; co-signed by {self.signer.origin}")

    def _alarm(self, verdict: Verdict) -> Verdict:
        line = f"{datetime.now(UTC).isoformat(timespec='seconds')} {verdict.code} {verdict.detail}"
        with (self.dir / "alarms.log").open("a") as f:
            f.write(line + "\n")
        log.critical("WITNESS ALARM %s: %s", verdict.code, verdict.detail)
        return verdict

    def _save(self) -> None:
        state = {"latest": self.latest, "seen": self.seen, "sent_up_to": self.sent_up_to}
        tmp = self.dir / "state.json.tmp"
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(self.dir / "state.json")

    def unsent(self) -> list[tuple[int, str]]:
        """The co-signed notes not yet sent back to the county, oldest first: (size, note)."""
        notes = sorted((self.dir / "cosigned").glob("*.note"))
        sizes = ((int(p.stem), p) for p in notes if p.stem.isdigit())
        return [(size, p.read_text()) for size, p in sizes if size > self.sent_up_to]

    def sent(self, size: int) -> None:
        self.sent_up_to = max(self.sent_up_to, size)
        self._save()

    def held(self) -> list[dict[str, Any]]:
        """The checkpoints this witness holds, for `audit verify --against`."""
        return [self.latest] if self.latest else []


def held_checkpoints(path: Path) -> list[dict[str, Any]]:
    """Checkpoints kept elsewhere: a witness's directory, or an export (a JSON list of
    checkpoints, or of checkpoint messages)."""
    if path.is_dir():
        state = json.loads((path / "state.json").read_text())
        return [state["latest"]] if state.get("latest") else []
    data = json.loads(path.read_text())
    items = data if isinstance(data, list) else [data]
    return [item.get("checkpoint", item) for item in items]
