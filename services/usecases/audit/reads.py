"""Reads are audited too: every read of a household's personal information by a person is
recorded (who, what, when, why), and inspectors can list them."""

from __future__ import annotations

from typing import Any

from services.adapters.eventstore import EventStore

READS_DDL = """
CREATE TABLE IF NOT EXISTS personal_data_reads (
    read_id bigserial PRIMARY KEY,
    reader text NOT NULL,
    purpose text NOT NULL,
    household_id text NOT NULL,
    what text NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS personal_data_reads_household
    ON personal_data_reads (household_id, read_at);
"""


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
    with store.connection() as conn:
        conn.execute(READS_DDL)
        conn.execute(
            "INSERT INTO personal_data_reads (reader, purpose, household_id, what) "
            "VALUES (%s, %s, %s, %s)",
            (reader, purpose, household_id, what),
        )


def reads(store: EventStore, household_id: str | None = None) -> list[dict[str, Any]]:
    with store.connection() as conn:
        conn.execute(READS_DDL)
        where, params = ("WHERE household_id = %s", (household_id,)) if household_id else ("", ())
        return conn.execute(  # type: ignore[no-any-return]
            f"SELECT read_id, reader, purpose, household_id, what, read_at "
            f"FROM personal_data_reads {where} ORDER BY read_id",
            params,
        ).fetchall()
