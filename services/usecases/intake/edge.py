"""The intake's edge: the bytes of one Kafka record to a validated event, or a reason code.

The cheap limits come first (size, then JSON with its depth, text and member limits), then
the envelope and the payload, then the clock. A message that fails any of them is refused
with a stable code; nothing here can raise anything but ContractViolation for any input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
from pydantic import BaseModel, Field, TypeAdapter, ValidationError, create_model

from events.catalog import (
    EVENT_TYPES,
    ContractViolation,
    ParsedEvent,
    first_error,
    validate_payload,
)
from events.envelope import EventEnvelope

CHINA = timezone(timedelta(hours=8))  # the county's day: what a payload's date means


@dataclass(frozen=True, slots=True)
class EdgeLimits:
    """What one message may be at most (DIXIAN_MAX_* settings)."""

    max_message_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_text_chars: int = 10_000
    max_members: int = 100
    future_skew: timedelta = timedelta(minutes=10)


def parse_message(
    raw: bytes, limits: EdgeLimits | None = None, now: datetime | None = None
) -> ParsedEvent:
    """Parse and validate one message value received at `now`, or raise ContractViolation."""
    limits = limits or EdgeLimits()
    now = now or datetime.now(UTC)
    if len(raw) > limits.max_message_bytes:
        raise ContractViolation(
            "MESSAGE_TOO_LARGE",
            f"the message has {len(raw)} bytes, more than {limits.max_message_bytes}",
        )
    if _plain(raw, limits):
        one = _one_pass(raw, limits)
        if one is not None:
            check_not_in_future(one.envelope, one.payload, limits, now)
            return one
    data = _json(raw)
    if raw.count(b"{") + raw.count(b"[") > limits.max_depth or len(raw) > limits.max_text_chars:
        _inspect(data, limits)  # only a message that could break a limit is walked
    elif b"\\u0000" in raw:
        _inspect(data, limits)
    if not isinstance(data, dict):
        raise ContractViolation("ENVELOPE_INVALID", "the message is JSON but not an object")
    try:
        envelope = EventEnvelope.model_validate(data)
    except ValidationError as e:
        raise ContractViolation("ENVELOPE_INVALID", first_error(e)) from None
    entry = EVENT_TYPES.get(envelope.event_type)
    if entry is None:
        raise ContractViolation(
            "UNKNOWN_EVENT_TYPE", f"{envelope.event_type!r} is not one of the event types"
        )
    model, version = entry
    if envelope.schema_version != version:
        raise ContractViolation(
            "UNSUPPORTED_SCHEMA_VERSION",
            f"{envelope.event_type} is at schema version {version}, got {envelope.schema_version}",
        )
    members = envelope.payload.get("members")
    if isinstance(members, list) and len(members) > limits.max_members:
        raise ContractViolation(
            "TOO_MANY_MEMBERS",
            f"{len(members)} members, more than {limits.max_members} in one household",
        )
    payload = validate_payload(model, envelope.payload)
    check_not_in_future(envelope, payload, limits, now)
    return ParsedEvent(envelope=envelope, payload=payload)


# What the one pass leaves to the two steps, which name its reason code: a message that
# could break a limit, a NUL or a lone surrogate (orjson refuses those, pydantic's parser
# does not), NaN or Infinity (JSON has neither). Substring tests: a regular expression
# over the bytes cost a third of the validation; the escapes are looked for only where a
# \u escape is (rare: producers write UTF-8).
_ESCAPES = (b"\\u0000", b"\\ud", b"\\uD")


def _plain(raw: bytes, limits: EdgeLimits) -> bool:
    return (
        len(raw) <= limits.max_text_chars
        and raw.count(b"{") + raw.count(b"[") <= limits.max_depth
        and (b"\\u" not in raw or not any(marker in raw for marker in _ESCAPES))
        and b"NaN" not in raw
        and b"Infinity" not in raw
    )


@cache
def _typed_envelopes() -> TypeAdapter[Any]:
    """Every event type's envelope with its payload's model, told apart by event_type and
    schema_version: one validation of the bytes instead of a parse and two validations."""
    typed = [
        create_model(
            f"Typed_{event_type}",
            __base__=EventEnvelope,
            event_type=(Literal[event_type], ...),  # type: ignore[valid-type]
            schema_version=(Literal[version], ...),  # type: ignore[valid-type]
            payload=(model, ...),
        )
        for event_type, (model, version) in EVENT_TYPES.items()
    ]
    return TypeAdapter(Annotated[Union[tuple(typed)], Field(discriminator="event_type")])  # noqa: UP007


def _one_pass(raw: bytes, limits: EdgeLimits) -> ParsedEvent | None:
    """The message validated in one pass, or None: then the two steps find what is wrong
    with it (or, for too many members, say so before the payload's own errors)."""
    try:
        typed = _typed_envelopes().validate_json(raw)
    except ValidationError:
        return None
    payload = typed.payload
    # (asked of the class: a missing attribute costs pydantic an exception)
    if "members" in field_names(type(payload)) and len(payload.members) > limits.max_members:
        return None
    # The typed envelope is an EventEnvelope whose payload is its model (copying it into
    # a plain envelope cost as much as the validation).
    return ParsedEvent(envelope=typed, payload=payload)


@cache
def field_names(model: type[BaseModel]) -> frozenset[str]:
    """A model's field names (pydantic's `model_fields` is a descriptor: 3 % of a batch)."""
    return frozenset(model.model_fields)


def _json(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        text = str(e)
        if "depth limit" in text:
            raise ContractViolation("JSON_TOO_DEEP", "the JSON nests too deep") from None
        if "surrogate" in text and "not valid UTF-8" not in text:
            raise ContractViolation(
                "TEXT_NOT_STORABLE", "a string holds an unpaired UTF-16 surrogate"
            ) from None
        raise ContractViolation("NOT_JSON", f"the message is not UTF-8 JSON: {text}") from None
    except Exception as e:  # nothing a producer sends may escape as an error
        raise ContractViolation(
            "NOT_JSON", f"the message is not JSON: {type(e).__name__}"
        ) from None


def _inspect(data: Any, limits: EdgeLimits) -> None:
    """Walk the parsed JSON without recursion: depth, text length, and text PostgreSQL
    cannot hold (NUL). A key counts as text."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _text(value, limits)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > limits.max_depth:
            raise ContractViolation(
                "JSON_TOO_DEEP", f"the JSON nests deeper than {limits.max_depth} levels"
            )
        if isinstance(value, dict):
            for k, v in value.items():
                _text(k, limits)
                stack.append((v, depth + 1))
        else:
            stack.extend((v, depth + 1) for v in value)


def _text(value: str, limits: EdgeLimits) -> None:
    if "\x00" in value:
        raise ContractViolation(
            "TEXT_NOT_STORABLE",
            "a string holds a NUL character (\\u0000), which no name, note or id contains",
        )
    if len(value) > limits.max_text_chars:
        raise ContractViolation(
            "TEXT_TOO_LONG",
            f"a string of {len(value)} characters, more than {limits.max_text_chars}",
        )


def check_not_in_future(
    envelope: EventEnvelope | None, payload: BaseModel, limits: EdgeLimits, now: datetime
) -> None:
    """OCCURRED_IN_FUTURE: what has not happened yet cannot be recorded as having happened.
    Times are compared with the intake's clock plus the allowed skew; a payload's dates
    (days in the county) with the county's day at that time."""
    latest, last_day = _latest(now, limits.future_skew)
    if envelope is not None:
        if envelope.occurred_at > latest:
            raise _future("occurred_at", envelope.occurred_at, latest)
        if envelope.recorded_at > latest:
            raise _future("recorded_at", envelope.recorded_at, latest)
    found = _future_in(payload, latest, last_day)
    if found is not None:
        path, value = found
        raise _future(f"payload.{path}", value, latest if isinstance(value, datetime) else last_day)


@lru_cache(maxsize=8)
def _latest(now: datetime, skew: timedelta) -> tuple[datetime, date]:
    """The latest time and the county's last day the clock allows (one batch's reading)."""
    latest = now + skew
    return latest, latest.astimezone(CHINA).date()


def _future(where: str, value: date, limit: date) -> ContractViolation:
    return ContractViolation(
        "OCCURRED_IN_FUTURE",
        f"{where} {value.isoformat()} is later than the intake's clock allows "
        f"({limit.isoformat()})",
    )


def _future_in(model: BaseModel, latest: datetime, last_day: date) -> tuple[str, date] | None:
    """The first date or time in the model later than allowed, with its path (the path
    made only for it: most messages have none)."""
    for name, kind in _date_fields(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        if kind == "date":
            if value > (latest if isinstance(value, datetime) else last_day):
                return name, value
            continue
        items = [value] if kind == "model" else value
        for i, item in enumerate(items):
            found = _future_in(item, latest, last_day)
            if found is not None:
                where = name if kind == "model" else f"{name}.{i}"
                return f"{where}.{found[0]}", found[1]
    return None


@cache
def _date_fields(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """The fields of a model that hold dates, directly or in models they hold."""
    fields = []
    for name, info in model.model_fields.items():
        kind = _kind(info.annotation)
        if kind is not None:
            fields.append((name, kind))
    return tuple(fields)


def _kind(annotation: Any) -> str | None:
    if isinstance(annotation, type):
        if issubclass(annotation, date):  # datetime is a date too
            return "date"
        if issubclass(annotation, BaseModel):
            return "model" if _date_fields(annotation) else None
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list and args and isinstance(args[0], type) and issubclass(args[0], BaseModel):
        return "models" if _date_fields(args[0]) else None
    inner = [a for a in args if a is not type(None)]
    if origin is not None and origin is not list and len(inner) == 1:  # Optional[X]
        return _kind(inner[0])
    return None
