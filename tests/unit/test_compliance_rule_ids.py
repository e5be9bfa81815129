"""Every rule id of DOMAIN.md is a check in the code, a row of docs/compliance.md and in at
least two tests."""

from __future__ import annotations

import re
from pathlib import Path

from services.domain.compliance.findings import RULES

ROOT = Path(__file__).parents[2]
# DOMAIN.md's table of the campaign's rules (R1.1 … R8.1).
DOMAIN_RULES = [
    "R1.1",
    "R1.2",
    "R1.3",
    "R2.1",
    "R2.2",
    "R2.3",
    "R2.4",
    "R3.1",
    "R3.2",
    "R4.1",
    "R4.2",
    "R5.1",
    "R5.2",
    "R5.3",
    "R6.1",
    "R6.2",
    "R7.1",
    "R8.1",
]


def test_every_rule_of_the_domain_and_the_favoritism_checks_are_known() -> None:
    assert set(DOMAIN_RULES) | {"F1.1", "F1.2", "F1.3", "F1.4"} == set(RULES)


def test_every_rule_is_raised_by_a_check_in_the_code() -> None:
    code = "\n".join(
        p.read_text()
        for p in (ROOT / "services/domain/compliance").rglob("*.py")
        if p.name != "findings.py"
    )
    assert [r for r in RULES if f'"{r}"' not in code] == []


def test_every_rule_has_a_row_in_the_docs() -> None:
    doc = (ROOT / "docs" / "compliance.md").read_text()
    assert [r for r in RULES if f"| {r} |" not in doc] == []


def test_every_rule_is_named_by_at_least_two_tests() -> None:
    tests = [
        body
        for p in (ROOT / "tests").rglob("test_*.py")
        if p.name != Path(__file__).name
        for body in re.split(r"\ndef test_", p.read_text())[1:]
    ]
    named = {
        r: sum(r.lower().replace(".", "_") in t.split("(")[0] or f'"{r}"' in t for t in tests)
        for r in RULES
    }
    assert {r: n for r, n in named.items() if n < 2} == {}
