"""The processes' logs: one line per record, as JSON or as text with key=value fields, at the
configured level. A record's fields are what the call passes as `extra`, e.g.
`log.info("batch stored", extra={"records": 2000, "accepted": 1990})`."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

# The attributes every LogRecord has: anything else on a record is a field of the line.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_NOISY = ("aiokafka", "kafka", "faststream", "psycopg", "psycopg.pool", "eventsourcing")


def fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class _Formatter(logging.Formatter):
    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self.zone = zone

    def when(self, record: logging.LogRecord) -> str:
        return datetime.fromtimestamp(record.created, self.zone).isoformat(timespec="milliseconds")


class JsonFormatter(_Formatter):
    """{"time", "level", "logger", "message", …fields, "error"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.when(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **fields(record),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(_Formatter):
    """TIME LEVEL LOGGER message key=value … (and the traceback, if any, below)."""

    def format(self, record: logging.LogRecord) -> str:
        extra = " ".join(f"{k}={_text(v)}" for k, v in fields(record).items())
        line = f"{self.when(record)} {record.levelname} {record.name} {record.getMessage()}"
        line += f" {extra}" if extra else ""
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def configure(
    level: str = "WARNING",
    form: str = "text",
    zone: str = "Asia/Shanghai",
    stream: TextIO | None = None,
    libraries: str = "WARNING",
) -> None:
    """Log to stderr (or `stream`) at `level`, as `form` ("json" or "text"). The libraries'
    own chatter is kept at `libraries` unless DEBUG is asked for."""
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter = JsonFormatter if form == "json" else TextFormatter
    handler.setFormatter(formatter(ZoneInfo(zone)))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _NOISY:
        logging.getLogger(name).setLevel(level if level == "DEBUG" else libraries)
