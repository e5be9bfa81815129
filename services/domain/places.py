"""Place names: the code table region code → name (county 6 digits, township 9, village 12)
that the ledgers, reports and pages show instead of bare codes. Pure: the county's file and
the names registrations carry are read by services.adapters.places."""

from __future__ import annotations

import re
from collections.abc import Mapping

_CODE = re.compile(r"[0-9]{6}(?:[0-9]{3}){0,2}")  # ASCII digits only


def is_region_code(code: str) -> bool:
    """A county's (6 digits), a township's (9) or a village's (12) region code."""
    return bool(_CODE.fullmatch(code))


class Places:
    """Names by region code. A code without a name reads as the code itself, so a place
    the table does not know is shown, never dropped."""

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self.names: dict[str, str] = {}
        for code, name in (names or {}).items():
            if not is_region_code(code):
                raise ValueError(f"{code!r} is not a 6-, 9- or 12-digit region code")
            if name.strip():
                self.names[code] = name.strip()

    def name(self, code: str) -> str | None:
        return self.names.get(code)

    def label(self, code: str) -> str:
        """The place's name, or its code when the table has none."""
        return self.names.get(code) or code

    def county(self, code: str) -> str:
        return self.label(code[:6])

    def township(self, code: str) -> str:
        return self.label(code[:9])

    def village(self, code: str) -> str:
        return self.label(code[:12])

    def full(self, code: str) -> str:
        """A village or township with what it lies in: 青山镇柳湾村 (without the county)."""
        parts = [self.label(code[:n]) for n in (9, 12) if len(code) >= n]
        return "".join(parts) if parts else self.label(code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Places) and self.names == other.names

    def over(self, other: Places) -> Places:
        """These names, and the other's where these have none (the county's table over the
        names registrations carry)."""
        return Places({**other.names, **self.names})
