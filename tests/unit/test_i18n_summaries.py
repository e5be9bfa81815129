"""Problems' summaries in Chinese: every check's summary, as the checks write it, reads into
its Chinese template — on a simulated county and on the rule tests' own scenarios."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache

import pytest
from compliance_history import History, county_findings, kept_by_the_book, recorded_households
from test_compliance_irregular import irregular_scenarios
from test_compliance_windows import window_scenarios

from services.devtools.simulate import county as simulated_county
from services.devtools.simulate.generator import generate
from services.domain.compliance.engine import evaluate
from services.domain.compliance.findings import Finding
from services.domain.compliance.params import ComplianceParams
from services.i18n.summaries import PATTERNS, Summary, month_label, periods_label, summarise

AS_OF = "2025-01-01"


@cache
def simulated_findings() -> tuple[Finding, ...]:
    """A county of 480 households with many planted lapses, swept as of 2026-03-01."""
    sizes = dict(simulated_county.SIZES)
    simulated_county.SIZES["i18n"] = (2, 3, 80)
    try:
        built = simulated_county.build_county("i18n", 7)
    finally:
        simulated_county.SIZES.clear()
        simulated_county.SIZES.update(sizes)
    households = recorded_households(generate(built, 7, 0.6, []))
    return evaluate(households, date(2026, 3, 1), ComplianceParams()).findings


def _r2_3_refused() -> list[Finding]:
    h = kept_by_the_book()
    h.fact("minimum_living_allowance_granted", "2024-08-01")
    h.lead("L1", "2024-08-03")
    h.decide("L1", "2024-08-14", outcome="dismissed", income="6000")
    return h.findings(AS_OF)


def _visited_by(n: int, notes: str) -> list[Finding]:
    households = []
    for i in range(n):
        h = History(hid=f"610326101201V{i:03d}")
        h.visit("2024-05-20", by="cadre-zhao", notes=notes)
        households.append(h)
    return county_findings(households, AS_OF, "R2.4")


def _r4_1() -> list[Finding]:
    short, undecided, unnoticed = kept_by_the_book(), kept_by_the_book(), kept_by_the_book()
    short.lead("L1", "2024-03-01")
    short.notice("L1", "2024-03-03", "2024-03-07")
    short.decide("L1", "2024-03-12", outcome="dismissed")
    undecided.lead("L2", "2024-12-01")
    unnoticed.lead("L3", "2024-03-01")
    unnoticed.decide("L3", "2024-03-12")
    return [*short.findings(AS_OF), *undecided.findings("2024-12-17"), *unnoticed.findings(AS_OF)]


def _r5_3() -> list[Finding]:
    h = kept_by_the_book()
    h.assisted()
    h.measure("M2", "2024-06-01")
    h.verify("M2", "2024-06-20", evidence=(" ",))
    h.measure("M3", "2024-06-01", by="cadre-li")
    h.verify("M3", "2024-06-20", by="cadre-li")
    h.measure("M4", "2024-06-01")
    h.verify("M4", "2024-08-15")
    return h.findings(AS_OF)


def _eliminations() -> list[Finding]:
    soon, stalled, late, marked = (
        kept_by_the_book(labour=lab) for lab in ("ordinary",) * 3 + ("none",)
    )
    for h in (soon, stalled, late, marked):
        h.assisted()
    soon.propose("E1", "2024-06-01", income=None)
    soon.eliminate("E1", "2024-06-10")
    stalled.propose("E2", "2024-10-01")
    late.propose("E3", "2024-10-01")
    late.notice("E3", "2024-10-03", "2024-10-06", kind="elimination")
    late.eliminate("E3", "2024-10-20")
    marked.mark("2024-04-01")
    marked.propose("E4", "2024-10-01")
    marked.notice("E4", "2024-10-03", "2024-10-09", kind="elimination")
    marked.eliminate("E4", "2024-10-12")
    return [f for h in (soon, stalled, late, marked) for f in h.findings(AS_OF)]


def _r8_1() -> list[Finding]:
    h = kept_by_the_book()
    h.income("2024-11-21", 9000, members=2, components={"wages": "18000"})
    return [*h.findings(AS_OF), *History().findings("2025-02-06")]


def _favoritism() -> list[Finding]:
    h = kept_by_the_book()
    h.relative("cadre-zhang", "child")
    h.lead("L1", "2024-03-01")
    h.review("L1", "2024-03-02", ["cadre-zhang", "rep"])
    h.notice("L1", "2024-03-03", "2024-03-09")
    h.decide("L1", "2024-03-12")
    h.plan("2024-03-15")
    h.measure("M1", "2024-03-15")
    h.verify("M1", "2024-04-20")
    h.visit("2025-01-15")
    h.visit("2025-02-15")
    return h.findings("2025-03-13")


def _claimed_early() -> list[Finding]:
    h = History(registered="2025-03-01")
    h.visit("2025-03-10")
    h.events = [  # received two weeks after the day the app claims
        replace(e, stored_at="2025-03-25T02:00:00+00:00") if e.event_type == "visit_recorded" else e
        for e in h.events
    ]
    return h.findings("2025-04-01", "R2.4")


SCENARIOS: list[Callable[[], list[Finding]]] = [
    _claimed_early,
    _r2_3_refused,
    lambda: _visited_by(21, ""),
    lambda: _visited_by(5, "家庭情况稳定，收入来源稳定，无返贫风险，已宣传政策"),
    _r4_1,
    _r5_3,
    _eliminations,
    _r8_1,
    _favoritism,
    window_scenarios,
    irregular_scenarios,
]


@cache
def scenario_findings() -> tuple[Finding, ...]:
    return tuple(f for scenario in SCENARIOS for f in scenario())


def test_every_check_summary_of_a_simulated_county_reads_into_chinese() -> None:
    found = simulated_findings()
    assert len({f.check for f in found}) >= 20
    unread = [(f.check, f.summary) for f in found if summarise(f.check, f.summary).detail]
    assert unread == []


def test_every_check_has_been_read_from_what_the_checks_really_write() -> None:
    found = [*simulated_findings(), *scenario_findings()]
    unread = [(f.check, f.summary) for f in found if summarise(f.check, f.summary).detail]
    assert unread == []
    assert sorted(set(PATTERNS) - {f.check for f in found}) == []


@pytest.mark.parametrize("finding", scenario_findings(), ids=lambda f: f"{f.check}:{f.scope}")
def test_a_chinese_summary_keeps_no_english_word_of_the_stored_one(finding: Finding) -> None:
    text = summarise(finding.check, finding.summary).text
    # only ids (of cadres, cases, measures, notices: with a digit or a hyphen) stay in Latin
    ids = [w for w in re.split(r"[\s():,;]+", finding.summary) if re.search(r"[\d-]", w)]
    latin = set(re.findall(r"[A-Za-z]+", text))
    assert latin <= {w for i in ids for w in re.findall(r"[A-Za-z]+", i)}, text


def test_a_month_without_a_visit_and_a_measure_read_in_chinese() -> None:
    assert summarise("monthly_visit_missing", "not visited in 2025-04 (last visit 2025-03-10)") == (
        Summary("2025年4月未走访（上次走访：2025-03-10）")
    )
    assert summarise("measure_not_verified", "medical_aid M-7 of 2025-03-01 never verified") == (
        Summary("2025-03-01落实的帮扶措施“医疗帮扶”（M-7）从未核实")
    )
    assert (
        summarise(
            "risk_not_reported",
            "visit of 2025-05-20 by cadre-li found illness, housing; no lead followed",
        ).text
        == "cadre-li于2025-05-20走访发现风险（因病、住房出现安全问题），未登记风险线索"
    )


def test_a_summary_no_pattern_reads_is_the_checks_name_with_the_stored_text() -> None:
    assert summarise("monthly_visit_missing", "written by an older check") == Summary(
        "当月未走访", "written by an older check"
    )
    assert summarise("no_such_check", "text") == Summary("no_such_check", "text")


def test_periods_are_listed_as_months_and_years_runs_as_spans() -> None:
    assert [month_label(p) for p in ("2025-04", "2024", "L-1")] == ["2025年4月", "2024年", "L-1"]
    months = ["2025-03", *(f"2025-{m:02d}" for m in range(5, 13)), "2026-01", "2026-02"]
    assert periods_label(months) == "2025年3月、2025年5月至2026年2月"
    assert periods_label(["2025-06", "2025-05"]) == "2025年5月、2025年6月"
    assert periods_label(["2022", "2023", "2024", "2026"]) == "2022年至2024年、2026年"
