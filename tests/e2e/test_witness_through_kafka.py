"""Witnesses outside the database, through the real broker: the running services publish
each signed checkpoint on the checkpoint topic; `dixian audit witness` on another machine
follows it, co-signs what extends its log and sends the co-signatures back (collected once
the witness is registered, shown on the audit page), and alarms when the county re-signs a rewritten
history with its own key."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from support import count, positions, wait_until

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.audit_log import public_key_of, read_private_key
from services.adapters.eventstore import EventStore
from services.adapters.kafka_topics import ensure_topics
from services.devtools.demo import publish
from services.devtools.village import village_messages
from services.entrypoints.cli import main
from services.entrypoints.runtime import serve
from services.settings import Settings
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.audit.cosignatures import collect_cosignatures, witnessed
from services.usecases.audit.publishing import publish_checkpoints

pytestmark = pytest.mark.e2e


async def test_a_witness_co_signs_the_published_checkpoints_and_alarms_on_a_re_signed_rewrite(
    settings: Settings,
    kafka_bootstrap: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s = settings.model_copy(
        update={
            "kafka_bootstrap": kafka_bootstrap,
            "audit_key_file": tmp_path / "log.key",
            "audit_checkpoint_seconds": 0.5,
            "checkpoint_topic": f"{settings.intake_topic}.checkpoints",
            "cosignature_topic": f"{settings.intake_topic}.cosignatures",
            "sweep_daily": False,
        }
    )
    await ensure_topics(s, kafka_bootstrap)
    store = EventStore(s)
    stop = asyncio.Event()
    services = asyncio.create_task(serve(s, kafka_bootstrap, stop))
    try:
        ends = await publish(kafka_bootstrap, s.intake_topic, village_messages("WT"))
        await wait_until(
            lambda: all(positions(store, s.intake_topic).get(p, 0) >= e for p, e in ends.items())
        )
        published = "SELECT count(*) FROM audit_checkpoints WHERE published_at IS NOT NULL"
        # signed and published by the running services' scheduler
        await wait_until(lambda: count(store, published) >= 1)
    finally:
        stop.set()
        await services

    for k, v in {
        "DIXIAN_PG_URL": s.pg_url or "",
        "DIXIAN_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "DIXIAN_CHECKPOINT_TOPIC": s.checkpoint_topic,
        "DIXIAN_COSIGNATURE_TOPIC": s.cosignature_topic,
        "DIXIAN_AUDIT_PUBLIC_KEY": str(s.verifying_key()),
    }.items():
        monkeypatch.setenv(k, v)
    witness = ["audit", "witness", "--state-dir", str(tmp_path / "w"), "--name", "inspectors"]
    capsys.readouterr()
    assert await asyncio.to_thread(main, witness) == 0
    out = capsys.readouterr().out
    sent = re.search(r"sent (\d+) co-signatures", out)
    assert "COSIGNED" in out and sent, out

    # The co-signature comes back: the county collects it once its witness is registered.
    assert await collect_cosignatures(s, store) == 0  # no witness registered: none trusted
    key = public_key_of(read_private_key(tmp_path / "w" / "witness.key"))
    (tmp_path / "witnesses.json").write_text(json.dumps({"inspectors": key}))
    s = s.model_copy(update={"witness_keys_file": tmp_path / "witnesses.json"})
    assert await collect_cosignatures(s, store) == int(sent.group(1)) >= 1
    signed = count(store, "SELECT max(tree_size) FROM audit_checkpoints")
    seen = witnessed(store, s.witness_keys())
    assert seen.by_size[signed] == ["inspectors"] and seen.latest[0][:2] == ("inspectors", signed)
    with store.connection() as conn:  # a row put in by hand, no witness's signature on it
        conn.execute(
            "INSERT INTO audit_cosignatures (witness, tree_size, root_hash, note) "
            "SELECT 'inspectors', tree_size, root_hash, note FROM audit_checkpoints "
            "WHERE tree_size < %s ORDER BY tree_size LIMIT 1 ON CONFLICT DO NOTHING",
            (signed,),
        )
        conn.execute(
            "INSERT INTO audit_cosignatures (witness, tree_size, root_hash, note) "
            "VALUES ('inspectors', 1, 'ab', 'forged\n\n— inspectors AAAA\n')"
        )
    assert witnessed(store, s.witness_keys()).by_size == seen.by_size
    assert await collect_cosignatures(s, store) == 0  # read from where it ended: nothing new
    # An inspector's proof rests on the checkpoint the witness co-signed, and says so offline.
    with store.connection() as conn:
        event_id = conn.execute(
            "SELECT event_id FROM audit_trail WHERE event_type = 'visit_recorded' "
            "ORDER BY position LIMIT 1"
        ).fetchone()["event_id"]  # no personal data: no read recorded, the log stays as signed
    proof = tmp_path / "proof.json"
    assert await asyncio.to_thread(main, ["audit", "prove", str(event_id), "-o", str(proof)]) == 0
    check = ["audit", "verify-proof", str(proof), "--witness", f"inspectors={key}"]
    capsys.readouterr()
    assert await asyncio.to_thread(main, check) == 0
    assert "co-signed by inspectors" in capsys.readouterr().out
    assert await asyncio.to_thread(main, witness) == 0  # nothing new to co-sign, none to send
    assert "sent" not in capsys.readouterr().out

    # The county rewrites an event, rebuilds the log, and signs and publishes it again.
    with store.connection() as conn:
        conn.execute(
            "UPDATE dixian_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
            "'\"schema_version\":1', '\"schema_version\":2'), 'UTF8') WHERE notification_id = 4"
        )
        conn.execute("DELETE FROM audit_checkpoints")
    with projection_pool(s) as pool:
        ProjectionRunner(store, pool, PROJECTIONS["audit_log"](), 1000).rebuild()
    checkpoint_now(s, store)
    assert await publish_checkpoints(s, store) == 1
    assert await asyncio.to_thread(main, witness) == 1  # the alarm
    out = capsys.readouterr().out
    assert "FORK" in out or "NOT_EXTENDED" in out
    assert (tmp_path / "w" / "alarms.log").read_text()
    # and the database, checked against the witness's state, is found out
    verify = ["audit", "verify", "--against", str(tmp_path / "w")]
    assert await asyncio.to_thread(main, verify) == 1
    assert "CHECKPOINT_MISMATCH" in capsys.readouterr().out
    store.close()
