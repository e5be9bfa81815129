"""Every refusal is one kind of thing: a stable reason code, checked against its table."""

from __future__ import annotations

import pytest

from events.catalog import ContractViolation
from events.reasons import ReasonCoded
from services.domain.compliance.ledger import LedgerViolation
from services.domain.errors import LifecycleViolation
from services.usecases.audit.proofs import ProofError

KINDS = (ContractViolation, LifecycleViolation, LedgerViolation, ProofError)


@pytest.mark.parametrize("kind", KINDS, ids=[k.__name__ for k in KINDS])
def test_each_kind_of_refusal_is_reason_coded_and_refuses_a_code_of_another_table(
    kind: type[ReasonCoded],
) -> None:
    code = next(iter(kind.reasons))
    e = kind(code, "what was wrong")
    assert isinstance(e, ReasonCoded) and e.code == code and e.advice == kind.reasons[code]
    assert str(e) == f"{code}: what was wrong"
    others = {c for k in KINDS if k is not kind for c in k.reasons} - set(kind.reasons)
    with pytest.raises(ValueError):
        kind(sorted(others)[0], "x")


def test_no_two_tables_give_one_code_two_meanings() -> None:
    seen: dict[str, str] = {}
    for kind in KINDS:
        for code, advice in kind.reasons.items():
            assert seen.setdefault(code, advice) == advice, code
