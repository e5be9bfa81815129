"""Reading ahead: a thread reads the next chunks of a long read while its caller works on
this one (the database's wait overlaps the caller's work; memory holds a few chunks). What
the reader raises is raised in the caller; a caller that stops early stops the reader."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

Put = Callable[[Any], bool]  # hands a chunk to the caller; False: the caller has stopped


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def read_ahead(read: Callable[[Put], None], depth: int, name: str) -> Iterator[Any]:
    """The chunks `read(put)` puts, in order, read by a thread at most `depth` chunks ahead
    of the one the caller has (those read and the one being read: memory holds `depth` + 1
    chunks); `read` returns when it has put the last one, or when `put` returns False."""
    chunks: queue.Queue[Any] = queue.Queue()
    room = threading.Semaphore(depth - 1)  # the reads it may start before the caller asks
    stop = threading.Event()

    def put(item: Any) -> bool:
        chunks.put(item)
        while not stop.is_set():  # the next read waits for room
            if room.acquire(timeout=0.5):
                return not stop.is_set()
        return False

    def run() -> None:
        try:
            read(put)
            chunks.put(_END)
        except BaseException as e:  # handed to the caller, raised there
            chunks.put(_Failed(e))

    reader = threading.Thread(target=run, name=name, daemon=True)
    reader.start()
    try:
        while (item := chunks.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            room.release()  # the next chunk is read while the caller works on this one
            yield item
    finally:
        stop.set()
        room.release()  # a reader waiting for room hears it at once
        reader.join()
