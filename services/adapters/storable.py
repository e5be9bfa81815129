"""Text as PostgreSQL can hold it. `text` and `jsonb` refuse NUL, and UTF-8 refuses an
unpaired surrogate: either in one row would fail a whole batch, so every text that comes
from outside (a reason quoting a producer's value, a note in a projection) passes here.
The original bytes are kept in `bytea` wherever they matter; this is for reading."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def storable(text: str) -> str:
    """The text with NUL and lone surrogates written as visible escapes (\\u0000)."""
    if text.isascii():
        if "\x00" not in text:
            return text
    elif "\x00" not in text:
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            pass
    return "".join(
        f"\\u{ord(c):04x}" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in text
    )


def storable_value(value: Any) -> Any:
    """A JSON-like value with every string (keys too) made storable."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): storable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_value(v) for v in value]
    return value


def storable_json(value: Any, **dumps: Any) -> str:
    """JSON text that a `jsonb` column accepts, whatever strings the value holds."""
    text = json.dumps(value, ensure_ascii=False, **dumps)
    if "\\u0000" in text:
        return json.dumps(storable_value(value), ensure_ascii=False, **dumps)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(storable_value(value), ensure_ascii=False, **dumps)
    return text


def text_array(values: Iterable[object]) -> str:
    """A PostgreSQL array literal of the values' text (for `%s::text[]` or `::uuid[]`):
    psycopg dumping a list element by element cost more than the query it served."""
    return "{" + ",".join(_quoted(str(v)) for v in values) + "}"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
