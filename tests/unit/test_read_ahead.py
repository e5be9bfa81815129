"""Reading ahead: the chunks in their order, the reader's error raised in its caller, and a
caller that stops early stopping the reader."""

from __future__ import annotations

import threading

import pytest

from services.adapters.read_ahead import Put, read_ahead


def _running(name: str) -> bool:
    return any(t.name == name for t in threading.enumerate())


def test_the_chunks_come_in_the_order_they_were_read() -> None:
    def read(put: Put) -> None:
        for i in range(10):
            put([i])

    assert [c for chunk in read_ahead(read, depth=2, name="t-order") for c in chunk] == list(
        range(10)
    )
    assert not _running("t-order")


def test_what_the_reader_raises_is_raised_in_its_caller_after_what_it_read() -> None:
    def read(put: Put) -> None:
        put("first")
        raise ConnectionError("the store went away")

    seen = []
    with pytest.raises(ConnectionError, match="went away"):
        for chunk in read_ahead(read, depth=1, name="t-error"):
            seen.append(chunk)
    assert seen == ["first"] and not _running("t-error")


def test_a_caller_that_stops_early_stops_the_reader() -> None:
    puts: list[bool] = []

    def read(put: Put) -> None:
        for i in range(1000):
            accepted = put(i)
            puts.append(accepted)
            if not accepted:
                return

    chunks = read_ahead(read, depth=1, name="t-stop")
    assert next(chunks) == 0
    chunks.close()  # the caller is done: the reader is told, and is gone
    assert not _running("t-stop")
    assert puts[-1] is False and len(puts) < 10
