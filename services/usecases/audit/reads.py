"""Reads are audited too: every read of a household's personal information by a person is
recorded (who, what, when, why) as an event in the store and its Merkle log, before the
data is shown; inspectors list them (the personal_data_reads projection)."""

from __future__ import annotations

from typing import Any

from projections.personal_data_reads import PersonalDataReads
from services.adapters.eventstore import EventStore
from services.domain.reads import PersonalDataRead


class ReaderRequired(Exception):
    """A person must say who they are and why before reading personal information."""


def record_read(
    store: EventStore, reader: str | None, purpose: str | None, household_id: str, what: str
) -> None:
    if not reader or not purpose:
        raise ReaderRequired(
            "READER_REQUIRED: say who reads and why (--reader, --purpose, or DIXIAN_READER "
            "and DIXIAN_READ_PURPOSE); every read of personal information is recorded"
        )
    store.append([PersonalDataRead.record(reader, purpose, household_id, what)])


def reads(
    store: EventStore, household_id: str | None = None, catch_up: bool = True
) -> list[dict[str, Any]]:
    """The recorded reads (of one household, or all), oldest first: the reads' table brought
    up to the store first (`catch_up`; where the projections run, they keep it so)."""
    if catch_up:
        _catch_up(store)
    with store.connection() as conn:
        conn.execute(PersonalDataReads.ddl)
        where, params = ("WHERE household_id = %s", (household_id,)) if household_id else ("", ())
        return conn.execute(  # type: ignore[no-any-return]
            f"SELECT read_id, reader, purpose, household_id, what, read_at "
            f"FROM personal_data_reads {where} ORDER BY read_id",
            params,
        ).fetchall()


def _catch_up(store: EventStore) -> None:
    """Bring the reads' table up to the store first: a read just recorded is listed."""
    from projections.runner import ProjectionRunner, store_pool

    with store_pool(store) as pool:
        runner = ProjectionRunner(store, pool, PersonalDataReads(), 5000)
        runner.setup()
        runner.catch_up()
