"""One base for every refusal that carries a stable reason code: the contract's, the
lifecycle's, the ledger's, the audit's. The code is checked against its table even under
`python -O` (an `assert` would vanish), so no code can be raised that is not documented."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class ReasonCoded(Exception):
    """A refusal: `code` is stable (docs/reason-codes.md), `detail` says what was wrong."""

    reasons: ClassVar[Mapping[str, str]] = {}  # code → what to do about it

    def __init__(self, code: str, detail: str) -> None:
        if code not in self.reasons:
            raise ValueError(f"{type(self).__name__} has no reason code {code!r}")
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail

    @property
    def advice(self) -> str:
        """What to do about it, in a sentence."""
        return self.reasons[self.code]
