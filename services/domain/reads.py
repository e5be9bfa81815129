"""A read of a household's personal information by a person, as an event in the same store
and Merkle log as everything else: who read whose data, why, and what. Inspectors see the
reads; nobody can remove one unnoticed. This module's path is part of the stored topic."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate

TOPIC_PREFIX = f"{__name__}:"

# What was read, as the record says it (`what`): one of these kinds, then what it names (a
# proof's event id). The words stay as recorded, for the records already in the store; the
# pages show each kind in Chinese (`read_kind`, the catalogue's `read` section).
READ_KINDS = ("household history", "household search by name", "public notice", "audit prove")


def read_kind(what: str) -> tuple[str, str]:
    """A record's `what` as (kind, detail): `audit prove E1` → ("audit prove", "E1"); a text
    of no known kind is its own detail."""
    for kind in READ_KINDS:
        if what == kind or what.startswith(kind + " "):
            return kind, what[len(kind) :].strip()
    return "", what


class PersonalDataRead(Aggregate):
    """One read, recorded before the data is shown."""

    class Recorded(Aggregate.Created):
        reader: str
        purpose: str
        household_id: str
        what: str

        def apply(self, r: Any) -> None:
            r.reader, r.purpose = self.reader, self.purpose
            r.household_id, r.what = self.household_id, self.what

    @classmethod
    def record(cls, reader: str, purpose: str, household_id: str, what: str) -> PersonalDataRead:
        return cls._create(
            cls.Recorded,
            id=uuid4(),
            reader=reader,
            purpose=purpose,
            household_id=household_id,
            what=what,
        )
