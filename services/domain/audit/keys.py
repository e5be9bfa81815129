"""A rotation of the audit log's signing key, as an event in the store (and so in the
Merkle log it is about): the old key and the new, and the note both signed. This module's
path is part of the stored topic."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate


class KeyRotation(Aggregate):
    class Recorded(Aggregate.Created):
        old_key: str
        new_key: str
        note: str

        def apply(self, k: Any) -> None:
            k.old_key, k.new_key, k.note = self.old_key, self.new_key, self.note

    @classmethod
    def record(cls, old_key: str, new_key: str, note: str) -> KeyRotation:
        return cls._create(cls.Recorded, id=uuid4(), old_key=old_key, new_key=new_key, note=note)
