"""The county's own operators hold the database and the signing key: each way they could try
to rewrite history unnoticed is caught and located — a same-size fork, erased and re-signed
checkpoints (against checkpoints kept elsewhere), another key, an unlogged tail — and a key
rotation is a signed, logged step that keeps old checkpoints verifiable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import as_raw, intake

from projections.registry import PROJECTIONS
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.audit_log import Signer
from services.adapters.eventstore import EventStore
from services.devtools.village import village_messages
from services.settings import Settings
from services.usecases.audit.checkpoint import checkpoint_now, rotate_key
from services.usecases.audit.publishing import checkpoint_messages
from services.usecases.audit.verify import Report, verify
from services.usecases.audit.witness import held_checkpoints

pytestmark = pytest.mark.integration

EDIT = (
    "UPDATE dixian_events SET state = convert_to(replace(convert_from(state, 'UTF8'), "
    "'\"schema_version\":1', '\"schema_version\":2'), 'UTF8') WHERE notification_id = 7"
)


@pytest.fixture
def signed(settings: Settings, tmp_path: Path) -> Iterator[tuple[Settings, EventStore]]:
    s = settings.model_copy(update={"audit_key_file": tmp_path / "key"})
    store = EventStore(s)
    intake(store, 100).process(as_raw(village_messages("X1"), "events"))
    checkpoint_now(s, store)
    yield s, store
    store.close()


def check(s: Settings, store: EventStore, key: str | None = None, **kw: object) -> Report:
    return verify(store, key or str(s.verifying_key()), origin=s.audit_origin, **kw)  # type: ignore[arg-type]


def codes(report: Report) -> set[str]:
    return {f.code for f in report.findings}


def rewrite_and_rebuild_the_log(s: Settings, store: EventStore) -> None:
    with store.connection() as conn:
        conn.execute(EDIT)
    with projection_pool(s) as pool:
        ProjectionRunner(store, pool, PROJECTIONS["audit_log"](), 1000).rebuild()


def test_a_same_size_fork_signed_with_the_real_key_is_caught(
    signed: tuple[Settings, EventStore],
) -> None:
    s, store = signed
    rewrite_and_rebuild_the_log(s, store)
    checkpoint_now(s, store)  # signed again over the rewritten history, same size
    report = check(s, store)
    assert not report.ok
    assert {"FORK", "CHECKPOINT_MISMATCH"} <= codes(report)
    assert report.first_bad is not None


def test_erased_and_re_signed_checkpoints_are_caught_against_an_export_kept_elsewhere(
    signed: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = signed
    export = tmp_path / "checkpoints.json"
    export.write_text(json.dumps(checkpoint_messages(store), default=str))  # the inspector's copy
    rewrite_and_rebuild_the_log(s, store)
    with store.connection() as conn:
        conn.execute("DELETE FROM audit_checkpoints")
    checkpoint_now(s, store)
    report = check(s, store, against=held_checkpoints(export))
    assert "CHECKPOINT_MISMATCH" in codes(report)
    assert any("kept elsewhere" in str(f) for f in report.findings)


def test_a_checkpoint_signed_with_another_key_is_not_trusted(
    signed: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = signed
    checkpoint_now(s.model_copy(update={"audit_key_file": tmp_path / "intruder.key"}), store)
    report = check(s, store)
    assert codes(report) == {"KEY_NOT_TRUSTED"}
    assert check(s, store, key=Signer(tmp_path / "intruder.key").public_key).checkpoints_ok == 1


def test_an_unlogged_tail_is_reported_and_never_verified(
    signed: tuple[Settings, EventStore],
) -> None:
    s, store = signed
    with store.connection() as conn:  # an event and its intake row, added in SQL
        row = conn.execute(
            "SELECT originator_id, topic, state FROM dixian_events WHERE notification_id = 5"
        ).fetchone()
        event = json.loads(bytes(row["state"])) | {
            "event_id": "22222222-2222-2222-2222-222222222222"
        }
        conn.execute(
            "INSERT INTO dixian_events (originator_id, originator_version, topic, state) "
            "VALUES (%s, 998, %s, %s)",
            (row["originator_id"], row["topic"], json.dumps(event).encode()),
        )
        conn.execute(
            "INSERT INTO intake_accepted (event_id, household_id, event_type, source_system, "
            "topic, partition, \"offset\") VALUES (%s, 'x', 'visit_recorded', 'village_app', "
            "'events', 0, 99999)",
            (event["event_id"],),
        )
    report = check(s, store)
    assert not report.ok and codes(report) == {"UNLOGGED_TAIL"}
    assert report.events == report.logged + 1


def test_a_leaf_deleted_in_the_middle_of_the_log_is_named_where_it_was(
    signed: tuple[Settings, EventStore],
) -> None:
    s, store = signed
    with store.connection() as conn:
        conn.execute("DELETE FROM audit_leaves WHERE leaf_index = 6")
    report = check(s, store)
    assert "LEAF_MISSING" in codes(report)
    assert report.first_bad is not None and report.first_bad.leaf_index == 6


def test_a_key_rotation_is_signed_by_both_keys_logged_and_keeps_old_checkpoints_verifiable(
    signed: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = signed
    new = Signer(tmp_path / "new.key", s.audit_origin)
    old_key = s.verifying_key()
    rotated = rotate_key(s, store, new)
    assert rotated["new_key"] == new.public_key
    with store.connection() as conn:  # the rotation is an event of the store, in the log
        assert (
            conn.execute(
                "SELECT count(*) FROM dixian_events WHERE topic LIKE '%KeyRotation%'"
            ).fetchone()["count"]
            == 1
        )
    assert check(s, store, key=old_key).ok  # from the old key, the new one is trusted
    assert check(s, store, key=new.public_key).ok  # and the other way
    assert check(s, store, key=new.public_key).checkpoints_ok == 2


def test_a_rotation_not_signed_by_the_trusted_key_extends_no_trust(
    signed: tuple[Settings, EventStore], tmp_path: Path
) -> None:
    s, store = signed
    intruder = s.model_copy(update={"audit_key_file": tmp_path / "intruder.key"})
    rotate_key(intruder, store, Signer(tmp_path / "intruder2.key", s.audit_origin))
    assert "KEY_NOT_TRUSTED" in codes(check(s, store))
