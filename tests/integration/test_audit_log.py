"""The audit log against a real PostgreSQL: whatever is edited behind the system's back in
SQL is caught, with the first bad position; proofs exported here verify offline."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import as_raw, intake

from projections.audit_trail import AuditTrail
from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.eventstore import EventStore
from services.devtools.village import village_messages
from services.domain.audit import offline
from services.settings import Settings
from services.usecases.audit.checkpoint import checkpoint_now
from services.usecases.audit.proofs import consistency_proof, inclusion_proof
from services.usecases.audit.verify import Report, verify

pytestmark = pytest.mark.integration


@pytest.fixture
def audited(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, EventStore]]:
    s = settings.model_copy(update={"audit_key_file": tmp_path / "key"})
    store = EventStore(s)
    intake(store, 100).process(as_raw(village_messages("A1"), "events"))
    checkpoint_now(s, store)
    yield s, store
    store.close()


def sql(store: EventStore, statement: str, *params: object) -> None:
    with store.connection() as conn:
        conn.execute(statement, params)


def check(s: Settings, store: EventStore, **kw: object) -> Report:
    """Verify with the configured key, as `dixian audit verify` does."""
    key = s.verifying_key()
    assert key is not None
    return verify(store, key, origin=s.audit_origin, **kw)  # type: ignore[arg-type]


def first_bad(report: Report) -> int | None:
    bad = report.first_bad
    return bad.leaf_index if bad else None


def test_an_untouched_store_verifies(audited: tuple[Settings, EventStore]) -> None:
    s, store = audited
    report = check(s, store)
    assert report.ok and report.events == report.logged > 50 and report.checkpoints_ok == 1


def test_a_changed_event_is_caught_at_its_position(audited: tuple[Settings, EventStore]) -> None:
    s, store = audited
    sql(
        store,
        "UPDATE dixian_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'\"schema_version\":1', '\"schema_version\":2'), 'UTF8') WHERE notification_id = 10",
    )
    report = check(s, store)
    assert not report.ok and first_bad(report) == 9
    assert "changed" in str(report.first_bad)
    assert any("rewritten" in str(f) for f in report.findings)  # the checkpoint disagrees


def test_a_removed_event_is_caught(audited: tuple[Settings, EventStore]) -> None:
    s, store = audited
    sql(store, "DELETE FROM dixian_events WHERE notification_id = 20")
    report = check(s, store)
    assert first_bad(report) == 19
    assert any("removed" in str(f) for f in report.findings)


def test_reordered_events_are_caught(audited: tuple[Settings, EventStore]) -> None:
    s, store = audited
    for a, b in ((30, -30), (31, 30), (-30, 31)):  # swap positions 30 and 31
        sql(store, "UPDATE dixian_events SET notification_id = %s WHERE notification_id = %s", b, a)
    assert first_bad(check(s, store)) == 29


def test_an_inserted_event_is_caught(audited: tuple[Settings, EventStore]) -> None:
    s, store = audited
    with store.connection() as conn:
        row = conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM dixian_events "
            "WHERE notification_id = 5"
        ).fetchone()
        forged = json.loads(bytes(row["state"]))
        forged["event_id"] = "11111111-1111-1111-1111-111111111111"
        conn.execute(
            "INSERT INTO dixian_events (originator_id, originator_version, topic, state) "
            "VALUES (%s, 999, %s, %s)",
            (row["originator_id"], row["topic"], json.dumps(forged).encode()),
        )
    report = check(s, store)
    assert not report.ok
    assert any("never went through the intake" in str(f) for f in report.findings)


def test_rewriting_the_log_to_match_is_caught_by_the_signed_checkpoint(
    audited: tuple[Settings, EventStore],
) -> None:
    s, store = audited
    sql(
        store,
        "UPDATE dixian_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
        "'\"schema_version\":1', '\"schema_version\":2'), 'UTF8') WHERE notification_id = 3",
    )
    # The intruder also rebuilds the leaves and nodes so that they agree with the edit.
    with projection_pool(s) as pool:
        ProjectionRunner(store, pool, PROJECTIONS["audit_log"](), 1000).rebuild()
    report = check(s, store)
    assert not report.ok
    assert [str(f) for f in report.findings if "rewritten" in str(f)]


def test_an_inclusion_proof_exported_today_verifies_offline_against_todays_checkpoint(
    audited: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = audited
    with projection_pool(s) as pool:  # the proof finds the event through the audit trail
        runner = ProjectionRunner(store, pool, AuditTrail(), 1000)
        runner.setup()
        runner.catch_up()
    with store.connection() as conn:
        row = conn.execute("SELECT event_id FROM intake_accepted LIMIT 1").fetchone()
    proof = inclusion_proof(store, str(row["event_id"]), "inspector-wang", "case 2026-17")
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(proof))
    key = proof["checkpoint"]["public_key"]
    assert offline.main([str(path), "--public-key", key]) == 0
    forged = dict(proof, event_bytes=base64.b64encode(b'{"v":1}').decode(), event={"v": 1})
    path.write_text(json.dumps(forged))
    assert offline.main([str(path), "--public-key", key]) == 1


def test_a_later_checkpoint_is_shown_to_extend_an_earlier_one(
    audited: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = audited
    intake(store, 100).process(as_raw(village_messages("A2"), "events2"))
    old_size = check(s, store).logged
    new = checkpoint_now(s, store)
    proof = consistency_proof(store, old_size, new["tree_size"])
    path = tmp_path / "consistency.json"
    path.write_text(json.dumps(proof))
    assert offline.main([str(path), "--public-key", new["public_key"]]) == 0
    assert check(s, store).checkpoints_ok == 2
