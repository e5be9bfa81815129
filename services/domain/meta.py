"""The envelope's facts as every stored household event carries them."""

from __future__ import annotations

from typing import Any, NamedTuple


class Meta(NamedTuple):
    """The envelope's facts every stored event carries: what, whose, when, who, whence.
    (Immutable; a named tuple, made per message at a third of a frozen dataclass's cost.)"""

    event_id: str
    event_type: str
    schema_version: int
    household_id: str
    occurred_at: str
    recorded_at: str
    source_system: str
    actor_id: str
    actor_role: str
    attestation: str = "unverified"  # "signature:<producer>" when the producer's key verified
    import_batch: str | None = None  # a declared historical import's id

    def as_fields(self) -> dict[str, Any]:
        """The fields as a dict (flat values only, so no deep copy as `asdict` makes)."""
        return dict(zip(self._fields, self, strict=True))
