"""What every command shares: the store it opens, and how it prints."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from services.adapters.eventstore import EventStore
from services.settings import Settings


@contextlib.contextmanager
def database(settings: Settings) -> Iterator[Settings]:
    """The settings on the configured PostgreSQL — or, with none configured, on the
    embedded server of the demo (a development tool, imported only then)."""
    if settings.pg_url is not None:
        yield settings
        return
    from services.devtools.embedded import servers

    with servers(settings, kafka=False) as s:
        yield s


@contextlib.contextmanager
def open_store(settings: Settings) -> Iterator[tuple[Settings, EventStore]]:
    """The event store on that database."""
    with database(settings) as s:
        store = EventStore(s)
        try:
            yield s, store
        finally:
            store.close()


def print_json(value: Any, path: Path | None = None) -> None:
    """JSON to stdout, or to a file (saying where)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if path:
        path.write_text(text + "\n")
        print(f"written to {path}")
    else:
        print(text)
