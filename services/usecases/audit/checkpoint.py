"""Sign the audit log now: bring it up to the store, then sign a checkpoint of it."""

from __future__ import annotations

from typing import Any

from projections.audit_log import AuditLogProjection
from projections.runner import ProjectionRunner, projection_pool
from services.adapters.audit_log import Signer, make_checkpoint
from services.adapters.eventstore import EventStore
from services.settings import Settings


def checkpoint_now(settings: Settings, store: EventStore) -> dict[str, Any]:
    """Bring the audit log up to the store, then sign it."""
    with projection_pool(settings) as pool:
        runner = ProjectionRunner(store, pool, AuditLogProjection(), settings.projection_batch_size)
        runner.setup()
        runner.catch_up()
        with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            return make_checkpoint(cur, Signer(settings.signing_key_file()))
