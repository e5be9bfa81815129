"""Favoritism (优亲厚友): relatives of cadres, by the register's events."""

from __future__ import annotations

from compliance_history import History, kept_by_the_book

AS_OF = "2025-01-01"


def favoritism(h: History, as_of: str = AS_OF) -> list[tuple[str, str]]:
    return [(f.rule_id, f.subject) for f in h.findings(as_of) if f.concern == "favoritism"]


def _relative_assisted(relation: str) -> History:
    h = kept_by_the_book()
    h.relative("cadre-zhang", relation)
    h.assisted()
    return h


def test_f1_1_and_f1_2_a_sibling_in_law_identified_and_assisted_is_flagged() -> None:
    # a relative by marriage (姻亲) counts
    assert favoritism(_relative_assisted("sibling_in_law")) == [
        ("F1.1", "cadre-zhang"),
        ("F1.2", "cadre-zhang"),
    ]


def test_f1_1_a_distant_relative_by_marriage_is_not_flagged() -> None:
    assert favoritism(_relative_assisted("other_by_marriage")) == []


def test_f1_2_the_evidence_is_the_register_and_the_measure() -> None:
    h = _relative_assisted("parent")
    f = next(f for f in h.findings(AS_OF) if f.rule_id == "F1.2")
    relation = next(e for e in h.events if e.event_type == "cadre_relative_registered")
    measure = next(e for e in h.events if e.event_type == "assistance_measure_started")
    assert f.evidence == (relation.event_id, measure.event_id)
    assert f.subject_type == "cadre" and f.responsible.startswith("county discipline inspection")


def test_f1_3_a_relative_kept_on_though_recovered_is_flagged() -> None:
    h = _relative_assisted("child")
    h.visit("2025-01-15")
    h.visit("2025-02-15")
    rules = [r for r, _ in favoritism(h, "2025-03-13")]
    assert "F1.3" in rules and "F1.3" not in [r for r, _ in favoritism(h, "2025-03-12")]


def test_f1_4_a_cadre_in_the_village_review_of_a_relative_is_flagged() -> None:
    h = kept_by_the_book()
    h.relative("cadre-zhang", "spouse")
    h.lead("L1", "2024-03-01")
    review = h.review("L1", "2024-03-02", ["cadre-zhang", "rep"])
    h.decide("L1", "2024-03-12", outcome="dismissed")
    found = [f for f in h.findings(AS_OF) if f.rule_id == "F1.4"]
    assert [(f.subject, review in f.evidence) for f in found] == [("cadre-zhang", True)]


def test_f1_4_a_review_by_other_cadres_is_not_flagged() -> None:
    h = kept_by_the_book()
    h.relative("cadre-zhang", "spouse")
    h.lead("L1", "2024-03-01")
    h.review("L1", "2024-03-02", ["cadre-wu", "rep"])
    h.decide("L1", "2024-03-12", outcome="dismissed")
    assert favoritism(h) == []


def test_f1_1_a_relation_that_ended_before_the_decision_does_not_count() -> None:
    h = kept_by_the_book()
    h.relative("cadre-zhang", "spouse")
    h.add(
        "cadre_relative_ended",
        "2024-02-01",
        cadre_id="cadre-zhang",
        relative_person_id="P1",
        ended_on="2024-02-01",
        reason="divorce",
    )
    h.assisted()
    assert favoritism(h) == []


def test_f1_3_a_relative_below_the_line_is_rightly_kept_on() -> None:
    h = _relative_assisted("child")
    h.events = [e for e in h.events if e.event_type != "income_assessed"]
    h.income("2024-11-05", 7299)
    assert "F1.3" not in [r for r, _ in favoritism(h, "2025-03-13")]


def test_the_townships_ledgers_leave_favoritism_to_the_inspectors() -> None:
    from datetime import date
    from uuid import uuid4

    from services.domain.compliance.ledger import Problem
    from services.domain.compliance.reports import problem_ledger

    h = _relative_assisted("spouse")
    day = date(2025, 1, 1)
    problems = [Problem.raise_from(f, day, uuid4()) for f in h.findings(AS_OF)]
    township = [r["rule"] for r in problem_ledger(problems, day, "610326101", favoritism=False)]
    inspectors = [r["rule"] for r in problem_ledger(problems, day, "610326101")]
    assert township == [] and inspectors == ["F1.1", "F1.2"]


def test_f1_3_a_relative_whose_elimination_stalls_is_spared() -> None:
    h = _relative_assisted("parent")
    h.propose("E1", "2024-10-01")
    assert "F1.3" in [r for r, _ in favoritism(h, "2024-10-17")]


def _decided_by_a_former_husband(divorced: str) -> History:
    """cadre-zhang's wife (P1); divorced on `divorced`; he decides her lead on 12 March."""
    h = kept_by_the_book()
    h.relative("cadre-zhang", "spouse")
    h.add(
        "cadre_relative_ended",
        divorced,
        cadre_id="cadre-zhang",
        relative_person_id="P1",
        ended_on=divorced,
        reason="divorce",
    )
    h.lead("L1", "2024-03-01")
    h.notice("L1", "2024-03-03", "2024-03-09")
    h.decide("L1", "2024-03-12", outcome="dismissed", by="cadre-zhang")
    return h


def test_f1_4_a_cadre_deciding_the_case_of_his_former_wife_divorced_before_is_not_flagged() -> None:
    assert favoritism(_decided_by_a_former_husband("2024-02-01")) == []


def test_f1_4_a_cadre_deciding_while_the_relation_stood_is_flagged_to_the_last_day() -> None:
    # the relation ends the day after the decision: it stood on the day he decided
    assert favoritism(_decided_by_a_former_husband("2024-03-13")) == [("F1.4", "cadre-zhang")]
    # ended on the very day: no longer a relative's act (as F1.1-F1.3 read an end)
    assert favoritism(_decided_by_a_former_husband("2024-03-12")) == []
