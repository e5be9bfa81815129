"""JSON written by orjson, returned as it is by the routes that answer most (a history, a
page of problems): no second pass through the response model; dates, times, UUIDs and
decimals as JSON has them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from fastapi.responses import JSONResponse


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    raise TypeError(type(value).__name__)


class JSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)
