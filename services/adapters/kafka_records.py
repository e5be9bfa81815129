"""Kafka records read as Kafka's own client reads them: a header key that is not UTF-8.

aiokafka decodes header keys strictly; one record whose header key is not UTF-8 (Go clients
can send one) makes every fetch of its partition raise, for ever, and drops the records the
same fetch drained from other partitions. The Java client decodes such a key with
replacement and reads on. So do we: the record batch that raised is read again by aiokafka's
own pure-Python reader with the key's bytes escaped (b"\\xff" becomes the text "\\xff"), and
the intake judges the record like any other. Installed once by `install()`; the test of
tests/e2e/test_hostile_records.py fails if a new aiokafka stops calling what this wraps.
"""

from __future__ import annotations

import struct
from typing import Any

from aiokafka.consumer import fetcher
from aiokafka.record.default_records import _DefaultRecordBatchPy
from aiokafka.record.memory_records import MemoryRecords

_LENGTH_AT, _OVERHEAD, _MAGIC_AT = 8, 12, 16  # the record batch's layout (v0 … v2)


class _LenientBytes(bytearray):
    """A buffer whose slices decode with the undecodable bytes escaped."""

    def __getitem__(self, index: Any) -> Any:
        got = super().__getitem__(index)
        return _LenientBytes(got) if isinstance(index, slice) else got

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return super().decode(encoding, "backslashreplace")


class _LenientBatch(_DefaultRecordBatchPy):
    """aiokafka's pure-Python v2 batch, its header keys decoded leniently."""

    def __init__(self, buffer: bytes | memoryview) -> None:
        super().__init__(buffer)
        self._buffer = _LenientBytes(self._buffer)

    def _maybe_uncompress(self) -> None:
        super()._maybe_uncompress()
        if not isinstance(self._buffer, _LenientBytes):
            self._buffer = _LenientBytes(self._buffer)


class _Batch:
    """The C reader's batch; should one of its records not decode, the rest of the batch
    (that record included) comes from the lenient reader."""

    def __init__(self, fast: Any, raw: memoryview) -> None:
        self._fast, self._raw = fast, raw
        self._records: Any = None
        self._read = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fast, name)

    def __iter__(self) -> _Batch:
        self._records = iter(self._fast)
        return self

    def __next__(self) -> Any:
        try:
            record = next(self._records)
        except UnicodeDecodeError:
            if self._raw[_MAGIC_AT] < 2:
                raise  # v0/v1 have no headers: not this failure
            lenient = iter(_LenientBatch(self._raw))
            for _ in range(self._read):
                next(lenient)
            self._records = lenient
            record = next(self._records)
        self._read += 1
        return record


class _Records:
    """aiokafka's (C) record set, each batch knowing its own bytes."""

    def __init__(self, data: bytes) -> None:
        self._fast = MemoryRecords(data)
        self._data, self._pos = memoryview(data), 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fast, name)

    def has_next(self) -> bool:
        return bool(self._fast.has_next())

    def next_batch(self) -> Any:
        batch = self._fast.next_batch()
        if batch is None:
            return None
        start = self._pos
        (length,) = struct.unpack_from(">i", self._data, start + _LENGTH_AT)
        self._pos = start + _OVERHEAD + length
        return _Batch(batch, self._data[start : self._pos])


def install() -> None:
    """Make aiokafka's fetcher read record sets through `_Records` (once per process)."""
    fetcher.MemoryRecords = _Records  # type: ignore[misc,assignment]
