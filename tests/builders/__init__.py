"""One builder of a household's inputs for every test: ID numbers and members, a valid
payload of every event type, the envelope's facts (meta) and whole messages, and the typed
payloads the Household decides on."""

from .deciding import as_meta, as_payload, decide_raw
from .messages import DAY, HID, encoded, envelope, meta, new_event_id, source_for
from .payloads import (
    PAYLOADS,
    VILLAGE,
    VILLAGE_WITHOUT_LINE,
    facts,
    findings,
    id_number,
    member,
    payload,
    valid,
)

__all__ = [
    "DAY",
    "HID",
    "PAYLOADS",
    "VILLAGE",
    "VILLAGE_WITHOUT_LINE",
    "as_meta",
    "as_payload",
    "decide_raw",
    "encoded",
    "envelope",
    "facts",
    "findings",
    "id_number",
    "member",
    "meta",
    "new_event_id",
    "payload",
    "source_for",
    "valid",
]
