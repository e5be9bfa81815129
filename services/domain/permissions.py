"""Producer permissions: which source system may emit which event types.

Civil affairs can report an allowance granted, not decide an identification. The matrix is
configuration (DIXIAN_PERMISSIONS_FILE, a JSON object source → [event types]); the default
follows who does each step in the seed's procedure, as the registry of event types
(services.domain.registry) declares it.
"""

from __future__ import annotations

import json
from pathlib import Path

from events.catalog import EVENT_TYPES
from services.domain.registry import DEPARTMENTS, default_permissions

__all__ = ["DEFAULT_PERMISSIONS", "DEPARTMENTS", "Permissions"]

DEFAULT_PERMISSIONS: dict[str, tuple[str, ...]] = default_permissions()  # from the registry


class Permissions:
    """The matrix, checked for every message."""

    def __init__(self, matrix: dict[str, tuple[str, ...]] | None = None) -> None:
        matrix = DEFAULT_PERMISSIONS if matrix is None else matrix
        unknown = {t for types in matrix.values() for t in types} - set(EVENT_TYPES)
        if unknown:
            raise ValueError(f"the permissions name unknown event types: {sorted(unknown)}")
        self.matrix = {source: frozenset(types) for source, types in matrix.items()}

    def refusal(self, source_system: str, event_type: str) -> tuple[str, str] | None:
        """None if allowed, else (reason code, sentence)."""
        allowed = self.matrix.get(source_system)
        if allowed is None:
            return "SOURCE_UNKNOWN", f"{source_system!r} is not a known producer"
        if event_type not in allowed:
            return "PRODUCER_NOT_PERMITTED", f"{source_system} may not emit {event_type}"
        return None

    @classmethod
    def from_file(cls, path: Path) -> Permissions:
        return cls({k: tuple(v) for k, v in json.loads(path.read_text()).items()})
