"""Sign the audit log now (bring it up to the store, then sign a checkpoint of it), and hand
it to a new key."""

from __future__ import annotations

from typing import Any

from projections.audit_log import AuditLogProjection
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.audit_log import Signer, make_checkpoint, rotation_note
from services.adapters.eventstore import EventStore
from services.domain.audit.keys import KeyRotation
from services.settings import Settings


def checkpoint_now(settings: Settings, store: EventStore) -> dict[str, Any]:
    """Bring the audit log up to the store, then sign it."""
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, AuditLogProjection(), settings.projection_batch_size)
        runner.setup()
        runner.catch_up()
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            return make_checkpoint(cur, settings.signer())


def rotate_key(settings: Settings, store: EventStore, new: Signer) -> dict[str, Any]:
    """Hand the log to a new key: a note signed by the old key and the new, kept, and logged
    in the store as an event (so the rotation is in the Merkle log); then a checkpoint signed
    by the new key. Configure DIXIAN_AUDIT_KEY_FILE with the new key afterwards."""
    old = settings.signer()
    note = rotation_note(old, new)
    with store.connection() as conn:
        conn.execute(
            "INSERT INTO audit_key_rotations (old_key, new_key, note) VALUES (%s, %s, %s)",
            (old.public_key, new.public_key, note),
        )
    store.append([KeyRotation.record(old.public_key, new.public_key, note)])
    checkpoint = checkpoint_now(settings.model_copy(update={"audit_key_file": new.key_file}), store)
    return {"old_key": old.public_key, "new_key": new.public_key, "note": note,
            "checkpoint": checkpoint}  # fmt: skip
