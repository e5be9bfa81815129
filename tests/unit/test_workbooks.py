"""The workbooks the county bureau opens: the three ledgers and the report in Chinese, with
a title row, 序号, real dates and percentages, names, autofilter, frozen header and A4
landscape print setup; a household's months without a visit one row listing the months."""

from __future__ import annotations

import csv
from datetime import date, datetime
from functools import reduce
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from services.adapters.workbooks import LINE_HEIGHT, Column, Sheet, write_csvs, write_workbook
from services.domain.compliance.findings import Finding, Occurrence, merged
from services.domain.compliance.ledger import Problem, Sweep
from services.domain.compliance.params import ComplianceParams
from services.domain.places import Places
from services.usecases.compliance.workbooks import (
    Names,
    abbreviated,
    ledger_sheets,
    report_sheets,
)

DAY = date(2025, 1, 2)
VILLAGE, TOWNSHIP = "610326101201", "610326101"
HOUSEHOLD = f"{VILLAGE}H001"
NAMES = Names(
    Places({"610326": "示范县", TOWNSHIP: "青山镇", VILLAGE: "柳湾村"}),
    {HOUSEHOLD: "王*国"},
)


def raised(check: str, scope: str, summary: str, due: str, **kw: Any) -> Problem:
    f = Finding(
        rule_id=kw.pop("rule_id", "R2.1"),
        check=check,
        subject_type=kw.pop("subject_type", "household"),
        subject=kw.pop("subject", HOUSEHOLD),
        village=VILLAGE,
        evidence=(f"e-{scope}",),
        due_on=date.fromisoformat(due),
        responsible=kw.pop("responsible", f"village committee {VILLAGE}"),
        summary=summary,
        scope=scope,
        **kw,
    )
    return Problem.raise_from(f, DAY, uuid4())


def month(m: int) -> Problem:
    """A problem of one month, as raised before occurrences (issue #18)."""
    return raised(
        "monthly_visit_missing", f"2024-{m:02d}", f"not visited in 2024-{m:02d} (never visited)",
        f"2024-{m:02d}-28",
    )  # fmt: skip


def months(*ms: int) -> Problem:
    """The household's months without a visit: one problem, the months inside it."""
    found = [
        Finding(
            rule_id="R2.1", check="monthly_visit_missing", subject_type="household",
            subject=HOUSEHOLD, village=VILLAGE, evidence=(f"e-{m}",),
            due_on=date(2024, m, 28), responsible=f"village committee {VILLAGE}",
            summary=f"not visited in 2024-{m:02d} (never visited)",
            occurrences=(Occurrence(f"2024-{m:02d}", date(2024, m, 28), (f"e-{m}",),
                                    f"not visited in 2024-{m:02d} (never visited)"),),
        )
        for m in ms
    ]  # fmt: skip
    return Problem.raise_from(reduce(merged, found), DAY, uuid4())


@pytest.fixture
def problems() -> list[Problem]:
    planned = month(8)  # planned apart from the others: a row of its own
    planned.plan_rectification(
        '=HYPERLINK("http://x","走访")', date(2025, 1, 20), "cadre-li", "township-wu",
        "township_official", DAY,
    )  # fmt: skip
    return [
        months(5, 6, 7),
        planned,
        raised(
            "measure_not_verified", "M-7", "medical_aid M-7 of 2024-06-01 never verified",
            "2024-07-31", rule_id="R5.3", concern="paper_only",
        ),
        raised(
            "implausible_visit_count", "2024-05-20", "cadre-zhao recorded 21 visits on 2024-05-20",
            "2024-05-20", rule_id="R2.4", subject_type="cadre", subject="cadre-zhao",
            responsible=f"township {TOWNSHIP}", concern="perfunctory",
        ),
        raised(
            "relative_assisted", f"{HOUSEHOLD}:M-7", "medical_aid M-7: child P1 of cadre-zhang "
            f"({HOUSEHOLD})", "2024-06-01", rule_id="F1.2", subject_type="cadre",
            subject="cadre-zhang", concern="favoritism",
        ),
    ]  # fmt: skip


SWEEP_COVERAGE = {
    VILLAGE: {
        "households": 40, "monthly_visits_due": 20, "monthly_visits_done": 19,
        "screened_this_year": 30, "application_leaflets": 40, "monitored": 4,
        "assistance_leaflets": 3, "survey_answered": 20, "survey_aware": 18,
    }
}  # fmt: skip


def sweep() -> Sweep:
    return Sweep.completed(
        uuid4(),
        as_of="2025-01-01",
        households=40,
        events=400,
        findings=7,
        raised=7,
        resolved=0,
        found_again=0,
        coverage=SWEEP_COVERAGE,
        found_by_township_area={TOWNSHIP: {"visits": 5, "assistance": 1}},
        params={},
        ran_by="t",
    )


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    values = list(ws.values)
    return [dict(zip(values[1], r, strict=True)) for r in values[2:]]


