"""Corrections: nothing is edited; a wrong record is retracted or amended by a new event."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field

from events.common import Text
from events.envelope import Contract


class EventRetracted(Contract):
    """An earlier event of this household is declared void; history keeps both."""

    target_event_id: UUID = Field(description="The event retracted.")
    reason: Text = Field(min_length=1, description="Why it was wrong.")


class EventAmended(Contract):
    """An earlier event's payload is replaced; history keeps both."""

    target_event_id: UUID = Field(description="The event amended.")
    reason: Text = Field(min_length=1, description="What was wrong.")
    amended_payload: dict[str, Any] = Field(
        description="The full corrected payload, valid for the target's event type."
    )
