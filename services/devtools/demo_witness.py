"""The demo's witness: the inspectors' office (县纪委) follows the log's checkpoints, co-signs
what extends what it holds, and sends the co-signatures back; the county, which has
registered the witness's key, collects them, and the 审计 page shows who witnessed the log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from services.adapters.audit_log import Signer
from services.adapters.eventstore import EventStore
from services.settings import Settings
from services.usecases.audit.cosignatures import collect_cosignatures, send_back
from services.usecases.audit.publishing import checkpoint_messages
from services.usecases.audit.witness import Witness

NAME = "县纪委"


def registered(s: Settings, run: str) -> Settings:
    """The settings with the demo witness registered (its key made now, in its own folder)."""
    folder = s.data_dir / f"witness-{run}"
    signer = Signer(folder / "witness.key", NAME)
    keys = s.data_dir / f"witness-keys-{run}.json"
    keys.write_text(json.dumps({NAME: signer.public_key}, ensure_ascii=False))
    return s.model_copy(update={"witness_keys_file": keys})


def witness_the_log(s: Settings, store: EventStore, run: str) -> bool:
    """The witness co-signs every checkpoint (as `dixian audit witness --from-dir` would from
    an export), sends them back on the co-signature topic, and the county collects them."""
    folder: Path = s.data_dir / f"witness-{run}"
    w = Witness(folder, str(s.verifying_key()), Signer(folder / "witness.key", NAME))
    alarms = sum(w.observe(m).alarm for m in checkpoint_messages(store))
    sent = send_back(s, w)
    kept = asyncio.run(collect_cosignatures(s, store))
    held = w.latest["tree_size"] if w.latest else 0
    print(
        f"witness {NAME}: holds the log at {held} events, {kept} co-signature(s) sent back and "
        f"kept by the county (the 审计 page shows them){'; ALARM' if alarms else ''}"
    )
    return not alarms and kept == sent > 0
