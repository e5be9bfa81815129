"""Temporary stores on disk, so that what a long file yields is not held in memory: the rows
of an export that is not grouped by household, kept as the sheet has them under their
household's number (SQLite in a temporary file, its page cache and sorter bounded) and read
back grouped, households in the order of their numbers (the shorter, then the lower), each
one's rows in the sheet's order; and messages spooled to be sent once the file is read
through. Both are deleted when closed."""

from __future__ import annotations

import pickle
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH = 5000  # rows inserted at once
_LENGTHS = struct.Struct("<II")


class RowSpill:
    """Rows put under their household (`put`), then every row back grouped (`rows`)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="dixian-rows-")
        self._db = sqlite3.connect(Path(self._dir.name) / "rows.db", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "temp_store=FILE"):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute("CREATE TABLE rows (h TEXT, n INTEGER, row BLOB)")
        self._batch: list[tuple[str, int, bytes]] = []

    def put(self, household_id: str, number: int, row: Any) -> None:
        self._batch.append((household_id, number, pickle.dumps(row, pickle.HIGHEST_PROTOCOL)))
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO rows VALUES (?, ?, ?)", self._batch)
        self._batch = []

    def rows(self) -> Iterator[tuple[int, Any]]:
        """(number, row) of every row put, grouped by household: households by their
        numbers (shorter, then lower), a household's rows by their numbers."""
        self._flush()
        loads = pickle.loads
        query = "SELECT n, row FROM rows ORDER BY length(h), h, n"
        for n, blob in self._db.execute(query):
            yield n, loads(blob)

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def __enter__(self) -> RowSpill:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Spool:
    """(key, value) pairs written as they come (`write`), read back once (`read`)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="dixian-spool-")  # noqa: SIM115 (closed by close)
        self.count = 0

    def write(self, key: str, value: bytes) -> None:
        k = key.encode()
        self._file.write(_LENGTHS.pack(len(k), len(value)) + k + value)
        self.count += 1

    def clear(self) -> None:
        self._file.seek(0)
        self._file.truncate()
        self.count = 0

    def read(self) -> Iterator[tuple[str, bytes]]:
        f = self._file
        f.flush()
        f.seek(0)
        read, size = f.read, _LENGTHS.size
        for _ in range(self.count):
            klen, vlen = _LENGTHS.unpack(read(size))
            yield read(klen).decode(), read(vlen)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
