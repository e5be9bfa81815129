"""What the use cases refuse, with a stable reason code the entry points show with a
sentence of what to do (the HTTP API: services/entrypoints/http/problems.py)."""

from __future__ import annotations


class Refused(Exception):
    """A request the rules refuse; `code` is stable."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


class NotFound(Refused):
    """Not there — or outside the reader's scope, which for them is the same thing."""
