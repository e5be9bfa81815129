"""The envelope around a payload: event ids, the envelope's facts as the intake hands them
to the aggregate (meta), and whole messages as a producer sends them."""

from __future__ import annotations

import itertools
import json
from typing import Any

from events.catalog import EVENT_TYPES
from services.domain.permissions import DEFAULT_PERMISSIONS

from .payloads import PAYLOADS, VILLAGE, payload

HID = f"{VILLAGE}T001"
DAY = "2025-03-24"

_ids = itertools.count(1)


def new_event_id() -> str:
    """A fresh event id; they rise in the order they are made."""
    return f"00000000-0000-0000-0000-{next(_ids):012d}"


def source_for(event_type: str) -> str:
    """A source system the default permissions allow to emit the type."""
    if event_type not in EVENT_TYPES:
        return "village_app"
    allowed = [s for s, types in DEFAULT_PERMISSIONS.items() if event_type in types]
    return next((s for s in allowed if s != "national_system"), allowed[0])  # not the import


def meta(
    event_type: str,
    household_id: str = HID,
    day: str = DAY,
    *,
    recorded: str | None = None,
    source: str | None = None,
    actor: str = "cadre-li",
    role: str = "village_cadre",
) -> dict[str, Any]:
    """The envelope's facts: it happened on `day` at ten and was recorded at noon (of
    `recorded`, if later), by an actor of a source allowed to emit the type — declared a
    historical import, so that the system knows of it from `recorded`, not from today."""
    return {
        "import_batch": "test-history",
        "event_id": new_event_id(),
        "event_type": event_type,
        "schema_version": EVENT_TYPES[event_type][1] if event_type in EVENT_TYPES else 1,
        "household_id": household_id,
        "occurred_at": f"{day}T10:00:00+08:00",
        "recorded_at": f"{recorded or day}T12:00:00+08:00",
        "source_system": source or source_for(event_type),
        "actor_id": actor,
        "actor_role": role,
    }


def envelope(event_type: str, household_id: str = HID, **over: Any) -> dict[str, Any]:
    """A whole valid message of the type (as a dict), with envelope fields replaced; a
    department's payload comes from that department's own system."""
    m = meta(event_type, household_id)
    m.pop("import_batch")  # a live message: known from its receipt
    actor = {"person_id": m.pop("actor_id"), "role": m.pop("actor_role")}
    given = payload(event_type) if event_type in PAYLOADS else {}
    department = over.get("payload", given).get("department")
    if event_type in DEFAULT_PERMISSIONS.get(department, ()):
        m["source_system"] = department
    return m | {"actor": actor, "payload": given} | over


def encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()
