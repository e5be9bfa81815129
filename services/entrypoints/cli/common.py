"""What every command shares: the store it opens, the errors it reports (a reason code and
a sentence, never a traceback), and how it prints — JSON with times in ISO 8601 and their
offset, tables with times in the configured time zone."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from services.adapters.eventstore import EventStore
from services.settings import Settings

USAGE, NOT_FOUND, FAILED = 2, 1, 1  # the exit statuses (0: done)


class CommandError(Exception):
    """What went wrong, for a person: a stable reason code, a sentence saying what to do,
    and the exit status (1: not found or a failed check; 2: a usage error)."""

    def __init__(self, code: str, detail: str, status: int = FAILED) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.status = code, detail, status


def kafka_unreachable(error: BaseException) -> CommandError:
    """The line for a broker that does not answer (or refuses our credentials)."""
    said = str(error) or "no answer in time"
    name = type(error).__name__
    what = said if said.startswith(name) else f"{name}: {said}"
    return CommandError(
        "KAFKA_UNREACHABLE",
        f"the Kafka cluster does not answer ({what}); check DIXIAN_KAFKA_BOOTSTRAP and the "
        "security settings",
    )


def not_found(code: str, detail: str) -> CommandError:
    return CommandError(code, detail, NOT_FOUND)


def usage(code: str, detail: str) -> CommandError:
    return CommandError(code, detail, USAGE)


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


_zone: ZoneInfo = ZoneInfo("Asia/Shanghai")


def set_zone(zone: ZoneInfo) -> None:
    """The time zone every view shows times in (DIXIAN_DISPLAY_TIMEZONE)."""
    global _zone
    _zone = zone


def local(value: datetime | str) -> datetime:
    """A time (or an ISO 8601 text of one) in the configured zone."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(_zone)


def shown(value: datetime | str | None) -> str:
    """A time as a person reads it: in the configured zone, to the second, with its offset."""
    if value is None or value == "":
        return ""
    try:
        return local(value).isoformat(sep=" ", timespec="seconds")
    except ValueError:
        return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def print_json(value: Any, path: Path | None = None) -> None:
    """JSON to stdout, or to a file (saying where): nulls as null, times with their offset."""
    text = json.dumps(value, ensure_ascii=False, indent=2, default=_plain)
    if path:
        try:
            path.write_text(text + "\n")
        except OSError as e:
            raise CommandError("FILE_NOT_WRITTEN", f"cannot write {path}: {e.strerror}") from None
        print(f"written to {path}")
    else:
        print(text)


def nulls(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows for JSON: the empty cells of a table are nulls."""
    return [{k: (None if v == "" else v) for k, v in r.items()} for r in rows]


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output (JSON)")


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {n}")
    return n


def a_day(text: str) -> date:
    """An argparse type: a day as YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def an_id(text: str) -> UUID:
    """An argparse type: a UUID."""
    try:
        return UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a UUID: {text!r}") from None