def ledgers(tmp_path: Path, problems: list[Problem]) -> Any:
    sheets = ledger_sheets(problems, sweep(), DAY, TOWNSHIP, NAMES)
    return load_workbook(write_workbook(tmp_path / "台账.xlsx", sheets))


def test_the_three_ledgers_have_chinese_sheets_headers_and_a_title_row(
    tmp_path: Path, problems: list[Problem]
) -> None:
    book = ledgers(tmp_path, problems)
    assert book.sheetnames == ["排查任务台账", "疑似问题台账", "整改工作台账"]
    ws = book["疑似问题台账"]
    assert ws["A1"].value == "示范县青山镇疑似问题台账（截至2025-01-02）"
    assert "A1:U1" in {str(r) for r in ws.merged_cells.ranges}
    header = [c.value for c in ws[2]]
    # a township's own ledger names the township in its title, not in a column
    assert header[:5] == ["序号", "村", "户编号/对象", "户主", "规则"]
    assert {"问题描述", "应完成日期", "整改时限", "责任人", "状态", "是否逾期"} <= set(header)
    assert [c.value for c in book["排查任务台账"][2]][:4] == [
        "序号",
        "乡镇",
        "排查内容",
        "对应规则",
    ]


def test_a_households_months_without_a_visit_are_one_row_listing_the_months(
    tmp_path: Path, problems: list[Problem]
) -> None:
    found = rows(ledgers(tmp_path, problems)["疑似问题台账"])
    assert [r["序号"] for r in found] == list(range(1, len(found) + 1))
    visits = [r for r in found if r["规则"] == "R2.1"]
    assert len(visits) == 2  # May to July in one problem; August, an older problem, alone
    grouped = visits[0]
    assert grouped["涉及期间"] == "2024年5月至2024年7月" and grouped["次数"] == 3
    assert grouped["问题描述"] == "当月未走访，共3次"
    assert grouped["应完成日期"] == datetime(2024, 5, 28)  # the first month's
    assert len(grouped["问题编号"].split()) == 1  # one problem to rectify
    assert (grouped["户主"], grouped["村"]) == ("王*国", "柳湾村")
    assert grouped["责任单位"] == "柳湾村村民委员会" and grouped["状态"] == "待整改"
    assert (
        visits[1]["涉及期间"] == "2024年8月"
        and visits[1]["问题描述"] == "2024年8月未走访（从未走访）"
    )
    assert visits[1]["状态"] == "整改中" and visits[1]["整改时限"] == datetime(2025, 1, 20)


def test_problems_about_cadres_and_measures_read_in_chinese_favoritism_left_out(
    tmp_path: Path, problems: list[Problem]
) -> None:
    found = {r["问题类型"]: r for r in rows(ledgers(tmp_path, problems)["疑似问题台账"])}
    measure = found["帮扶措施未核实"]
    assert measure["问题描述"] == "2024-06-01落实的帮扶措施“医疗帮扶”（M-7）从未核实"
    assert measure["问题性质"] == "数字帮扶"
    cadre = found["单日走访次数异常"]
    assert (cadre["户编号/对象"], cadre["户主"]) == ("干部：cadre-zhao", None)
    assert cadre["责任单位"] == "青山镇人民政府" and cadre["问题性质"] == "走过场"
    assert "干部亲属获得帮扶" not in found  # the inspectors' copy only


def test_every_townships_ledger_names_the_township_of_each_row_and_keeps_unread_text(
    tmp_path: Path, problems: list[Problem]
) -> None:
    old = raised("income_not_current", "income", "written by an older check", "2024-12-01")
    sheets = ledger_sheets([*problems, old], sweep(), DAY, None, NAMES)
    book = load_workbook(write_workbook(tmp_path / "county.xlsx", sheets))
    ws = book["疑似问题台账"]
    assert ws["A1"].value == "示范县疑似问题台账（全县各乡镇，截至2025-01-02）"
    found = rows(ws)
    assert {r["乡镇"] for r in found} == {"青山镇"}
    unread = next(r for r in found if r["问题类型"] == "收入数据未及时更新")
    assert unread["问题描述"] == "收入数据未及时更新（系统记录：written by an older check）"


def test_a_row_with_wrapped_text_is_as_high_as_its_lines(
    tmp_path: Path, problems: list[Problem]
) -> None:
    ws = ledgers(tmp_path, problems)["疑似问题台账"]
    header = [c.value for c in ws[2]]
    periods = ws.cell(3, header.index("涉及期间") + 1)
    assert periods.value == "2024年5月至2024年7月" and periods.alignment.wrap_text
    assert ws.row_dimensions[3].height == 2 * LINE_HEIGHT  # two lines in a narrow column
    assert ws.column_dimensions[periods.column_letter].width < 40


def test_problem_ids_are_shortened_as_far_as_they_stay_unique() -> None:
    ids = ["fb89533a-9068-1", "fb89533a-9068-2", "0c1d2e3f-0000-0"]
    assert abbreviated(ids) == {i: i[:15] for i in ids}
    assert abbreviated(["fb89533a-1", "0c1d2e3f-2"]) == {
        "fb89533a-1": "fb89533a",
        "0c1d2e3f-2": "0c1d2e3f",
    }


