"""The audit trail's payload: masked as `masked` masks it, written by orjson, and by the
standard library's json where orjson cannot write it or writes what jsonb cannot hold."""

from __future__ import annotations

import json

from fakes import simulated_in_memory

from projections.audit_trail import masked_json
from services.domain.masking import masked


def test_every_simulated_payload_is_written_as_its_masked_value() -> None:
    uow = simulated_in_memory(7, 0.3)
    personal = 0
    for events in uow.events.values():
        for event in events:
            written = masked_json(event.facts)
            assert json.loads(written) == masked(event.facts)
            personal += json.loads(written) != event.facts
    assert personal >= 40  # every registration at least: its members named


def test_a_name_deep_in_the_payload_is_masked() -> None:
    facts = {"members": [{"person": {"name": "张小明", "id_number": "110101199001011234"}}]}
    assert json.loads(masked_json(facts)) == {
        "members": [{"person": {"name": "张*明", "id_number": "110101**********34"}}]
    }


def test_a_key_named_in_a_value_is_not_a_personal_field() -> None:
    facts = {"note": 'the "name": field', "names": ["x"]}
    assert json.loads(masked_json(facts)) == facts


def test_what_orjson_refuses_or_jsonb_cannot_hold_is_written_storable() -> None:
    for facts in ({"note": "a\ud800b"}, {"note": "a\x00b"}, {"n": 1 << 70}):
        written = masked_json(facts)
        assert "\x00" not in written
        written.encode("utf-8")  # no lone surrogate
        assert json.loads(written).keys() == facts.keys()
