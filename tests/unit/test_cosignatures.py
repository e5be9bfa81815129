"""A witness's co-signature is kept only if it is a registered witness's signature, under
its own name, of one of this log's own checkpoints; everything else is refused with a
stable code. The audit page says who witnessed the log how far."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

from services.adapters.audit_log import Signer
from services.entrypoints.web.render import ENV
from services.usecases.audit.cosignatures import (
    Cosignature,
    Witnessed,
    checked,
    cosignature_message,
)


def test_a_registered_witness_co_signing_this_logs_checkpoint_is_kept(tmp_path: Path) -> None:
    log = Signer(tmp_path / "log.key", "dixian/610326")
    checkpoint = log.checkpoint(120, bytes(range(32)))
    other = log.checkpoint(121, bytes(32))  # a checkpoint the database does not hold
    signed = {checkpoint["note"].partition("\n\n")[0] + "\n"}
    witness = Signer(tmp_path / "w.key", "县纪委")
    keys = {"县纪委": base64.b64decode(witness.public_key)}

    def cosigned(by: Signer, cp: dict[str, str], name: str = "县纪委") -> bytes:
        text = cp["note"].partition("\n\n")[0] + "\n"
        return cosignature_message(name, cp["note"] + by.signature_line(text))

    kept = checked(cosigned(witness, checkpoint), keys, signed)
    assert kept == Cosignature("县纪委", 120, bytes(range(32)).hex(), kept.note)  # type: ignore[union-attr]
    assert checked(cosigned(witness, other), keys, signed) == "NOT_THIS_LOG"
    impostor = Signer(tmp_path / "i.key", "县纪委")  # another key under the witness's name
    assert checked(cosigned(impostor, checkpoint), keys, signed) == "SIGNATURE_INVALID"
    stranger = Signer(tmp_path / "s.key", "某人")
    assert checked(cosigned(stranger, checkpoint, "某人"), keys, signed) == (
        "WITNESS_NOT_REGISTERED"
    )
    assert checked(b"\xff not json", keys, signed) == "UNREADABLE"
    assert checked(json.dumps({"note": "x"}).encode(), keys, signed) == "UNREADABLE"


def test_the_audit_page_says_who_witnessed_the_log_how_far() -> None:
    seen = Witnessed(
        {120: ["县纪委", "市纪委"]}, [("县纪委", 120, datetime(2026, 12, 1, tzinfo=UTC))]
    )
    html = ENV.get_template("audit.html").render(
        request=None, who=None, role_label="", csrf="", menu=[], path="/audit", places=None,
        verification={"ok": None, "pending": True, "verified_at": None}, published={},
        checkpoints=[{"tree_size": 120, "signed_at": "2026-12-01T00:00:00+00:00",
                      "root_hash": "ab" * 32, "public_key": "k" * 44}],
        witnessed=seen, inspector=False, event="", actor="", source="", household="",
        done=[], reads=[],
    )  # fmt: skip
    assert "县纪委 已联署至第 120 条事件" in html
    row = html[html.index('<table class="striped" id="checkpoints">') :]
    assert "<td>县纪委、市纪委</td>" in row[: row.index("</table>")]
    empty = ENV.get_template("audit.html").render(
        request=None, who=None, role_label="", csrf="", menu=[], path="/audit", places=None,
        verification={"ok": None, "pending": True, "verified_at": None}, published={},
        checkpoints=[], witnessed=Witnessed({}, []), inspector=False, event="", actor="",
        source="", household="", done=[], reads=[],
    )  # fmt: skip
    assert "尚未收到登记的见证方的联署" in empty
