"""The envelope every event travels in, whatever its type."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from events.codes import ActorRole

HOUSEHOLD_ID_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z_-]{3,63}$"


class Contract(BaseModel):
    """Base of the public models: frozen, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Actor(Contract):
    """The person (or department system) who did what the event records."""

    person_id: str = Field(min_length=1, max_length=64, description="Person or system id.")
    role: ActorRole = Field(description="The actor's role when acting.")


class EventEnvelope(Contract):
    """One event about one household; event_id is the idempotency key."""

    event_id: UUID = Field(description="Unique id chosen by the producer; repeats are absorbed.")
    event_type: str = Field(min_length=1, max_length=64, description="One of the event types.")
    schema_version: int = Field(ge=1, description="Version of the payload schema of the type.")
    household_id: str = Field(
        pattern=HOUSEHOLD_ID_PATTERN,
        description="Household number (户编号); also the Kafka message key.",
    )
    occurred_at: AwareDatetime = Field(description="When it happened in the world.")
    recorded_at: AwareDatetime = Field(description="When the producer recorded it.")
    source_system: str = Field(
        min_length=1, max_length=64, description="The producing system, e.g. civil_affairs."
    )
    actor: Actor = Field(description="Who did it.")
    payload: dict[str, Any] = Field(description="The type's own fields (see its schema).")
    import_batch: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Set only by a declared historical import (a migration of past records, "
        "permitted by the intake's configuration): the import's id. Its events are known from "
        "the day their records say, not from the day the intake received them.",
    )
