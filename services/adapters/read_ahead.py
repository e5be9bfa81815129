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
    """The chunks `read(put)` puts, in order, read by a thread at most `depth` chunks
    ahead; `read` returns when it has put the last one, or when `put` returns False."""
    chunks: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            read(put)
            put(_END)
        except BaseException as e:  # handed to the caller, raised there
            put(_Failed(e))

    reader = threading.Thread(target=run, name=name, daemon=True)
    reader.start()
    try:
        while (item := chunks.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()
