"""The producer contract as AsyncAPI 3: valid against the specification's own JSON Schema,
one message per event type with its key, signature headers and example, the rejected
topic's message, and examples the intake accepts."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry, Resource

from events.catalog import CONTRACT_REASONS, EVENT_TYPES
from services.adapters.attestation import ProducerKeys
from services.domain.errors import LIFECYCLE_REASONS
from services.domain.permissions import DEFAULT_PERMISSIONS, Permissions
from services.entrypoints.cli.producers import contract_document, demo_key, public_key_b64
from services.settings import Settings
from services.usecases.intake.message import check_message
from services.usecases.intake.unit_of_work import RawMessage

SPEC = Path(__file__).parents[1] / "data" / "asyncapi-3.0.0.schema.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return contract_document(Settings())


def test_the_document_is_valid_asyncapi_3(document: dict[str, Any]) -> None:
    validator = Draft7Validator(json.loads(SPEC.read_text()))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]] == []


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
            return own + [r for v in node.values() for r in refs(v)]
        return [r for v in node for r in refs(v)] if isinstance(node, list) else []

    for ref in refs(document):
        node: Any = document
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert node, ref


def test_there_is_one_message_per_event_type_and_a_rejected_topic_per_producer(
    document: dict[str, Any],
) -> None:
    channels = document["channels"]
    assert set(channels["householdEvents"]["messages"]) == set(EVENT_TYPES)
    assert channels["householdEvents"]["address"] == Settings().intake_topic
    rejected = {n: c for n, c in channels.items() if n != "householdEvents"}
    # each producer reads its own rejections (dixian.rejected.SOURCE), the operators the rest
    assert {c["address"] for c in rejected.values()} == set(Settings().rejected_topics().values())
    assert "dixian.rejected.medical_insurance" in {c["address"] for c in rejected.values()}
    assert all(set(c["messages"]) == {"rejected"} for c in rejected.values())
    operations = document["operations"]
    assert operations["receiveHouseholdEvents"]["action"] == "receive"
    sends = {n: o for n, o in operations.items() if n != "receiveHouseholdEvents"}
    assert {o["action"] for o in sends.values()} == {"send"}
    assert sorted(o["channel"]["$ref"] for o in sends.values()) == sorted(
        f"#/channels/{n}" for n in rejected
    )


def test_each_message_names_its_key_its_signature_headers_and_who_may_send_it(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    key = schemas["HouseholdKey"]
    headers = schemas["SignatureHeaders"]
    assert set(headers["required"]) == {"dixian-producer", "dixian-signature"}
    assert set(headers["properties"]["dixian-producer"]["enum"]) == set(DEFAULT_PERMISSIONS)
    for event_type in EVENT_TYPES:
        message = document["components"]["messages"][event_type]
        assert message["bindings"]["kafka"]["key"] == key
        assert message["headers"] == {"$ref": "#/components/schemas/SignatureHeaders"}
        payload = schemas[event_type]
        allowed = sorted(s for s, ts in DEFAULT_PERMISSIONS.items() if event_type in ts)
        assert payload["properties"]["source_system"]["enum"] == allowed
        assert payload["properties"]["event_type"]["const"] == event_type
    assert key["pattern"].startswith("^")


def test_the_rejected_message_lists_every_reason_code(document: dict[str, Any]) -> None:
    rejected = document["components"]["schemas"]["RejectedMessage"]
    codes = rejected["properties"]["reason_code"]["enum"]
    assert set(codes) == set(CONTRACT_REASONS) | set(LIFECYCLE_REASONS)
    assert "source_system" in rejected["properties"]


def test_every_field_of_every_schema_is_described(document: dict[str, Any]) -> None:
    undescribed = [
        f"{name}.{field}"
        for name, schema in document["components"]["schemas"].items()
        for field, prop in (schema.get("properties") or {}).items()
        if "description" not in prop
    ]
    assert undescribed == []


def _as_payload_schema(document: dict[str, Any], event_type: str) -> Draft202012Validator:
    schemas = document["components"]["schemas"]
    resource = Resource.from_contents({"components": {"schemas": schemas}, "$schema": (
        "https://json-schema.org/draft/2020-12/schema")})  # fmt: skip
    registry = Registry().with_resource("urn:contract", resource)
    schema = {"$ref": f"urn:contract#/components/schemas/{event_type}"}
    return Draft202012Validator(schema, registry=registry)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_example_follows_its_schema_and_is_accepted_signed(
    document: dict[str, Any], event_type: str
) -> None:
    [example] = document["components"]["messages"][event_type]["examples"]
    payload = example["payload"]
    assert list(_as_payload_schema(document, event_type).iter_errors(payload)) == []
    value = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    source = payload["source_system"]
    keys = ProducerKeys({source: public_key_b64(demo_key(source))})
    headers = tuple((k, v.encode()) for k, v in example["headers"].items())
    message = RawMessage("t", 0, 0, payload["household_id"].encode(), value, headers)
    parsed, attestation = check_message(message, Permissions(), keys)
    assert attestation == f"signature:{source}"
    assert parsed.envelope.event_type == event_type
    assert len(base64.b64decode(example["headers"]["dixian-signature"])) == 64


def test_a_secured_cluster_is_described_with_its_security_scheme() -> None:
    s = Settings(
        kafka_bootstrap="kafka-1.county.gov:9093,kafka-2.county.gov:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_mechanism="SCRAM-SHA-512",
        kafka_sasl_username="medical_insurance",
        kafka_sasl_password="never-in-the-document",
    )
    document = contract_document(s)
    assert document["servers"]["cluster"]["host"] == "kafka-1.county.gov:9093"
    assert document["servers"]["cluster"]["protocol"] == "kafka-secure"
    assert document["components"]["securitySchemes"]["kafka"]["type"] == "scramSha512"
    assert "never-in-the-document" not in json.dumps(document)
    assert Draft7Validator(json.loads(SPEC.read_text())).is_valid(document)
