"""The streaming .xlsx reader gives each row as the sheet holds it — shared strings, inline
strings, numbers, booleans, a date cell as its serial, escaped text, runs of rich text
without their phonetic guide, rows and cells the sheet skips — the same as openpyxl reads."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from services.adapters.xlsx_rows import xlsx_rows
from services.domain.national.records import day


def test_a_workbook_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["户编号", "姓名", "人均纯收入", "是否", "日期"])
    sheet.append(["6103261012010001", "张 & <三>", 7300.5, True, date(2024, 3, 5)])
    sheet.append(["6103261012010001", "张 & <三>", -3, False, None])
    sheet["B5"] = "李四"  # row 4 skipped, column A empty
    sheet["E5"] = "2024/3/5"
    path = tmp_path / "shared.xlsx"
    book.save(path)
    got = list(xlsx_rows(str(path)))
    want = [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    assert len(got) == len(want) == 5
    assert got[0] == want[0]
    for mine, theirs in zip(got[1:], want[1:], strict=True):
        mine = mine + [None] * (len(theirs) - len(mine))
        assert mine[:4] == list(theirs[:4])
        assert day(mine[4], "data_date") == day(theirs[4], "data_date")  # a serial, a datetime
    assert got[3] == []  # the row the sheet skips


def test_shared_strings_rich_text_formulas_and_other_cell_shapes_are_read(
    tmp_path: Path,
) -> None:
    sheet_xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<sheetData>"
        '<row r="1" spans="1:4"><c t="s" r="A1"><v>0</v></c><c r="C1"><f>1+1</f><v>2</v></c>'
        '<c r="D1" t="str"><f>"a"</f><v>a&amp;b</v></c></row>'
        '<row r="2"/>'
        '<row r="3"><c r="B3" t="inlineStr"><is><r><t>王</t></r><r><rPr/><t xml:space="preserve">'
        ' 五</t></r><rPh sb="0" eb="1"><t>wang</t></rPh></is></c><c r="C3" t="e"><v>#N/A</v></c>'
        "</row></sheetData></worksheet>"
    )
    path = tmp_path / "shapes.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId7"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId7" Type="worksheet" '
            'Target="worksheets/data.xml"/></Relationships>',
        )
        z.writestr(
            "xl/sharedStrings.xml",
            "<sst><si><r><t>户</t></r><r><t>编号</t></r><rPh><t>hu</t></rPh></si></sst>",
        )
        z.writestr("xl/worksheets/data.xml", sheet_xml)
    assert list(xlsx_rows(str(path))) == [
        ["户编号", None, 2, "a&b"],
        [],
        [None, "王 五", "#N/A"],
    ]


def test_rows_split_across_chunks_read_the_same_as_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = Workbook(write_only=True)  # inline strings, as the simulator's exports
    sheet = book.create_sheet("s")
    for n in range(40):
        sheet.append([n, "王家村", None, f"a&b<{n}>" if n % 7 == 0 else "户主", 7300.5, ""])
        if n % 9 == 0:
            sheet.append([])  # a row without cells
    path = tmp_path / "inline.xlsx"
    book.save(path)
    whole = list(xlsx_rows(str(path)))
    monkeypatch.setattr("services.adapters.xlsx_rows.CHUNK", 37)  # rows and characters cut
    assert list(xlsx_rows(str(path))) == whole
    want = [
        list(r)
        for r in load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    assert len(whole) == len(want) == 45
    for mine, theirs in zip(whole, want, strict=True):
        theirs = [None if v == "" else v for v in theirs]
        assert mine + [None] * (len(theirs) - len(mine)) == theirs
    assert whole[0] == [0, "王家村", None, "a&b<0>", 7300.5, None]


class _NoSlowPath:
    def findall(self, _: str) -> list[object]:
        raise AssertionError("a row of the common shape read the slow way")


def test_rows_with_the_cells_excel_omits_are_read_the_fast_way_at_their_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel (and openpyxl) write no empty cell, and shared strings: a row with gaps is
    still read by the one pattern, each cell at its column, as openpyxl reads it."""
    book = Workbook()
    sheet = book.active
    sheet.append(["户编号", "人编号", "姓名", "证件号码", "电话", "收入"])
    sheet.append(["6103261012010001", None, "张三", "110101199003074514", None, 7300.5])
    sheet.append([None, "p2", None, None, "a&b", -3])
    sheet.append(["6103261012010001", "p3"])
    for column in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        sheet[f"{column}6"] = None
    sheet["AB6"] = "far"
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    monkeypatch.setattr("services.adapters.xlsx_rows._CELL", _NoSlowPath())
    got = list(xlsx_rows(str(path)))
    want = [list(r) for r in load_workbook(path, read_only=True).active.iter_rows(values_only=True)]
    assert len(got) == len(want) == 6
    for mine, theirs in zip(got, want, strict=True):
        while theirs and theirs[-1] is None:
            theirs.pop()
        assert mine == theirs
    assert got[2] == [None, "p2", None, None, "a&b", -3]
    assert got[5] == [None] * 27 + ["far"]
