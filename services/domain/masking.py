"""Personal information, masked for lists, trails and anyone who has not said who they are
and why: names as 张*明, ID numbers keeping region and the last two, phones and accounts the
last four, health status not at all. Pure; what is masked is listed once, here."""

from __future__ import annotations

from typing import Any

from events.identity import mask_id_number, mask_name

__all__ = ["HIDDEN", "PERSONAL", "mask_name", "masked"]

PERSONAL = frozenset({"name", "id_number", "phone", "bank_account", "health"})
HIDDEN = "***"


def _tail(value: str, keep: int = 4) -> str:
    return "*" * max(len(value) - keep, 0) + value[-keep:]


def masked(value: Any) -> Any:
    """The value with every personal field masked, however deep it sits."""
    if isinstance(value, dict):
        return {k: _mask(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def _mask(key: str, value: Any) -> Any:
    if key not in PERSONAL or value is None:
        return masked(value)
    if not isinstance(value, str):
        return HIDDEN
    if key == "name":
        return mask_name(value)
    if key == "id_number":
        return mask_id_number(value)
    if key in ("phone", "bank_account"):
        return _tail(value)
    return HIDDEN  # health