def test_dates_are_dates_and_counts_are_numbers(tmp_path: Path, problems: list[Problem]) -> None:
    book = ledgers(tmp_path, problems)
    ws = book["疑似问题台账"]
    due = ws.cell(3, [c.value for c in ws[2]].index("应完成日期") + 1)
    assert due.is_date and due.number_format == "yyyy-mm-dd"
    tasks = rows(book["排查任务台账"])
    visits = next(r for r in tasks if r["排查内容"] == "日常走访和集中排查")
    assert visits["排查日期"] == datetime(2025, 1, 1) and visits["农户数"] == 40
    assert (visits["疑似问题数"], visits["状态"]) == (3, "有问题未制定整改计划")
    assert book["排查任务台账"]["E3"].is_date


def test_the_rectification_ledger_shows_the_plan_with_its_deadline(
    tmp_path: Path, problems: list[Problem]
) -> None:
    [step] = rows(ledgers(tmp_path, problems)["整改工作台账"])
    assert (step["整改环节"], step["经办人"], step["日期"]) == (
        "制定整改计划",
        "township-wu",
        datetime(2025, 1, 2),
    )
    assert step["内容"] == '=HYPERLINK("http://x","走访")（整改时限：2025-01-20）'


def test_text_typed_by_people_is_never_a_formula(tmp_path: Path, problems: list[Problem]) -> None:
    ws = ledgers(tmp_path, problems)["疑似问题台账"]
    header = [c.value for c in ws[2]]
    plans = [ws.cell(r, header.index("整改措施") + 1) for r in range(3, ws.max_row + 1)]
    formula = next(c for c in plans if c.value and c.value.startswith("="))
    assert formula.data_type == "s"


def test_every_sheet_filters_freezes_its_header_and_prints_a4_landscape_one_page_wide(
    tmp_path: Path, problems: list[Problem]
) -> None:
    for ws in ledgers(tmp_path, problems).worksheets:
        last = ws.cell(2, ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A2:{last}{max(ws.max_row, 2)}"
        assert ws.freeze_panes == "A3"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$2"  # the title and header on every page
        assert all(ws.column_dimensions[c].width >= 6 for c in "ABC")


def test_the_report_has_percentages_as_numbers_and_the_phases_with_their_days(
    tmp_path: Path, problems: list[Problem]
) -> None:
    phases = ComplianceParams(campaign_year=2025).phases_on(date(2025, 1, 1))
    sheets = report_sheets(problems, sweep(), DAY, "village", None, phases, NAMES)
    book = load_workbook(write_workbook(tmp_path / "report.xlsx", sheets))
    assert book.sheetnames == ["问题统计", "走访排查覆盖", "阶段进展"]
    assert book["问题统计"]["A1"].value == "示范县问题统计（按村统计，截至2025-01-02）"
    by_rule = rows(book["问题统计"])
    r21 = next(r for r in by_rule if r["规则"] == "R2.1")
    assert (r21["单位"], r21["区划代码"], r21["发现问题"]) == ("青山镇柳湾村", VILLAGE, 2)
    assert r21["规则内容"] == "每月对脱贫户、监测对象走访不少于1次"
    [cover] = rows(book["走访排查覆盖"])
    assert cover["月度走访率"] == pytest.approx(0.95) and cover["政策知晓率"] == pytest.approx(0.9)
    assert book["走访排查覆盖"]["F3"].number_format == "0.0%"
    stages = rows(book["阶段进展"])
    assert [s["阶段"][:4] for s in stages] == ["第一阶段", "第二阶段", "第三阶段"]
    assert stages[0]["截止日期"] == datetime(2025, 5, 31) and stages[0]["状态"] == "进行中"


def test_csv_files_have_chinese_headers_a_bom_and_defused_formulas(
    tmp_path: Path, problems: list[Problem]
) -> None:
    paths = write_csvs(tmp_path, ledger_sheets(problems, sweep(), DAY, TOWNSHIP, NAMES))
    assert [p.name for p in paths] == ["排查任务台账.csv", "疑似问题台账.csv", "整改工作台账.csv"]
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with paths[1].open(encoding="utf-8-sig") as f:
        found = list(csv.DictReader(f))
    assert found[0]["序号"] == "1" and found[0]["应完成日期"] == "2024-05-28"
    assert found[0]["涉及期间"] == "2024年5月至2024年7月"
    planned = next(r for r in found if r["整改措施"])
    assert planned["整改措施"].startswith("'=HYPERLINK")


def test_an_empty_sheet_still_has_its_title_header_and_filter(tmp_path: Path) -> None:
    sheet = Sheet("空表", "标题", [Column("日期", "date"), Column("比例", "percent")])
    ws = load_workbook(write_workbook(tmp_path / "e.xlsx", [sheet]))["空表"]
    assert [c.value for c in ws[2]] == ["序号", "日期", "比例"] and ws.auto_filter.ref == "A2:C2"
