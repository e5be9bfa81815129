"""The envelope's facts as every stored household event carries them, and the aggregate id
of a household number."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple
from uuid import NAMESPACE_URL, UUID, uuid5

_HOUSEHOLD_NAMESPACE = uuid5(NAMESPACE_URL, "urn:dixian:household")


@lru_cache(maxsize=1 << 18)
def household_uuid(household_id: str) -> UUID:
    """The aggregate id of a household number: stable, so every worker computes the same.
    (Cached: a batch asks for the same few thousand again and again.)"""
    return uuid5(_HOUSEHOLD_NAMESPACE, household_id)


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
