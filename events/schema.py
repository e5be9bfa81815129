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


def event_schema(event_type: str) -> dict[str, Any]:
    """The full message schema of one type: the envelope with its payload filled in."""
    model, version = EVENT_TYPES[event_type]
    schema = EventEnvelope.model_json_schema()
    payload = model.model_json_schema()
    defs = {**schema.pop("$defs", {}), **payload.pop("$defs", {})}
    schema["title"] = f"{event_type} v{version}"
    schema["properties"]["event_type"] = {"const": event_type, "description": "The event type."}
    schema["properties"]["schema_version"] = {"const": version, "description": "Its version."}
    schema["properties"]["payload"] = payload
    schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(directory: Path) -> list[Path]:
    """Write one file per event type, plus the envelope and the rejection; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    documents = {f"{t}.v{v}.json": event_schema(t) for t, (_, v) in EVENT_TYPES.items()}
    documents["envelope.json"] = EventEnvelope.model_json_schema()
    documents["rejected.json"] = RejectedMessage.model_json_schema()
    documents["code-tables.json"] = code_tables() | {
        "monitoring_lines": [line.as_record() for line in DEFAULT_LINES]
    }
    for name, doc in sorted(documents.items()):
        path = directory / name
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written
