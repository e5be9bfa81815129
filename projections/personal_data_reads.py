"""Who read whose personal information, why and when: one row per recorded read (the reads
are events of the store, services.domain.reads; this is their table for queries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from psycopg import Cursor

from projections.runner import Positioned
from services.adapters.storable import storable
from services.domain.reads import TOPIC_PREFIX


class PersonalDataReads:
    name = "personal_data_reads"
    tables = ("personal_data_reads",)
    topics = (TOPIC_PREFIX,)
    ddl = """
    CREATE TABLE IF NOT EXISTS personal_data_reads (
        read_id bigint PRIMARY KEY,
        reader text NOT NULL,
        purpose text NOT NULL,
        household_id text NOT NULL,
        what text NOT NULL,
        read_at timestamptz NOT NULL
    );
    CREATE INDEX IF NOT EXISTS personal_data_reads_household
        ON personal_data_reads (household_id, read_at);
    CREATE INDEX IF NOT EXISTS personal_data_reads_reader
        ON personal_data_reads (reader, read_at);
    """

    def apply(self, cur: Cursor[Any], events: Sequence[Positioned], store: Any) -> None:
        with cur.copy(
            "COPY personal_data_reads (read_id, reader, purpose, household_id, what, read_at) "
            "FROM STDIN"
        ) as copy:
            for position, e in events:
                copy.write_row(
                    (
                        position,
                        storable(e.reader),  # type: ignore[attr-defined]
                        storable(e.purpose),  # type: ignore[attr-defined]
                        storable(e.household_id),
                        storable(e.what),  # type: ignore[attr-defined]
                        e.timestamp,
                    )
                )
