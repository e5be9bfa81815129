"""Hostile messages, as a hostile or broken producer would send them, each with what the
intake must make of it: a reason code, "accepted" (harmless data, stored as sent) or
"duplicate". Interleaved with the demo village's valid messages by the tests."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from services.devtools.village import (
    CADRE,
    VILLAGE,
    Message,
    VillageScript,
    findings,
    member,
    village_messages,
)

SQL = "Robert'); DROP TABLE intake_accepted; -- 1' OR '1'='1"
TRICKS = "\u202eevil\u202c \u200b\u200d 𝓦𝓪𝓷𝓰 Ｗａｎｇ é Ⅻ \ufeff"  # RTL, zero-width, look-alikes


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every string in a JSON value."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))


def _replaced(body: dict[str, Any], path: tuple[Any, ...], new: str) -> dict[str, Any]:
    copy = json.loads(json.dumps(body))
    node = copy
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return copy


def _bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def hostile_messages(run: str) -> tuple[list[Message], list[Message]]:
    """(the first wave: the village's valid messages among hostile ones; the second wave:
    messages that reuse the first wave's event ids, sent once the first is stored)."""
    valid = village_messages(run)
    s = VillageScript(f"{run}X")
    out: list[Message] = []

    def bad(key: str | None, value: bytes | None, code: str) -> None:
        out.append(Message(key.encode() if key else None, value, code))  # type: ignore[arg-type]

    # One accepted message of each type, a NUL put into each of its strings in turn.
    bodies = [json.loads(m.value) for m in valid if m.expect == "accepted"]
    one_per_type = {b["event_type"]: b for b in reversed(bodies)}
    n = 0
    for body in one_per_type.values():
        for path in _strings(body):
            if path[0] == "event_id":
                continue
            n += 1
            fresh = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dixian-hostile:{run}:{n}"))
            hurt = _replaced(body, path, "x\u0000y") | {"event_id": fresh}
            bad(body["household_id"], _bytes(hurt), "TEXT_NOT_STORABLE")
    hid = s.hid(1)
    reg = s.envelope(
        "household_registered",
        hid,
        "2025-03-01",
        {
            "village_code": VILLAGE,
            "household_type": "ordinary",
            "members": [
                member("P1", SQL[:64], "1968-04-02", 11, "head", phone="'; --", bank_account=SQL),
                member("P2", TRICKS, "1970-09-15", 12, "spouse", female=True),
            ],
        },
    )
    out.append(Message(hid.encode(), _bytes(reg), "accepted"))
    visit = s.envelope(
        "visit_recorded",
        hid,
        "2025-03-10",
        {
            "visitor_id": SQL[:64],
            "team": TRICKS,
            "visit_date": "2025-03-10",
            "findings": findings(f"{SQL} {TRICKS} <script>alert(1)</script>"),
        },
        who={"source": CADRE["source"], "actor": {"person_id": SQL[:64], "role": "grid_worker"}},
    )
    out.append(Message(hid.encode(), _bytes(visit), "accepted"))

    def visit_with(**over: Any) -> dict[str, Any]:
        body = s.envelope(
            "visit_recorded",
            hid,
            "2025-03-12",
            {"visitor_id": "cadre-li", "visit_date": "2025-03-12", "findings": findings("ok")},
        )
        return body | over

    def payload_with(**over: Any) -> dict[str, Any]:
        body = visit_with()
        return body | {"payload": body["payload"] | over}

    text = _bytes(visit_with())
    bad(hid, b"\xff\xfe\xfd", "NOT_JSON")
    bad(hid, text.replace(b'"ok"', b'"\xc3\x28"'), "NOT_JSON")  # an invalid UTF-8 sequence
    bad(hid, text[:-5], "NOT_JSON")
    bad(hid, None, "NOT_JSON")
    bad(hid, b"", "NOT_JSON")
    bad(hid, text.replace(b'"ok"', b"NaN"), "NOT_JSON")
    bad(hid, text.replace(b'"ok"', b"Infinity"), "NOT_JSON")
    bad(hid, text.replace(b'"ok"', b"1e309"), "NOT_JSON")
    bad(hid, b"\xef\xbb\xbf" + text, "NOT_JSON")  # a byte-order mark
    bad(hid, b'{"a":' * 1000 + b"1" + b"}" * 1000, "JSON_TOO_DEEP")
    bad(hid, b"[" * 5000 + b"]" * 5000, "JSON_TOO_DEEP")
    bad(hid, _bytes(payload_with(findings={"x": json.loads("[" * 70 + "]" * 70)})), "JSON_TOO_DEEP")
    bad(hid, text.replace(b'"ok"', b'"\\ud800"'), "TEXT_NOT_STORABLE")
    bad(hid, text.replace(b'"ok"', b'"a\\udfff"'), "TEXT_NOT_STORABLE")
    bad(hid, _bytes(payload_with(visitor_id="长" * 20_000)), "TEXT_TOO_LONG")
    members = [member(f"Q{i}", "张三", "1990-01-01", i % 90 + 10, "other") for i in range(200)]
    big = s.envelope(
        "household_registered",
        s.hid(2),
        "2025-03-01",
        {"village_code": VILLAGE, "household_type": "ordinary", "members": members},
    )
    bad(s.hid(2), _bytes(big), "TOO_MANY_MEMBERS")
    for mib in (1, 2, 5):
        bad(hid, _bytes(payload_with(team="x" * (mib * 1024 * 1024))), "MESSAGE_TOO_LARGE")
    bad(hid, _bytes(payload_with(visit_date="2025-02-30")), "PAYLOAD_INVALID")
    bad(hid, _bytes(payload_with(visit_date="2025-13-01")), "PAYLOAD_INVALID")
    bad(hid, _bytes(visit_with(occurred_at="2025-03-12T25:00:00+08:00")), "ENVELOPE_INVALID")
    bad(hid, _bytes(payload_with(visit_date="9999-12-31")), "OCCURRED_IN_FUTURE")
    bad(hid, _bytes(visit_with(occurred_at="9999-12-31T23:59:59+08:00")), "OCCURRED_IN_FUTURE")
    income = {"income_estimate_yuan": "-100", **findings("x")}
    bad(hid, _bytes(payload_with(findings=income)), "PAYLOAD_INVALID")
    bad(hid, _bytes(payload_with(findings=findings("x") | {"income_estimate_yuan": 1e300})),
        "PAYLOAD_INVALID")  # fmt: skip
    for wrong in ("6103 26", "６１０３２６１０１２０１", "'; DROP TABLE x; --", "a" * 65, "x"):
        bad(wrong, _bytes(visit_with(household_id=wrong)), "ENVELOPE_INVALID")
    bad(hid, _bytes(visit_with(event_type="lottery_won")), "UNKNOWN_EVENT_TYPE")
    bad(hid, _bytes(visit_with(event_type="x\u0000")), "TEXT_NOT_STORABLE")
    bad(hid, _bytes(visit_with(source_system="lottery_bureau")), "SOURCE_UNKNOWN")
    bad(hid, _bytes(visit_with(source_system="civil_affairs")), "PRODUCER_NOT_PERMITTED")
    bad(None, _bytes(visit_with()), "KEY_MISMATCH")
    bad(s.hid(3), _bytes(visit_with()), "KEY_MISMATCH")
    out.append(Message(b"ab\x00\xff", _bytes(visit_with()), "KEY_MISMATCH"))  # a NUL in the key
    out.append(Message(hid.encode(), text, "accepted"))  # valid, among all this

    # The first wave: the village's messages with the hostile ones between them.
    first = [m for pair in zip(valid, out, strict=False) for m in pair]
    first += out[len(valid) :] + valid[len(out) :]

    # The second wave: event ids of the first wave again.
    second = []
    registration = next(m for m in valid if m.expect == "accepted")
    body = json.loads(registration.value)
    second.append(Message(registration.key, registration.value, "duplicate"))
    changed = body | {"recorded_at": "2025-03-01T13:30:00+08:00"}
    second.append(Message(registration.key, _bytes(changed), "EVENT_ID_REUSED"))
    other = body | {"household_id": hid}
    second.append(Message(hid.encode(), _bytes(other), "EVENT_ID_REUSED"))
    for m in valid:
        if m.expect == "accepted" and json.loads(m.value)["event_type"] == "visit_recorded":
            b = json.loads(m.value)
            b["payload"]["findings"]["notes"] = "a different note under the same id"
            second.append(Message(m.key, _bytes(b), "EVENT_ID_REUSED"))
    return first, second
