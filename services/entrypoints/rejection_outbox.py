"""The rejected topics' outbox: each stored rejection published once onto its producer's
rejected topic (`dixian.rejected.SOURCE`), with the original bytes, or as a notice of itself
when too large for the topic. Rows are leased to one drain (services.adapters.intake_store),
so two workers, or a start-up drain racing a batch's, never publish the same rejection."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
from typing import Any

from aiokafka.errors import MessageSizeTooLargeError, RecordListTooLargeError, RecordTooLargeError

from events.rejection import RejectedMessage
from services.settings import UNATTRIBUTED, Settings
from services.usecases.intake.unit_of_work import IntakeUnitOfWork

log = logging.getLogger("dixian.intake")


class RejectionOutbox:
    """Publishes the stored rejections not yet published, through faststream publishers."""

    def __init__(self, settings: Settings, uow: IntakeUnitOfWork, publishers: dict[str, Any]):
        self.settings, self.uow, self.publishers = settings, uow, publishers

    async def publish(self, limit: int = 500) -> int:
        """In order, each marked as it goes (at least once, and once unless the process dies
        between the two); what is left after a failure goes back to the outbox."""
        try:
            rows = await asyncio.to_thread(self.uow.unpublished_rejections, limit)
        except Exception:
            log.exception("the rejections outbox could not be read; trying after the next batch")
            return 0
        sent = 0
        for row in rows:
            try:
                await self._publish(row)
                await asyncio.to_thread(self.uow.mark_published, [row["rejection_id"]])
            except Exception:
                log.exception(
                    "rejection %d not published; the outbox tries again after the next batch",
                    row["rejection_id"],
                )
                left = [r["rejection_id"] for r in rows[sent:]]
                try:
                    await asyncio.to_thread(self.uow.release_rejections, left)
                except Exception:  # their lease runs out by itself
                    log.exception("the outbox's leases could not be given back")
                break
            sent += 1
        return sent

    async def _publish(self, row: dict[str, Any]) -> None:
        key = bytes(row["message_key"]) if row["message_key"] is not None else None
        headers = {"dixian-reason-code": row["reason_code"]}
        size = len(row["message_value"] or b"") + len(key or b"")
        whole = size * 4 // 3 + 2048 <= self.settings.rejected_max_bytes  # base64, and the rest
        publisher = self.publishers.get(
            row.get("source_system") or UNATTRIBUTED, self.publishers[UNATTRIBUTED]
        )
        try:
            await publisher.publish(rejected_message(row, whole), key=key, headers=headers)
        except (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError):
            if not whole:
                raise
            await publisher.publish(rejected_message(row, whole=False), key=key, headers=headers)


def rejected_message(row: dict[str, Any], whole: bool = True) -> RejectedMessage:
    """The rejected topic's message for a stored rejection: with the original bytes, or (too
    large for the topic) a notice with their size and SHA-256 instead."""
    value = bytes(row["message_value"]) if row["message_value"] is not None else None
    return RejectedMessage(
        rejection_id=row["rejection_id"],
        reason_code=row["reason_code"],
        reason=row["reason"],
        topic=row["topic"],
        partition=row["partition"],
        offset=row["offset"],
        key_base64=_b64(row["message_key"]),
        value_base64=_b64(value) if whole else None,
        value_bytes=len(value) if value is not None else None,
        value_sha256=hashlib.sha256(value).hexdigest() if value is not None else None,
        value_omitted=not whole,
        event_id=str(row["event_id"]) if row["event_id"] else None,
        event_type=row["event_type"],
        household_id=row["household_id"],
        source_system=row.get("source_system"),
        rejected_at=row["rejected_at"],
    )


def _b64(value: bytes | memoryview | None) -> str | None:
    return None if value is None else base64.b64encode(bytes(value)).decode("ascii")
