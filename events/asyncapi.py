"""The producer contract as an AsyncAPI 3.0 document, generated from the models: the intake
topic with one message per event type (its schema, the key, the signature headers, an
example), each producer's own rejected topic (and the operators' unattributed one) with its
message, the Kafka bindings and the server's security. `dixian schemas write` writes it as
asyncapi.json."""

from __future__ import annotations

import copy
from typing import Any

from events.catalog import EVENT_TYPES
from events.envelope import HOUSEHOLD_ID_PATTERN
from events.rejection import UNATTRIBUTED, RejectedMessage
from events.schema import Sources, event_schema

KAFKA_BINDING = "0.5.0"
SIGNATURE_PATTERN = r"^[A-Za-z0-9+/]{86}==$"  # base64 of the 64 bytes of an Ed25519 signature

PRODUCER_GUIDE = """Every event about a household is one JSON message on the intake topic,
keyed by the household number (户编号) so that a household's events stay in order. Each
message follows the schema of its `event_type`; `event_id` (a UUID the producer chooses) is
the idempotency key: an exact resend is absorbed, other bytes under the same id are refused
with EVENT_ID_REUSED. With producer keys configured, each message is signed: header
`dixian-producer` (the source system) and `dixian-signature` (base64 of the Ed25519
signature over the message value's bytes). Whatever the intake does not accept is published
with a stable reason code (docs/reason-codes.md) on the producer's own rejected topic
(PREFIX.SOURCE: the producer whose key verified it, or without producer keys the known
source its envelope names); what no producer can be told of goes to PREFIX.unattributed,
for the operators. docs/producers.md is the guide."""


def _hoist(schema: dict[str, Any], into: dict[str, Any]) -> dict[str, Any]:
    """Move a schema's $defs into the components and point its references there."""
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    for name, d in defs.items():
        d = _repoint(d)
        if name in into and into[name] != d:
            raise ValueError(f"two different schemas are called {name}")
        into[name] = d
    return _repoint(schema)


def _repoint(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/$defs/", "#/components/schemas/")
                if k == "$ref" and isinstance(v, str)
                else _repoint(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_repoint(v) for v in node]
    return node


def _signature_headers(sources: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Kafka headers (UTF-8 strings). Required when the intake is configured "
        "with producer keys (DIXIAN_PRODUCER_KEYS_FILE), as in production.",
        "properties": {
            "dixian-producer": {
                "type": "string",
                "enum": sources,
                "description": "The source system whose key signs the message; must equal "
                "the envelope's source_system (else SOURCE_MISMATCH).",
            },
            "dixian-signature": {
                "type": "string",
                "pattern": SIGNATURE_PATTERN,
                "description": "Base64 of the Ed25519 signature over the message value, "
                "byte for byte as sent (sign after serializing, never re-serialize).",
            },
        },
        "required": ["dixian-producer", "dixian-signature"],
    }


def _key() -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": HOUSEHOLD_ID_PATTERN,
        "description": "The message key: the envelope's household_id, UTF-8 (else "
        "KEY_MISMATCH). It decides the partition, so a household's events keep their order.",
    }


