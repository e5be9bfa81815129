"""Every stable reason code is documented, so a producer can look up any rejection."""

from pathlib import Path

from events.catalog import CONTRACT_REASONS
from services.domain.compliance.ledger import LEDGER_REASONS
from services.domain.errors import LIFECYCLE_REASONS

DOC = Path(__file__).parents[2] / "docs" / "reason-codes.md"


def test_every_reason_code_has_a_row_in_the_reason_code_table() -> None:
    text = DOC.read_text()
    missing = [
        c
        for c in {**CONTRACT_REASONS, **LIFECYCLE_REASONS, **LEDGER_REASONS}
        if f"| `{c}` |" not in text
    ]
    assert missing == []
