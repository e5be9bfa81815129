"""The edge's one-pass validation gives what the two steps give, and leaves to them every
message it cannot vouch for (so that they name its reason code)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from events.catalog import ContractViolation
from events.envelope import EventEnvelope
from services.devtools.simulate.county import build_county
from services.devtools.simulate.generator import generate
from services.usecases.intake import edge
from services.usecases.intake.edge import EdgeLimits, parse_message

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def two_steps(raw: bytes, limits: EdgeLimits | None = None) -> object:
    saved = edge._plain
    edge._plain = lambda *_: False  # type: ignore[assignment]
    try:
        return parse_message(raw, limits, NOW)
    finally:
        edge._plain = saved


def test_every_simulated_message_parses_the_same_in_one_pass() -> None:
    messages = [
        json.dumps(env).encode() for _, env in generate(build_county("small", 5), 5, 0.3, [])
    ]
    assert sum(edge._plain(m, EdgeLimits()) for m in messages) == len(messages)
    for raw in messages:
        one, two = parse_message(raw, None, NOW), two_steps(raw)
        fields = set(EventEnvelope.model_fields) - {"payload"}
        for name in fields:
            assert getattr(one.envelope, name) == getattr(two.envelope, name)  # type: ignore[attr-defined]
        assert isinstance(one.envelope, EventEnvelope)  # type: ignore[attr-defined]
        assert one.payload == two.payload  # type: ignore[attr-defined]
        assert type(one.payload) is type(two.payload)  # type: ignore[attr-defined]


def _message(**change: object) -> dict[str, object]:
    _, env = next(iter(generate(build_county("small", 5), 5, 0.0, [])))
    return {**env, **change}


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (_message(event_type="no_such_type"), "UNKNOWN_EVENT_TYPE"),
        (_message(schema_version=99), "UNSUPPORTED_SCHEMA_VERSION"),
        (_message(household_id="x"), "ENVELOPE_INVALID"),
        (_message(payload={"nonsense": 1}), "PAYLOAD_INVALID"),
        (_message(extra_field=1), "ENVELOPE_INVALID"),
        (_message(occurred_at="2999-01-01T00:00:00+08:00"), "OCCURRED_IN_FUTURE"),
    ],
)
def test_a_bad_message_gets_the_two_steps_reason_code(
    message: dict[str, object], code: str
) -> None:
    with pytest.raises(ContractViolation) as e:
        parse_message(json.dumps(message).encode(), None, NOW)
    assert e.value.code == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b'{"a": "\\ud800"}', "TEXT_NOT_STORABLE"),
        (b'{"a": "\\u0000"}', "TEXT_NOT_STORABLE"),
        (b'{"a": NaN}', "NOT_JSON"),
    ],
)
def test_what_orjson_refuses_never_takes_the_one_pass(raw: bytes, code: str) -> None:
    assert not edge._plain(raw, EdgeLimits())
    with pytest.raises(ContractViolation) as e:
        parse_message(raw, None, NOW)
    assert e.value.code == code


def test_too_many_members_is_named_before_the_payloads_errors() -> None:
    message = _message()
    payload = dict(message["payload"])  # type: ignore[call-overload]
    payload["members"] = payload["members"] * 101
    with pytest.raises(ContractViolation) as e:
        parse_message(json.dumps({**message, "payload": payload}).encode(), None, NOW)
    assert e.value.code == "TOO_MANY_MEMBERS"
