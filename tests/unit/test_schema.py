"""The JSON Schemas given to producers: one per event type, plus the envelope and the
rejection, each true to the models the intake validates with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from builders import envelope
from jsonschema import Draft202012Validator

from events.catalog import EVENT_TYPES
from events.codes import CODE_TABLES_VERSION, IdentificationOutcome, RiskType, code_tables
from events.envelope import EventEnvelope
from events.monitoring_lines import DEFAULT_LINES
from events.rejection import RejectedMessage
from events.schema import envelope_schema, event_schema, write_schemas
from services.domain.permissions import DEFAULT_PERMISSIONS


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_event_type_has_a_schema_naming_its_type_and_version(event_type: str) -> None:
    _, version = EVENT_TYPES[event_type]
    schema = event_schema(event_type)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == f"{event_type} v{version}"
    assert schema["properties"]["event_type"]["const"] == event_type
    assert schema["properties"]["schema_version"]["const"] == version
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_schemas_payload_has_the_models_fields_and_requires_the_mandatory_ones(
    event_type: str,
) -> None:
    model, _ = EVENT_TYPES[event_type]
    payload = event_schema(event_type)["properties"]["payload"]
    assert set(payload["properties"]) == set(model.model_fields)
    required = {name for name, f in model.model_fields.items() if f.is_required()}
    assert set(payload.get("required", [])) == required
    assert payload["additionalProperties"] is False
    assert "$defs" not in payload


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_reference_in_a_schema_resolves_within_it(event_type: str) -> None:
    schema = event_schema(event_type)
    for ref in refs(schema):
        assert ref.startswith("#/$defs/"), ref
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_the_envelope_and_the_payload_never_define_one_name_two_ways(event_type: str) -> None:
    model, _ = EVENT_TYPES[event_type]
    envelope_defs = EventEnvelope.model_json_schema().get("$defs", {})
    payload_defs = model.model_json_schema().get("$defs", {})
    for name in envelope_defs.keys() & payload_defs.keys():
        assert envelope_defs[name] == payload_defs[name], name


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_a_valid_message_has_exactly_the_schemas_envelope_fields(event_type: str) -> None:
    schema = event_schema(event_type)
    message = envelope(event_type)
    assert set(schema["required"]) == set(message) == set(schema["properties"]) - {"import_batch"}
    payload = schema["properties"]["payload"]
    assert set(payload.get("required", [])) <= set(message["payload"]) <= set(payload["properties"])


def test_code_tables_appear_in_the_schema_as_their_values() -> None:
    defs = event_schema("identification_decided")["$defs"]
    assert defs["IdentificationOutcome"]["enum"] == [o.value for o in IdentificationOutcome]
    assert defs["RiskType"]["enum"] == [r.value for r in RiskType]


def test_the_schema_of_one_type_does_not_leak_into_another() -> None:
    lead = event_schema("risk_lead_registered")
    assert lead["properties"]["event_type"]["const"] == "risk_lead_registered"
    event_schema("visit_recorded")
    assert event_schema("risk_lead_registered") == lead
    assert "payload" not in EventEnvelope.model_json_schema()["properties"]["payload"].get(
        "properties", {}
    )


def test_an_unknown_event_type_has_no_schema() -> None:
    with pytest.raises(KeyError):
        event_schema("lottery_won")


def test_the_schemas_are_written_one_file_per_type_plus_envelope_rejection_and_codes(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "not" / "yet" / "there"
    written = write_schemas(directory)
    expected = {f"{t}.v{v}.json" for t, (_, v) in EVENT_TYPES.items()}
    expected |= {"envelope.json", "rejected.json", "code-tables.json"}
    assert {p.name for p in written} == expected
    assert {p.name for p in directory.iterdir()} == expected
    assert [p.name for p in written] == sorted(expected)
    for event_type, (_, version) in EVENT_TYPES.items():
        on_disk = json.loads((directory / f"{event_type}.v{version}.json").read_text())
        assert on_disk == event_schema(event_type)
    assert json.loads((directory / "envelope.json").read_text()) == envelope_schema()
    assert json.loads((directory / "rejected.json").read_text()) == (
        RejectedMessage.model_json_schema()
    )
    codes = json.loads((directory / "code-tables.json").read_text())
    assert codes["version"] == CODE_TABLES_VERSION
    assert codes["tables"]["RiskType"] == [r.value for r in RiskType]
    assert codes["monitoring_lines"] == [line.as_record() for line in DEFAULT_LINES]


def test_every_code_table_a_schema_uses_is_written_beside_the_schemas() -> None:
    tables = code_tables()["tables"]
    for event_type in EVENT_TYPES:
        for name, definition in event_schema(event_type)["$defs"].items():
            if "enum" in definition:
                assert tables.get(name) == definition["enum"], (event_type, name)


def test_written_schemas_are_stable_readable_text(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in write_schemas(tmp_path / "a")}
    assert first == second
    text = first["household_registered.v1.json"].decode()
    assert "脱贫户" in text  # kept as written, not \u-escaped
    assert text.endswith("}\n")
    doc = json.loads(text)
    assert text == json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


SOURCES = {t: sorted(s for s, ts in DEFAULT_PERMISSIONS.items() if t in ts) for t in EVENT_TYPES}


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_a_valid_message_of_every_type_validates_against_its_schema_and_the_envelope(
    event_type: str,
) -> None:
    message = json.loads(json.dumps(envelope(event_type)))
    assert list(_validator(event_schema(event_type, SOURCES)).iter_errors(message)) == []
    assert list(_validator(envelope_schema(SOURCES)).iter_errors(message)) == []


def test_the_envelope_tells_the_types_apart_by_event_type() -> None:
    schema = envelope_schema(SOURCES)
    assert schema["properties"]["event_type"]["enum"] == list(EVENT_TYPES)
    assert len(schema["oneOf"]) == len(EVENT_TYPES)
    visit_as_lead = envelope("visit_recorded") | {"event_type": "risk_lead_registered"}
    assert not _validator(schema).is_valid(visit_as_lead)
    assert not _validator(schema).is_valid(envelope("visit_recorded") | {"event_type": "x"})


def test_a_source_the_permissions_do_not_allow_breaks_the_types_schema() -> None:
    schema = event_schema("identification_decided", SOURCES)
    assert schema["properties"]["source_system"]["enum"] == ["county_system", "national_system"]
    civil = envelope("identification_decided", source_system="civil_affairs")
    assert not _validator(schema).is_valid(json.loads(json.dumps(civil)))


@pytest.mark.parametrize(
    ("amount", "valid"),
    [("7300", True), ("4800.50", True), (4800.5, True), ("0", True), ("-1", False),
     ("1.005", False), ("12345678901", False), (1e11, False), ("七千", False)],
)  # fmt: skip
def test_a_yuan_amount_is_a_decimal_with_two_places_within_its_bounds(
    amount: Any, valid: bool
) -> None:
    schema = event_schema("income_assessed")
    body = json.loads(json.dumps(envelope("income_assessed")))
    body["payload"]["per_capita_net_income_yuan"] = amount
    assert _validator(schema).is_valid(body) is valid
