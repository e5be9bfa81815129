"""The national system's risk types and labour-capacity classes (issue #18, finding 9): every
name its exports write has our code, every risk a measure can answer, and weak or half
labour counts as labour for R5.2 and R7.1."""

from __future__ import annotations

from compliance_history import History, checks

from events.codes import NATIONAL_LABOUR_CAPACITIES, NATIONAL_RISK_TYPES, LabourCapacity, RiskType
from events.identification import RiskLeadRegistered
from services.domain.compliance.checks.assistance import ANSWERS
from services.i18n import label


def test_the_national_systems_risk_types_have_codes_and_their_own_chinese_names() -> None:
    for name in ("因病", "因残", "因学", "因灾", "因意外事故", "因产业项目失败", "因务工就业不稳",
                 "缺劳动力", "住房出现安全问题", "饮水出现安全问题", "其他"):  # fmt: skip
        code = NATIONAL_RISK_TYPES[name]
        assert label("code.RiskType", code) == name
    assert NATIONAL_RISK_TYPES["缺劳动力"] == RiskType.LACK_OF_LABOUR != RiskType.OTHER


def test_a_lead_for_lack_of_labour_is_a_lead_for_lack_of_labour() -> None:
    lead = RiskLeadRegistered.model_validate(
        {
            "lead_id": "L1",
            "channel": "cadre_visit",
            "risk_types": ["lack_of_labour"],
            "reported_on": "2025-03-01",
        }
    )
    assert lead.risk_types == [RiskType.LACK_OF_LABOUR]


def test_every_risk_but_other_has_measures_that_answer_it() -> None:
    assert set(ANSWERS) == {r.value for r in RiskType} - {"other"}


def test_the_labour_capacity_classes_of_the_national_system_read_into_ours() -> None:
    assert NATIONAL_LABOUR_CAPACITIES["弱劳动力或半劳动力"] == LabourCapacity.WEAK
    assert set(NATIONAL_LABOUR_CAPACITIES.values()) == set(LabourCapacity)


def _assisted(labour: str, measure: str, risk: str) -> History:
    h = History(registered="2024-01-02", labour=labour)
    h.identified()
    h.plan("2024-03-15", measure_type=measure, risk=risk)
    return h


def test_r5_2_weak_labour_is_labour_a_job_fits_and_none_does_not() -> None:
    assert checks(_assisted("weak", "public_welfare_job", "unemployment"), "R5.2") == []
    assert checks(_assisted("none", "public_welfare_job", "unemployment"), "R5.2") == [
        "measure_needs_labour"
    ]


def test_r5_2_lack_of_labour_is_answered_by_an_allowance_not_by_housing() -> None:
    assert checks(_assisted("weak", "minimum_living_allowance", "lack_of_labour"), "R5.2") == []
    assert checks(_assisted("weak", "housing_renovation", "lack_of_labour"), "R5.2") == [
        "measure_does_not_fit_risk"
    ]
