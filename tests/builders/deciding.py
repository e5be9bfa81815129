"""The Household's inputs typed as the intake types them: the envelope's facts (Meta) and
the payloads (the contract's models), from plain dicts as the tests write them."""

from __future__ import annotations

from typing import Any

from events.catalog import EVENT_TYPES
from services.domain.corrections import CORRECTIONS
from services.domain.household import CorrectionOf, Household, Meta
from services.domain.registry import decide
from services.domain.rules import LifecycleRules


def as_meta(meta: dict[str, Any] | Meta) -> Meta:
    return meta if isinstance(meta, Meta) else Meta(**meta)


def as_payload(event_type: str, facts: dict[str, Any]) -> Any:
    """The payload as its model validates it; a correction with its resolved target."""
    model, _ = EVENT_TYPES[event_type]
    if event_type not in CORRECTIONS:
        return model.model_validate(facts)
    rest = dict(facts)
    target_type = rest.pop("target_event_type", None)
    target_source = rest.pop("target_source_system", None)
    correction = model.model_validate(rest)
    amended = rest.get("amended_payload") if event_type == "event_amended" else None
    return CorrectionOf(correction, str(target_type), str(target_source), amended)


def decide_raw(
    h: Household | None, meta: dict[str, Any] | Meta, facts: dict[str, Any], rules: LifecycleRules
) -> Household:
    """Decide one event given as dicts (what the intake hands on, typed on the way)."""
    m = as_meta(meta)
    return decide(h, as_payload(m.event_type, facts), m, rules)
