"""The Chinese catalogue: every code, rule, check, status and reason code a person can meet
has an entry, so that none can be added without one."""

from __future__ import annotations

import ast
import itertools
import re
import string
from pathlib import Path

import pytest

from events.catalog import CONTRACT_REASONS, EVENT_TYPES
from events.codes import code_tables
from events.household import IncomeComponents
from projections.registry import PROJECTIONS
from services.domain.compliance import ledger
from services.domain.compliance.findings import AREAS, CONCERNS, RULES
from services.domain.compliance.ledger import LEDGER_REASONS
from services.domain.compliance.params import PHASES
from services.domain.errors import LIFECYCLE_REASONS
from services.domain.events import MONITORED, NOT_MONITORED, RISK_ELIMINATED
from services.domain.registry import KINDS, NATIONAL
from services.i18n import CATALOGUES, has, label, t
from services.i18n.summaries import PATTERNS, template_key
from services.usecases.audit.proofs import AUDIT_REASONS
from services.usecases.audit.verify import FINDINGS

ROOT = Path(__file__).parents[2]
COMPLIANCE = ROOT / "services" / "domain" / "compliance"
RULE_ID = re.compile(r"^[RF]\d\.\d$")


def named_checks() -> set[str]:
    """Every check name the compliance engine can write into a finding, read from its code:
    the string after a rule id in a call, a `check=` keyword, the pair given to
    decided_in_time."""
    found: set[str] = set()
    for path in COMPLIANCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            args = node.args
            for a, b in itertools.pairwise(args):
                if _text(a) and RULE_ID.match(_text(a)) and _text(b):
                    found.add(_text(b))
            if any(_text(a) and RULE_ID.match(_text(a)) for a in args):
                for a in args:
                    if isinstance(a, ast.Tuple) and all(_text(e) for e in a.elts):
                        found.update(_text(e) for e in a.elts)
            found.update(_text(k.value) for k in node.keywords if k.arg == "check")
    return found - {""}


def _text(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def missing(keys: list[str]) -> list[str]:
    return [k for k in keys if not has(k)]


def test_every_value_of_every_code_table_has_a_chinese_label() -> None:
    tables = code_tables()["tables"]
    assert isinstance(tables, dict) and len(tables) >= 16
    keys = [f"code.{name}.{value}" for name, values in tables.items() for value in values]
    assert missing(keys) == []


def test_every_rule_area_and_concern_has_a_chinese_name() -> None:
    assert missing([f"rule.{r}" for r in RULES]) == []
    assert missing([f"area.{a}" for a in {*AREAS, *(a for a, _ in RULES.values())}]) == []
    assert missing([f"concern.{c}" for c in CONCERNS]) == []
    assert t("rule.R4.1").startswith("从发现风险线索之日起识别认定不超过15天")


def test_every_named_check_has_a_chinese_name_and_a_summary_template() -> None:
    checks = named_checks()
    assert {"monthly_visit_missing", "decision_late", "identical_notes"} <= checks
    assert len(checks) >= 40
    assert missing([f"check.{c}" for c in sorted(checks)]) == []
    assert [c for c in sorted(checks) if c not in PATTERNS] == []
    keys = [template_key(c, v) for c, patterns in PATTERNS.items() for v, _ in patterns]
    assert missing(keys) == []


def test_each_summary_template_uses_exactly_the_fields_its_pattern_reads() -> None:
    for check, patterns in PATTERNS.items():
        for variant, pattern in patterns:
            fields = {f for _, f, _, _ in string.Formatter().parse(t(template_key(check, variant)))}
            assert fields - {None} == set(re.compile(pattern).groupindex), (check, variant)


def test_every_reason_code_is_explained_in_chinese() -> None:
    codes = [*CONTRACT_REASONS, *LIFECYCLE_REASONS, *LEDGER_REASONS, *AUDIT_REASONS, *FINDINGS]
    assert missing([f"reason.{c}" for c in codes]) == []
    # a sentence of what happened and one of what to do, in Chinese
    assert all("。" in t(f"reason.{c}") for c in codes)


def test_statuses_steps_and_phases_have_chinese_labels() -> None:
    statuses = [
        ledger.OPEN, ledger.RECTIFYING, ledger.RECTIFIED, ledger.CLOSED, ledger.MERGED, "overdue"
    ]  # fmt: skip
    assert missing([f"status.{s}" for s in statuses]) == []
    steps = re.findall(r'history\.append\(\(\s*"([^"]+)"', Path(ledger.__file__).read_text())
    steps.append(ledger.OCCURRED_AGAIN)  # a step named by its constant
    assert len(steps) == 10 and missing([f"ledger_step.{s}" for s in steps]) == []
    reports = (COMPLIANCE / "reports.py").read_text()
    task = re.findall(r'status = "([^"]+)"', reports)
    assert len(task) == 4 and missing([f"task_status.{s}" for s in task]) == []
    phase = re.findall(r'"(done|under way|ahead)"', reports)
    assert missing([f"phase_status.{s}" for s in phase]) == []
    assert missing([f"phase.{i}" for i in range(1, len(PHASES) + 1)]) == []
    assert not has(f"phase.{len(PHASES) + 1}")


def test_monitoring_statuses_case_steps_event_types_and_income_have_chinese_labels() -> None:
    statuses = [NOT_MONITORED, MONITORED, RISK_ELIMINATED]
    assert missing([f"monitoring_status.{s}" for s in statuses]) == []
    timeline = (ROOT / "services" / "domain" / "timeline.py").read_text()
    steps = re.findall(r'_(?:case|notice)_step\("([^"]+)"', timeline)
    assert len(steps) >= 7 and missing([f"case_step.{s}" for s in steps]) == []
    assert missing([f"event_type.{e}" for e in EVENT_TYPES]) == []
    assert missing([f"income_component.{c}" for c in IncomeComponents.model_fields]) == []


def test_every_producer_the_registry_names_has_a_chinese_name() -> None:
    producers = {p for kind in KINDS.values() for p in kind.producers} | {NATIONAL}
    assert missing([f"source_system.{p}" for p in sorted(producers)]) == []
    assert label("source_system", "village_app") == "村级走访应用"


def test_every_projection_has_a_chinese_name() -> None:
    assert missing([f"projection.{name}" for name in PROJECTIONS]) == []


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_no_entry_is_empty_or_left_in_english(language: str) -> None:
    entries = CATALOGUES[language]
    assert [k for k, v in entries.items() if not v.strip()] == []
    # Chinese, or only punctuation around its fields (the list separator, a bare field)
    untranslated = [
        k
        for k, v in entries.items()
        if not re.search(r"[\u4e00-\u9fff]", v) and re.search(r"[A-Za-z]", re.sub(r"{\w+}", "", v))
    ]
    assert untranslated == []


def test_a_value_the_catalogue_does_not_know_is_shown_as_it_is() -> None:
    assert label("code.RiskType", "illness") == "因病"
    assert label("code.RiskType", "meteorite") == "meteorite"
    assert label("status", None) == ""
    with pytest.raises(KeyError):
        t("column.no_such_column")
