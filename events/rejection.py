"""What the intake publishes on the rejected topic, so a producer can see why."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from events.envelope import Contract

# The rejected topic of what no producer can be told of (unsigned, unreadable, naming no known
# source): PREFIX.unattributed, for the operators; every producer's own is PREFIX.SOURCE.
UNATTRIBUTED = "unattributed"


class RejectedMessage(Contract):
    """A message the intake did not accept; the original bytes are kept, base64-encoded."""

    rejection_id: int = Field(description="Stable id of the rejection (dedupe on it).")
    reason_code: str = Field(description="Stable reason code, see docs/reason-codes.md.")
    reason: str = Field(description="What was wrong, in a sentence.")
    topic: str = Field(description="Topic the message was read from.")
    partition: int = Field(description="Its partition.")
    offset: int = Field(description="Its offset.")
    key_base64: str | None = Field(description="The original key bytes, base64.")
    value_base64: str | None = Field(
        description="The original value bytes, base64; null when value_omitted is true."
    )
    value_bytes: int | None = Field(default=None, description="The original value's size.")
    value_sha256: str | None = Field(
        default=None, description="SHA-256 of the original value, hex: match it to what you sent."
    )
    value_omitted: bool = Field(
        default=False,
        description="The original bytes were too large for this topic and are left out: "
        "ask the operators for them by rejection_id (`dixian rejected --show ID --value-to FILE`).",
    )
    event_id: str | None = Field(description="The event id, when the envelope could be read.")
    event_type: str | None = Field(description="The event type, when it could be read.")
    household_id: str | None = Field(description="The household, when it could be read.")
    source_system: str | None = Field(
        default=None,
        description="Whose rejection it is: the producer whose key verified the message (or, "
        "without producer keys, the known source its envelope names); null: nobody's.",
    )
    rejected_at: datetime = Field(description="When the intake rejected it.")