def asyncapi_document(
    sources: Sources,
    *,
    intake_topic: str,
    rejected_topics: dict[str, str],
    intake_group: str,
    partitions: int,
    replicas: int,
    reason_codes: list[str],
    server: dict[str, Any] | None = None,
    examples: dict[str, dict[str, Any]] | None = None,
    version: str = "1",
) -> dict[str, Any]:
    """The contract of the intake. `sources`: event type → the sources that may send it;
    `rejected_topics`: source (or `unattributed`) → its rejected topic; `server`: {"host",
    "protocol", "security": [scheme]} of the cluster, if known;
    `examples`: event type → {"payload": message, "headers": {...}}."""
    all_sources = sorted({s for ss in sources.values() for s in ss})
    schemas: dict[str, Any] = {"HouseholdKey": _key()}
    schemas["SignatureHeaders"] = _signature_headers(all_sources)
    messages: dict[str, Any] = {}
    for event_type, (model, schema_version) in EVENT_TYPES.items():
        schemas[event_type] = _hoist(event_schema(event_type, sources), schemas)
        message: dict[str, Any] = {
            "name": event_type,
            "title": f"{event_type} (schema version {schema_version})",
            "summary": (model.__doc__ or event_type).strip().splitlines()[0],
            "description": "May be sent by: " + ", ".join(sorted(sources.get(event_type, []))),
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/SignatureHeaders"},
            "payload": {"$ref": f"#/components/schemas/{event_type}"},
            "correlationId": {
                "description": "The event id: the idempotency key, and what a rejection names.",
                "location": "$message.payload#/event_id",
            },
            "bindings": {
                "kafka": {
                    # inline: a $ref here is both a schema and a reference to the spec's
                    # JSON Schema (its oneOf), so tools refuse it
                    "key": _key(),
                    "bindingVersion": KAFKA_BINDING,
                }
            },
        }
        if examples and event_type in examples:
            example = examples[event_type]
            message["examples"] = [
                {
                    "name": f"{event_type}_example",
                    "summary": "A message the intake accepts (from the demo village); the "
                    "signature is over the payload serialized compactly, with a demo key.",
                    "headers": example["headers"],
                    "payload": example["payload"],
                }
            ]
        messages[event_type] = message
    schemas["RejectedMessage"] = _hoist(RejectedMessage.model_json_schema(), schemas)
    schemas["RejectedMessage"]["properties"]["reason_code"]["enum"] = reason_codes
    messages["rejected"] = {
        "name": "rejected",
        "title": "A message the intake did not accept",
        "summary": "The original bytes (base64), where they were read, and why: a stable "
        "reason code and a sentence.",
        "description": "Published once per rejection, in order (an outbox). One too large "
        "for the topic is a notice: value_omitted true, value_bytes and value_sha256 given; "
        "the operators hand out its bytes by rejection_id.",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                "dixian-reason-code": {
                    "type": "string",
                    "enum": reason_codes,
                    "description": "The reason code, to filter on without parsing.",
                }
            },
        },
        "payload": {"$ref": "#/components/schemas/RejectedMessage"},
        "bindings": {
            "kafka": {
                "key": {
                    "type": "string",
                    "description": "The rejected message's own key, as it was sent.",
                },
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }
    channel_config = {
        "partitions": partitions,
        "replicas": replicas,
        "topicConfiguration": {
            "cleanup.policy": ["delete"],
            "retention.ms": -1,
            "retention.bytes": -1,
        },
        "bindingVersion": KAFKA_BINDING,
    }
    rejected_channels, rejected_operations = _rejected(rejected_topics, channel_config)
    doc: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {
            "title": "dixian intake: the producer contract",
            "version": version,
            "description": PRODUCER_GUIDE,
        },
        "defaultContentType": "application/json",
        "channels": {
            "householdEvents": {
                "address": intake_topic,
                "title": "Household events",
                "description": "Every event about a household, one per message; key = "
                "household_id. Kept forever: the events are the record.",
                "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in EVENT_TYPES},
                "bindings": {"kafka": {"topic": intake_topic, **copy.deepcopy(channel_config)}},
            },
            **rejected_channels,
        },
        "operations": {
            "receiveHouseholdEvents": {
                "action": "receive",
                "title": "The intake reads household events",
                "summary": "Department systems and the cadres' apps send here; the intake "
                "stores what it accepts and rejects the rest.",
                "channel": {"$ref": "#/channels/householdEvents"},
                "messages": [
                    {"$ref": f"#/channels/householdEvents/messages/{t}"} for t in EVENT_TYPES
                ],
                "bindings": {
                    "kafka": {
                        "groupId": {"type": "string", "enum": [intake_group]},
                        "bindingVersion": KAFKA_BINDING,
                    }
                },
            },
            **rejected_operations,
        },
        "components": {"schemas": schemas, "messages": messages},
    }
    if server:
        security = server.pop("security", None)
        doc["servers"] = {"cluster": server}
        if security:
            doc["components"]["securitySchemes"] = {"kafka": security}
            server["security"] = [{"$ref": "#/components/securitySchemes/kafka"}]
        for channel in doc["channels"].values():
            channel["servers"] = [{"$ref": "#/servers/cluster"}]
    return doc


def _rejected(
    topics: dict[str, str], config: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A channel and a send operation per rejected topic: each producer's own (Kafka's ACLs
    let it read that one only), and the unattributed one of the operators."""
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for source, topic in sorted(topics.items()):
        name = f"rejected_{source}"
        if source == UNATTRIBUTED:
            title, description = (
                "Unattributed rejections",
                "What the intake did not accept and no producer can be told of (unsigned "
                "or unreadable, or naming no known source): for the operators only.",
            )
        else:
            title, description = (
                f"Rejections of {source}",
                f"The messages of {source} the intake did not accept (signed by its key, or "
                "without producer keys, naming it as their source), with their reason codes: "
                f"{source} reads them to learn what to fix, and no other producer can.",
            )
        channels[name] = {
            "address": topic,
            "title": title,
            "description": description,
            "messages": {"rejected": {"$ref": "#/components/messages/rejected"}},
            "bindings": {"kafka": {"topic": topic, **copy.deepcopy(config), "partitions": 1}},
        }
        operations[f"sendRejections_{source}"] = {
            "action": "send",
            "title": f"The intake publishes the rejections of {source}",
            "summary": "Read them (any consumer group of your own) to see what was not "
            "accepted and why.",
            "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/rejected"}],
        }
    return channels, operations
