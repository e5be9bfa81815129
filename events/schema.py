"""JSON Schema of every event type, for producers (written by `dixian schemas write`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from events.catalog import EVENT_TYPES
from events.codes import code_tables
from events.envelope import EventEnvelope
from events.monitoring_lines import DEFAULT_LINES
from events.rejection import RejectedMessage

DRAFT = "https://json-schema.org/draft/2020-12/schema"


Sources = dict[str, list[str]]  # event type → the source systems that may send it


def event_schema(event_type: str, sources: Sources | None = None) -> dict[str, Any]:
    """The full message schema of one type: the envelope with its payload filled in, and
    (given the permissions) the sources that may send it as `source_system`'s enum."""
    model, version = EVENT_TYPES[event_type]
    schema = EventEnvelope.model_json_schema()
    payload = model.model_json_schema()
    defs = {**schema.pop("$defs", {}), **payload.pop("$defs", {})}
    schema["title"] = f"{event_type} v{version}"
    schema["description"] = (model.__doc__ or event_type).strip()
    schema["properties"]["event_type"] = {
        "const": event_type,
        "type": "string",
        "description": "The event type: names the payload's schema.",
    }
    schema["properties"]["schema_version"] = {
        "const": version,
        "type": "integer",
        "description": "The payload schema's version.",
    }
    if sources is not None:
        schema["properties"]["source_system"] = {
            "type": "string",
            "enum": sorted(sources.get(event_type, [])),
            "description": "The producing system: one that may send this event type; with "
            "producer keys configured, the one whose key signs the message.",
        }
    schema["properties"]["payload"] = payload
    schema["$defs"] = defs
    schema["$schema"] = DRAFT
    return schema


def envelope_schema(sources: Sources | None = None) -> dict[str, Any]:
    """Any message of the intake topic: one of the event types' schemas, told apart by
    `event_type` (a discriminated union)."""
    branches, defs = [], {}
    for t in EVENT_TYPES:
        one = event_schema(t, sources)
        defs.update(one.pop("$defs"))
        one.pop("$schema")
        defs[t] = one
        branches.append({"$ref": f"#/$defs/{t}"})
    return {
        "$schema": DRAFT,
        "title": "dixian event envelope",
        "description": EventEnvelope.__doc__,
        "type": "object",
        "required": ["event_type"],
        "properties": {
            "event_type": {
                "type": "string",
                "enum": list(EVENT_TYPES),
                "description": "The event type: decides which schema the message follows.",
            }
        },
        "oneOf": branches,
        "$defs": defs,
    }


def write_schemas(directory: Path, sources: Sources | None = None) -> list[Path]:
    """Write one file per event type, plus the envelope and the rejection; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    documents = {f"{t}.v{v}.json": event_schema(t, sources) for t, (_, v) in EVENT_TYPES.items()}
    documents["envelope.json"] = envelope_schema(sources)
    documents["rejected.json"] = RejectedMessage.model_json_schema()
    documents["code-tables.json"] = code_tables() | {
        "monitoring_lines": [line.as_record() for line in DEFAULT_LINES]
    }
    for name, doc in sorted(documents.items()):
        path = directory / name
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
